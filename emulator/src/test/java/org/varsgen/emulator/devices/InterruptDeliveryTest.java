package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.cpu.InterruptPins;
import org.varsgen.emulator.time.VirtualClock;

/** The interrupt path of the q35 machine from device to the CPU's {@link InterruptPins}, end to end. */
class InterruptDeliveryTest {
    private VirtualClock clock;
    private DualPic pics;
    private IoApic ioapic;
    private LocalApic apic;
    private InterruptPins pins;
    private IsaIrqRouter router;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        pics = new DualPic();
        apic = new LocalApic(clock, 0);
        ioapic = new IoApic(apic);
        apic.connectPic(pics);
        apic.setEoiBroadcast(ioapic::endOfInterrupt);
        router = new IsaIrqRouter(pics, ioapic);
        pins = apic;
    }

    private void apicWrite(int offset, long value) {
        apic.write(offset, 4, value);
    }

    private void ioapicWrite(int reg, long value) {
        ioapic.write(0x00, 4, reg);
        ioapic.write(0x10, 4, value);
    }

    private void initPics(int masterBase) {
        pics.master().write(0, 0x11);
        pics.master().write(1, masterBase);
        pics.master().write(1, 0x04);
        pics.master().write(1, 0x01);
        pics.slave().write(0, 0x11);
        pics.slave().write(1, masterBase + 8);
        pics.slave().write(1, 0x02);
        pics.slave().write(1, 0x01);
    }

    /** OVMF's ProgramVirtualWireMode: software-enable, LINT0 ExtINT, LINT1 NMI. */
    private void virtualWire() {
        apicWrite(0x0F0, 0x10F);
        apicWrite(0x350, 0x700);
        apicWrite(0x360, 0x400);
    }

    @Test
    void pitChannel0ThroughThePicAndLint0ExtInt() {
        Pit8254 pit = new Pit8254(clock, router.line(0));
        initPics(0x68);
        pics.master().write(1, 0xFE);             // only IRQ0
        pics.slave().write(1, 0xFF);
        pit.write(3, 1, 0x34);
        pit.write(0, 1, 11932 & 0xFF);            // 100 Hz
        pit.write(0, 1, 11932 >> 8);
        ClockDriver.runUntil(clock, 10_000_000);
        assertTrue(pics.output(), "the PIC raised INT");
        assertFalse(pins.interruptPending(), "after reset LINT0 is masked, as QEMU 7.2 shows the firmware");
        virtualWire();
        assertTrue(pins.interruptPending());
        assertEquals(0x68, pins.acknowledgeInterrupt());
        assertFalse(pins.interruptPending(), "IRQ0 in service at the PIC");
        pics.master().write(0, 0x20);
        long firstTick = clock.now();
        ClockDriver.runUntil(clock, 2 * 11932L * 1_000_000_000L / Pit8254.FREQUENCY_HZ + 1);
        assertTrue(pins.interruptPending(), "the second period's tick");
        assertEquals(0x68, pins.acknowledgeInterrupt());
        assertTrue(clock.now() > firstTick);
    }

    @Test
    void disabledApicPassesThePicStraightThrough() {
        initPics(0x08);
        pics.master().write(1, 0xFD);
        router.line(1).raise();
        assertFalse(pins.interruptPending());
        apic.writeApicBaseMsr(0xFEE00100L);       // clear the global enable
        assertTrue(pins.interruptPending());
        assertEquals(0x09, pins.acknowledgeInterrupt());
    }

    /** LocalApicTimerDxe's programming, from the device trace: DCR 0x0B, LVT 0x00020020, count 10,000,000. */
    @Test
    void apicTimerPeriodicTickIsVector0x20Every10Milliseconds() {
        virtualWire();
        apicWrite(0x3E0, 0x0B);
        apicWrite(0x320, 0x00020020);
        apicWrite(0x380, 0x00989680);
        List<Long> deliveries = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            long deadline = clock.nextDeadline();
            assertEquals(i * 10_000_001L, deadline, "QEMU's period: (initial count + 1) ns at 1 GHz, divide by 1");
            ClockDriver.runUntil(clock, deadline - 1);
            assertFalse(pins.interruptPending());
            ClockDriver.runUntil(clock, deadline);
            assertTrue(pins.interruptPending());
            assertEquals(0x20, pins.acknowledgeInterrupt());
            deliveries.add(clock.now());
            apicWrite(0x0B0, 0);
        }
        assertEquals(List.of(10_000_001L, 20_000_002L, 30_000_003L), deliveries);
    }

    @Test
    void apicTimerTickWaitsBehindAHigherPriorityInService() {
        virtualWire();
        apicWrite(0x300, 0x00040050);
        assertEquals(0x50, pins.acknowledgeInterrupt());
        apicWrite(0x3E0, 0x0B);
        apicWrite(0x320, 0x00000020);
        apicWrite(0x380, 100);
        ClockDriver.runUntil(clock, 200);
        assertTrue(apic.irrBit(0x20));
        assertFalse(pins.interruptPending());
        apicWrite(0x0B0, 0);
        assertEquals(0x20, pins.acknowledgeInterrupt());
    }

    @Test
    void smiIpiToSelfReachesTheCpu() {
        apicWrite(0x310, 0);
        apicWrite(0x300, 0x00004200);
        assertTrue(pins.takeSmi());
        assertFalse(pins.interruptPending(), "an SMI is not a maskable interrupt");
    }

    @Test
    void isaInterruptsThroughTheIoApic() {
        pics.master().write(1, 0xFF);             // as OVMF's SEC does: both PICs masked
        pics.slave().write(1, 0xFF);
        virtualWire();
        ioapicWrite(0x10 + 2 * 8, 0x48);          // RTC
        ioapicWrite(0x10 + 2 * 4, 0x34);          // COM1
        Mc146818Rtc rtc = new Mc146818Rtc(clock, router.line(8), 0);
        Uart16550 com1 = new Uart16550("com1", 0x3F8, router.line(4), clock);
        com1.write(1, 1, 0x02);                   // THRE interrupt: fires at once
        assertEquals(0x34, pins.acknowledgeInterrupt());
        apicWrite(0x0B0, 0);
        rtc.selectIndex(0x0B);
        rtc.writeData(0x42);                      // periodic interrupt
        ClockDriver.runUntil(clock, clock.nextDeadline());
        assertTrue(pins.interruptPending());
        assertEquals(0x48, pins.acknowledgeInterrupt());
    }

    @Test
    void levelTriggeredGsiIsRedeliveredAfterEoiWhileAsserted() {
        virtualWire();
        ioapicWrite(0x10 + 2 * 16, 0x8000 | 0x61);
        ioapic.setPin(16, true);
        assertEquals(0x61, pins.acknowledgeInterrupt());
        assertFalse(pins.interruptPending());
        apicWrite(0x0B0, 0);                      // EOI: broadcast to the IOAPIC, line still high
        assertTrue(pins.interruptPending());
        assertEquals(0x61, pins.acknowledgeInterrupt());
        ioapic.setPin(16, false);
        apicWrite(0x0B0, 0);
        assertFalse(pins.interruptPending());
    }

    @Test
    void nmiThroughLint1() {
        virtualWire();
        apic.setLint1(true);
        assertTrue(pins.takeNmi());
        assertFalse(pins.takeNmi());
    }
}
