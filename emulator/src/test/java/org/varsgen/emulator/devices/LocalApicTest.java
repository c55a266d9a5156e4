package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.time.VirtualClock;

class LocalApicTest {
    private VirtualClock clock;
    private LocalApic apic;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        apic = new LocalApic(clock, 0);
    }

    private long r(int offset) {
        return apic.read(offset, 4);
    }

    private void w(int offset, long value) {
        apic.write(offset, 4, value);
    }

    private void enable() {
        w(0x0F0, 0x1FF);
    }

    /** Values QEMU 7.2 answered in the firmware's device trace right after reset. */
    @Test
    void resetStateIsQemus() {
        assertEquals(0xFEE00900L, apic.readApicBaseMsr(), "base, BSP, global enable");
        assertEquals(0, r(0x020), "APIC ID 0");
        assertEquals(0x00050014L, r(0x030), "version 0x14, six LVT entries");
        assertEquals(0xFF, r(0x0F0), "SVR: software disabled, spurious vector 0xFF");
        for (int lvt = 0x320; lvt <= 0x370; lvt += 0x10) {
            assertEquals(0x10000, r(lvt), "LVT " + Integer.toHexString(lvt) + " masked");
        }
        assertEquals(0xFFFFFFFFL, r(0x0E0), "DFR flat model");
        assertEquals(0, r(0x3E0));
        assertEquals(0, r(0x380));
    }

    @Test
    void narrowAccessesReadZeroAndWriteNothing() {
        assertEquals(0, apic.read(0x030, 2));
        apic.write(0x080, 1, 0x50);
        assertEquals(0, r(0x080));
    }

    @Test
    void unknownRegisterSetsIllegalAddressError() {
        assertEquals(0, r(0x0C0));
        w(0x280, 0);
        assertEquals(0x80, r(0x280) & 0x80);
    }

    @Test
    void fixedSelfIpiIsDeliveredByPriorityAndEoi() {
        enable();
        w(0x300, 0x00040050);                    // self, fixed, vector 0x50
        assertTrue(apic.interruptPending());
        w(0x080, 0x50);                          // TPR class 5 blocks class 5
        assertFalse(apic.interruptPending());
        assertEquals(0x50, r(0x0A0), "PPR = TPR");
        w(0x080, 0x30);
        assertEquals(0x50, apic.acknowledgeInterrupt());
        assertTrue(apic.isrBit(0x50));
        assertEquals(0x00010000L, r(0x120), "ISR bit 0x50 in the third ISR word");
        assertEquals(0x50, r(0x0A0), "PPR follows the in-service class");
        w(0x300, 0x00040045);                    // class 4 waits behind class 5 in service
        assertFalse(apic.interruptPending());
        assertEquals(0x20, r(0x220), "IRR bit 0x45");
        w(0x0B0, 0);                             // EOI
        assertFalse(apic.isrBit(0x50));
        assertTrue(apic.interruptPending());
        assertEquals(0x45, apic.acknowledgeInterrupt());
    }

    @Test
    void softwareDisabledApicHoldsFixedInterrupts() {
        w(0x300, 0x00040050);
        assertFalse(apic.interruptPending(), "SVR bit 8 clear");
        enable();
        assertTrue(apic.interruptPending());
    }

    @Test
    void smiIpiToSelfReachesTakeSmiOnce() {
        // OVMF's SmmRelocationLib: ICR high 0, ICR low 0x4200 (SMI, assert, physical APIC ID 0).
        assertEquals(0, r(0x310));
        w(0x310, 0);
        w(0x300, 0x00004200);
        assertEquals(0x4200, r(0x300), "delivery status reads idle");
        assertTrue(apic.takeSmi());
        assertFalse(apic.takeSmi());
        // PiSmmCpuDxeSmm's broadcast to all excluding self reaches nobody with one CPU.
        w(0x300, 0x000C4200);
        assertFalse(apic.takeSmi());
        assertFalse(apic.interruptPending());
    }

    @Test
    void initAndStartupIpisToAbsentCpusAreIgnored() {
        w(0x310, 0x01000000);                    // APIC ID 1: nobody
        w(0x300, 0x00004500);                    // INIT
        w(0x300, 0x00004608);                    // SIPI
        assertFalse(apic.takeInit());
        w(0x300, 0x000C4500);                    // INIT to all excluding self
        assertFalse(apic.takeInit());
        w(0x310, 0);
        w(0x300, 0x00008500);                    // INIT level de-assert: no INIT
        assertFalse(apic.takeInit());
        w(0x300, 0x00004500);                    // INIT to ourselves
        assertTrue(apic.takeInit());
    }

    @Test
    void nmiIpiAndChipsetSignals() {
        w(0x300, 0x00044400);
        assertTrue(apic.takeNmi());
        apic.raiseSmi();
        apic.raiseInit();
        assertTrue(apic.takeSmi());
        assertTrue(apic.takeInit());
        assertFalse(apic.takeNmi());
    }

    @Test
    void logicalDestinationsInFlatAndClusterModels() {
        enable();
        w(0x0D0, 0x02000000);                    // LDR bit 1
        w(0x310, 0x04000000);
        w(0x300, 0x00000860);                    // logical, fixed, vector 0x60: not us
        assertFalse(apic.irrBit(0x60));
        w(0x310, 0x06000000);
        w(0x300, 0x00000860);
        assertTrue(apic.irrBit(0x60));
        w(0x0E0, 0x0FFFFFFF);                    // cluster model
        w(0x0D0, 0x31000000);                    // cluster 3, member bit 0
        w(0x310, 0x21000000);
        w(0x300, 0x00000861);
        assertFalse(apic.irrBit(0x61));
        w(0x310, 0x31000000);
        w(0x300, 0x00000861);
        assertTrue(apic.irrBit(0x61));
    }

    @Test
    void illegalVectorsAreRejectedWithAnError() {
        enable();
        w(0x370, 0x000000EE);                    // error LVT: vector 0xEE
        w(0x300, 0x00040005);
        assertEquals(0xEE, apic.acknowledgeInterrupt(), "the error interrupt, not vector 5");
        w(0x280, 0);
        assertEquals(0x20, r(0x280), "send illegal vector");
        w(0x280, 0);
        assertEquals(0x00, r(0x280), "a second write latches no new errors");
    }

    @Test
    void oneShotTimerFiresOnceAndCountsDownAtTheDividedBusClock() {
        enable();
        w(0x3E0, 0x3);                           // divide by 16
        w(0x320, 0x00000030);                    // one-shot, vector 0x30
        w(0x380, 1000);
        clock.advance(160);
        assertEquals(990, r(0x390));
        assertEquals((1000 + 1) * 16, clock.nextDeadline(), "QEMU: a period is initial count + 1 ticks");
        clock.advance(clock.nextDeadline() - clock.now());
        clock.runDueTimers();
        assertTrue(apic.irrBit(0x30));
        assertEquals(0, r(0x390));
        assertEquals(VirtualClock.NEVER, clock.nextDeadline(), "one-shot: no re-arm");
    }

    @Test
    void divideConfigurationEncodings() {
        int[][] cases = {{0x0, 2}, {0x1, 4}, {0x2, 8}, {0x3, 16}, {0x8, 32}, {0x9, 64}, {0xA, 128}, {0xB, 1}};
        for (int[] c : cases) {
            setUp();
            w(0x3E0, c[0]);
            w(0x320, 0x30);
            w(0x380, 100);
            assertEquals(101L * c[1], clock.nextDeadline(), "DCR " + c[0]);
        }
    }

    @Test
    void maskedTimerCountsButDoesNotFire() {
        w(0x3E0, 0xB);
        w(0x320, 0x00010030);
        w(0x380, 100);
        assertEquals(VirtualClock.NEVER, clock.nextDeadline());
        clock.advance(40);
        assertEquals(60, r(0x390));
    }

    @Test
    void timerReadHookRunsBeforeCurrentCount() {
        List<Long> seen = new ArrayList<>();
        apic.setTimerReadHook(() -> {
            clock.advance(10);
            seen.add(clock.now());
        });
        w(0x3E0, 0xB);
        w(0x380, 100);
        assertEquals(90, r(0x390), "the charged time is already counted");
        assertEquals(List.of(10L), seen);
    }

    @Test
    void apicBaseMsrMovesTheWindowAndDisablingIsSticky() {
        enable();
        apic.writeApicBaseMsr(0xFED00900L);
        assertEquals(0xFED00000L, apic.mmioBase());
        assertEquals(0xFED00000L, apic.region().base());
        apic.writeApicBaseMsr(0xFED00000L);
        assertFalse(apic.globallyEnabled());
        assertEquals(0xFF, r(0x0F0) & 0x1FF, "disabling clears the SVR software enable");
        apic.writeApicBaseMsr(0xFEE00800L);
        assertFalse(apic.globallyEnabled(), "as in QEMU, only a reset enables it again");
        assertEquals(0x100, apic.readApicBaseMsr() & 0x100, "BSP flag kept");
    }

    @Test
    void cr8IsTheTprPriorityClass() {
        apic.writeCr8(0x7);
        assertEquals(0x70, r(0x080));
        w(0x080, 0x5A);
        assertEquals(5, apic.cr8());
    }

    @Test
    void levelTriggeredInterruptsBroadcastEoi() {
        List<Integer> eois = new ArrayList<>();
        apic.setEoiBroadcast(eois::add);
        enable();
        apic.deliver(0, false, ApicMessageSink.FIXED, 0x41, true);
        assertEquals(0x02, r(0x180 + 0x20) & 0x02, "TMR bit 0x41");
        assertEquals(0x41, apic.acknowledgeInterrupt());
        w(0x0B0, 0);
        assertEquals(List.of(0x41), eois);
        apic.deliver(0, false, ApicMessageSink.FIXED, 0x42, false);
        apic.acknowledgeInterrupt();
        w(0x0B0, 0);
        assertEquals(List.of(0x41), eois, "edge: no broadcast");
    }

    @Test
    void msiWriteToTheApicPageDeliversAnInterrupt() {
        enable();
        w(0x000, 0x00000055);
        assertTrue(apic.irrBit(0x55));
    }
}
