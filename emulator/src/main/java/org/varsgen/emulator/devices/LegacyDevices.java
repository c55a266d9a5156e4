package org.varsgen.emulator.devices;

import java.util.ArrayList;
import java.util.List;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The interrupt controllers, timers, serial ports and keyboard controller of QEMU's q35 machine
 * (with Debian's command line: two ISA UARTs, no HPET use), wired as QEMU wires them: ISA IRQs
 * to both the 8259 pair and the IOAPIC (IRQ0 on GSI 2), the PIC on the local APIC's LINT0, the
 * IOAPIC on the APIC bus with EOI broadcast back. The board maps {@link #regions()} and
 * connects the CPU to {@link #apic}, the chipset to {@code apic.raiseSmi()}, the reset and A20
 * lines of {@link #keyboardController}, and the host side of the UARTs.
 */
public final class LegacyDevices {
    public final DualPic pics = new DualPic();
    public final LocalApic apic;
    public final IoApic ioapic;
    public final IsaIrqRouter isaIrqs;
    public final Pit8254 pit;
    public final SpeakerPort portB;
    public final Mc146818Rtc rtc;
    public final Uart16550 com1;
    public final Uart16550 com2;
    public final I8042Controller keyboardController;
    public final DebugConsole debugConsole = new DebugConsole();
    public final PostPort postPort = new PostPort();

    /**
     * @param clock             the machine's virtual clock
     * @param rtcStartEpoch     the RTC's time at power-on, seconds since the epoch (UTC)
     * @param ramBelowFourGiB   RAM below 4 GiB, bytes, for the CMOS memory-size bytes
     * @param ramAboveFourGiB   RAM above 4 GiB, bytes
     */
    public LegacyDevices(VirtualClock clock, long rtcStartEpoch, long ramBelowFourGiB, long ramAboveFourGiB) {
        apic = new LocalApic(clock, 0);
        ioapic = new IoApic(apic);
        apic.connectPic(pics);
        apic.setEoiBroadcast(ioapic::endOfInterrupt);
        isaIrqs = new IsaIrqRouter(pics, ioapic);
        pit = new Pit8254(clock, isaIrqs.line(0));
        portB = new SpeakerPort(clock, pit);
        rtc = new Mc146818Rtc(clock, isaIrqs.line(8), rtcStartEpoch);
        PcCmosLayout.fill(rtc, ramBelowFourGiB, ramAboveFourGiB, "cad");
        com1 = new Uart16550("com1", 0x3F8, isaIrqs.line(4), clock);
        com2 = new Uart16550("com2", 0x2F8, isaIrqs.line(3), clock);
        keyboardController = new I8042Controller(isaIrqs.line(1), isaIrqs.line(12));
    }

    /** The port-space register blocks, in a fixed order (QEMU's region names). */
    public List<Region> ioRegions() {
        List<Region> regions = new ArrayList<>(pics.regions());
        regions.add(pit.region());
        regions.add(portB.region());
        regions.addAll(rtc.regions());
        regions.add(com1.region());
        regions.add(com2.region());
        regions.addAll(keyboardController.regions());
        regions.add(debugConsole.region());
        regions.add(postPort.region());
        return regions;
    }

    /** The memory-mapped register blocks: the local APIC at its current base and the IOAPIC. */
    public List<Region> memoryRegions() {
        return List.of(apic.region(), ioapic.region());
    }
}
