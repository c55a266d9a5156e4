package org.varsgen.emulator.board;

import java.util.ArrayList;
import java.util.List;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.BusTrace;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.bus.SystemMemory;
import org.varsgen.emulator.cpu.Cpu;
import org.varsgen.emulator.cpu.LocalApicRegisters;
import org.varsgen.emulator.devices.IrqLine;
import org.varsgen.emulator.devices.LegacyDevices;
import org.varsgen.emulator.devices.MachineControl;
import org.varsgen.emulator.devices.PcCmosLayout;
import org.varsgen.emulator.devices.Port92;
import org.varsgen.emulator.devices.ahci.AtaDisk;
import org.varsgen.emulator.devices.ahci.Ich9Ahci;
import org.varsgen.emulator.devices.flash.CfiFlash;
import org.varsgen.emulator.devices.flash.FirmwareFlash;
import org.varsgen.emulator.devices.fwcfg.FwCfg;
import org.varsgen.emulator.devices.fwcfg.Q35FwCfg;
import org.varsgen.emulator.devices.pci.Ich9Lpc;
import org.varsgen.emulator.devices.pci.Ich9SmBus;
import org.varsgen.emulator.devices.pci.PciHost;
import org.varsgen.emulator.devices.pci.Q35Mch;
import org.varsgen.emulator.time.VirtualClock;

/**
 * QEMU 7.2's q35 machine as Debian's command line builds it ({@code -machine q35 -nodefaults
 * -m 256 -smp 1}, two ISA serial ports, pflash units 0 and 1, one SATA disk on AHCI port 0):
 * one CPU, RAM, the MCH at 00:00.0, the LPC bridge at 00:1f.0 with its PM block, APM, reset
 * control and CPU hotplug block, the AHCI controller at 00:1f.2, the SMBus controller at
 * 00:1f.3, the legacy devices, fw_cfg and the two flash devices.
 *
 * <p>Memory map (256 MiB): RAM {@code ram-below-4g} 0-0x0FFFFFFF with the MCH's PAM and SMRAM
 * overlays; ECAM where the guest puts PCIEXBAR; IOAPIC 0xFEC00000; local APIC 0xFEE00000; the
 * flash at the top of 4 GiB (vars unit below code unit) and its isa-bios copy at
 * 0xE0000-0xFFFFF, both in the PCI layer, as QEMU maps them into the PCI address space.
 *
 * <p>Machine reset is not done in place: the {@link Machine} builds a new board from the same
 * configuration, carrying over the vars flash, the disk contents and guest time (QEMU resets
 * every device; rebuilding gives the reset state of every device by construction).
 */
public final class Q35Board implements MachineControl {
    /** Guest time charged for every read of a polled timer register (PM timer, APIC count, PIT, RTC). */
    public static final long TIMER_READ_QUANTUM_NANOS = 1_000;
    /** Where OVMF's AHCI INTA lands with PIRQA routed by QEMU's q35 (GSI 16). */
    private static final int AHCI_GSI = 16;

    public final BoardConfig config;
    public final VirtualClock clock;
    public final SystemMemory memory;
    public final IoSpace io = new IoSpace();
    public final PciHost pci;
    public final Q35Mch mch;
    public final Ich9Lpc lpc;
    public final Ich9Ahci ahci;
    public final Ich9SmBus smbus = new Ich9SmBus();
    public final LegacyDevices legacy;
    public final FirmwareFlash flash;
    public final FwCfg fwCfg;
    public final Port92 port92;
    public final Cpu cpu;
    private final AtaDisk disk;
    private final Region apicRegion;
    private final BusTrace trace;
    private boolean powerOffRequested;
    private boolean resetRequested;
    private boolean a20 = true;

    /** A freshly powered-on board. */
    public Q35Board(BoardConfig config) {
        this(config, new VirtualClock(), config.vars(), config.disk());
    }

    /**
     * A board in its reset state whose guest time continues on {@code clock}, with the given vars
     * flash and disk contents (those survive a machine reset).
     */
    Q35Board(BoardConfig config, VirtualClock clock, byte[] varsImage, byte[] diskImage) {
        this.config = config;
        this.clock = clock;
        long ram = config.ramBytes();
        memory = new SystemMemory((int) ram);
        memory.add(Region.ram("ram-below-4g", 0, ram, 0, false));
        trace = config.trace() == null ? null : new BusTrace(config.trace());
        memory.setTrace(trace);
        io.setTrace(trace);

        // After a machine reset the clock carries on, and so does a running RTC.
        long rtcStart = config.rtcEpochSeconds() + (config.rtcFrozen() ? 0 : clock.now() / 1_000_000_000L);
        legacy = new LegacyDevices(clock, rtcStart, ram, 0);
        legacy.rtc.setFrozen(config.rtcFrozen());
        legacy.ioRegions().forEach(io::add);
        apicRegion = memory.add(legacy.apic.region());
        memory.add(legacy.ioapic.region());
        legacy.debugConsole.setOutput(config.debugcon());
        legacy.com1.setOutput(config.com1());
        legacy.com2.setOutput(config.com2());
        legacy.keyboardController.setResetCallback(this::reset);
        legacy.keyboardController.setA20Line(this::setA20);
        Runnable quantum = () -> clock.advance(TIMER_READ_QUANTUM_NANOS);
        legacy.apic.setTimerReadHook(quantum);
        legacy.pit.setTimerReadHook(quantum);
        legacy.rtc.setTimerReadHook(quantum);

        pci = new PciHost(memory, io);
        mch = new Q35Mch(memory, pci, ram);
        lpc = new Ich9Lpc(memory, io, clock, TIMER_READ_QUANTUM_NANOS, this, legacy.apic::raiseSmi,
                this::gsiLine, 1);
        disk = diskImage == null ? null : new AtaDisk(config.diskName(), diskImage, true, 1);
        if (disk != null) {
            // QEMU's pc_cmos_init_late describes the first AHCI disk in CMOS (size-based guess;
            // an MBR that implies another geometry is not consulted here)
            int[] chs = PcCmosLayout.guessGeometry(diskImage.length);
            PcCmosLayout.hardDisk0(legacy.rtc, chs[0], chs[1], chs[2]);
        }
        ahci = new Ich9Ahci(memory, gsiLine(AHCI_GSI), disk);
        pci.attach(0, 0, mch, 256);
        pci.attach(31, 0, lpc, 256);
        pci.attach(31, 2, ahci, 256);
        pci.attach(31, 3, smbus, 256);

        port92 = new Port92(this::setA20, this);
        io.add(port92.region());

        Q35FwCfg.Result fw = Q35FwCfg.create(memory, new Q35FwCfg.Config(ram, 1, config.oemStrings()));
        fwCfg = fw.fwCfg();
        io.add(Region.mmio("fwcfg", 0x510, 2, fwCfg.portHandler(), FwCfg.PORT_CONSTRAINTS));
        io.add(Region.mmio("fwcfg.dma", 0x514, 8, fwCfg.dmaHandler(), FwCfg.DMA_CONSTRAINTS));

        flash = new FirmwareFlash(config.codeName(), config.code(), config.varsName(), varsImage, false);
        memory.add(Region.mmio("system.flash0", flash.codeBase(), flash.code().size(), flash.code(),
                CfiFlash.CONSTRAINTS).inPciSpace());
        memory.add(Region.mmio("system.flash1", flash.varsBase(), flash.vars().size(), flash.vars(),
                CfiFlash.CONSTRAINTS).inPciSpace());
        byte[] isaBios = flash.isaBiosCopy();
        memory.add(Region.mmio("isa-bios", 0x100000 - isaBios.length, isaBios.length, new ReadOnlyBytes(isaBios),
                AccessConstraints.QEMU_DEFAULT).inPciSpace().withPriority(1));

        lpc.machineReady(io);
        cpu = new Cpu(memory, io, legacy.apic, clock);
        cpu.setLocalApic(new ApicRegistersMovingTheMmioWindow());
        // The local APIC is the CPU's only interrupt source and reports every change of its
        // pins, so the CPU samples them only then instead of at every instruction boundary.
        legacy.apic.setChangeListener(cpu::pinsChanged);
        cpu.setPinsChangeNotification(true);
        cpu.cpuid().setPage1Gb(config.page1GbCpuid());
    }

    /** The line of one GSI: ISA IRQs (below 16) go to both PICs and the IOAPIC, the others to the IOAPIC. */
    private IrqLine gsiLine(int gsi) {
        if (gsi < 16) {
            return legacy.isaIrqs.line(gsi);
        }
        return high -> legacy.ioapic.setPin(gsi, high);
    }

    private void setA20(boolean high) {
        a20 = high;
    }

    /** The A20 gate as port 0x92 and the keyboard controller last set it (the CPU does not mask addresses). */
    public boolean a20() {
        return a20;
    }

    /** ACPI S5 (PM1 control) or S4: the machine stops after the current instruction. */
    @Override
    public void powerOff() {
        powerOffRequested = true;
        cpu.requestStop();
    }

    /** 0xCF9, port 0x92 bit 0, the keyboard controller's pulse: the machine resets after the current instruction. */
    @Override
    public void reset() {
        resetRequested = true;
        cpu.requestStop();
    }

    public boolean powerOffRequested() {
        return powerOffRequested;
    }

    public boolean resetRequested() {
        return resetRequested;
    }

    /** The vars flash as the guest left it. */
    public byte[] varsContents() {
        return flash.vars().contents();
    }

    /** The disk as the guest left it, or null. */
    public byte[] diskContents() {
        return disk == null ? null : disk.contents();
    }

    /** Flushes the bus trace, if any. */
    public void flushTrace() {
        if (trace != null) {
            trace.flush();
        }
    }

    /** Every region of both spaces, for tests and diagnostics, in insertion order. */
    public List<Region> regions() {
        List<Region> all = new ArrayList<>(memory.regions());
        all.addAll(io.regions());
        return all;
    }

    /**
     * MSR 0x1B and CR8 reach the local APIC; a new APIC base moves its MMIO window, and clearing
     * the global enable unmaps it (QEMU maps the APIC page only while enabled).
     */
    private final class ApicRegistersMovingTheMmioWindow implements LocalApicRegisters {
        @Override
        public long readApicBaseMsr() {
            return legacy.apic.readApicBaseMsr();
        }

        @Override
        public void writeApicBaseMsr(long value) {
            legacy.apic.writeApicBaseMsr(value);
            if (apicRegion.base() != legacy.apic.mmioBase()) {
                apicRegion.setBase(legacy.apic.mmioBase());
            }
            if (apicRegion.enabled() != legacy.apic.globallyEnabled()) {
                apicRegion.setEnabled(legacy.apic.globallyEnabled());
            }
        }

        @Override
        public int cr8() {
            return legacy.apic.cr8();
        }

        @Override
        public void writeCr8(long value) {
            legacy.apic.writeCr8(value);
        }
    }

    /** QEMU's isa-bios: a read-only copy of the top of the code flash below 1 MiB; writes are dropped. */
    private record ReadOnlyBytes(byte[] bytes) implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                long at = offset + i;
                v = v << 8 | (at < bytes.length ? bytes[(int) at] & 0xFF : 0);
            }
            return v;
        }

        @Override
        public void write(long offset, int size, long value) {
            // ROM: QEMU ignores writes to isa-bios
        }
    }
}
