package org.varsgen.emulator.devices;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.SystemMemory;
import org.varsgen.emulator.devices.pci.Ich9Lpc;
import org.varsgen.emulator.devices.pci.Ich9SmBus;
import org.varsgen.emulator.devices.pci.PciHost;
import org.varsgen.emulator.devices.pci.Q35Mch;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The chipset part of the q35 board as the tests need it: RAM, MCH, LPC with its PM block and
 * CPU hotplug block, SMBus, debug console, port 0x80 and port 0x92, with recorders for power-off,
 * reset, SMIs, the A20 line and the SCI.
 */
public final class ChipsetFixture implements MachineControl {
    public static final long LOW_RAM = 256L << 20;

    public final VirtualClock clock = new VirtualClock();
    public final SystemMemory memory;
    public final IoSpace io = new IoSpace();
    public final PciHost pci;
    public final Q35Mch mch;
    public final Ich9Lpc lpc;
    public final Ich9SmBus smbus = new Ich9SmBus();
    public final ByteArrayOutputStream debugOutput = new ByteArrayOutputStream();
    public final List<Integer> sciLevels = new ArrayList<>();
    public int powerOffs;
    public int resets;
    public int smis;
    public boolean a20;

    /** A fixture whose RAM array holds {@code ramBytes} (the MCH still believes in 256 MiB). */
    public ChipsetFixture(int ramBytes) {
        memory = new SystemMemory(ramBytes);
        memory.add(Region.ram("ram-below-4g", 0, ramBytes, 0, false));
        pci = new PciHost(memory, io);
        mch = new Q35Mch(memory, pci, LOW_RAM);
        lpc = new Ich9Lpc(memory, io, clock, AcpiPmTimer.DEFAULT_READ_QUANTUM_NANOS, this, () -> smis++,
                gsi -> high -> sciLevels.add(high ? gsi : -gsi), 1);
        pci.attach(0, 0, mch, 256);
        pci.attach(31, 0, lpc, 256);
        pci.attach(31, 3, smbus, 256);
        DebugConsole debugConsole = new DebugConsole();
        debugConsole.setOutput(debugOutput::write);
        io.add(debugConsole.region());
        io.add(new PostPort().region());
        io.add(new Port92(high -> a20 = high, this).region());
        lpc.machineReady(io);
    }

    @Override
    public void powerOff() {
        powerOffs++;
    }

    @Override
    public void reset() {
        resets++;
    }

    /** A configuration read through 0xCF8/0xCFC, the way OVMF's PciCf8Lib does it. */
    public long cf8Read(int device, int fn, int offset, int size) {
        io.write(0xCF8, 4, 0x80000000L | device << 11 | fn << 8 | (offset & 0xFC));
        return io.read(0xCFC + (offset & 3), size);
    }

    public void cf8Write(int device, int fn, int offset, int size, long value) {
        io.write(0xCF8, 4, 0x80000000L | device << 11 | fn << 8 | (offset & 0xFC));
        io.write(0xCFC + (offset & 3), size, value);
    }

    /** What OVMF's SEC/PlatformPei do first: PMBASE 0x600, ACPI enable, PCIEXBAR 0xE0000000. */
    public void firmwareEarlySetup() {
        cf8Write(31, 0, 0x40, 4, 0x601);
        cf8Write(31, 0, 0x44, 1, 0x80);
        cf8Write(0, 0, 0x60, 4, 0);
        cf8Write(0, 0, 0x64, 4, 0);
        cf8Write(0, 0, 0x60, 4, 0xE0000001L);
    }
}
