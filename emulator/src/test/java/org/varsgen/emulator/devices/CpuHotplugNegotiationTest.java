package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.BusTrace;
import org.varsgen.emulator.bus.IoSpace;

/**
 * Replays OVMF's own CPU counting (edk2 OvmfPkg/Library/PlatformInitLib/Platform.c,
 * PlatformMaxCpuCountInitialization, in edk2-stable202502) against the ICH9 CPU hotplug block,
 * declared as fixed QEMU declares it and as QEMU 5.1 to 7.2.0 declared it under TCG.
 */
class CpuHotplugNegotiationTest {
    private static final int BASE = CpuHotplugBlock.ICH9_BASE;
    private static final int SEL = 0, CMD_DATA2 = 0, STAT = 4, CMD = 5, CMD_DATA = 8;

    /** What the firmware concluded. */
    record Outcome(boolean modern, int present, int possible) { }

    /** The firmware's sequence, access for access (IoWrite32/IoWrite8/IoRead32/IoRead8). */
    static Outcome runFirmware(IoSpace io) {
        io.write(BASE + SEL, 4, 0);   // 1. switch to modern mode
        io.write(BASE + SEL, 4, 0);   // 2. select CPU 0
        io.write(BASE + CMD, 1, 0);   // 3. QEMU_CPUHP_CMD_GET_PENDING
        long data2 = io.read(BASE + CMD_DATA2, 4);  // 4. 0 means modern
        if (data2 != 0) {
            return new Outcome(false, 0, 0);
        }
        int present = 0;
        int possible = 0;
        io.write(BASE + SEL, 4, possible);
        long selected;
        do {
            if ((io.read(BASE + STAT, 1) & 1) != 0) {
                present++;
            }
            possible++;
            io.write(BASE + SEL, 4, possible);
            selected = io.read(BASE + CMD_DATA, 4);
        } while (selected > 0);
        return new Outcome(true, present, possible);
    }

    @Test
    void fixedDeclarationSwitchesToModernAndCountsOneCpu() {
        IoSpace io = new IoSpace();
        StringWriter out = new StringWriter();
        BusTrace trace = new BusTrace(out);
        io.setTrace(trace);
        CpuHotplugBlock block = new CpuHotplugBlock(io, BASE, 1, CpuHotplugBlock.LEGACY);
        assertFalse(block.modern());
        Outcome outcome = runFirmware(io);
        assertTrue(block.modern());
        assertEquals(new Outcome(true, 1, 1), outcome);
        trace.flush();
        // Exactly QEMU 7.2.22's device trace of this step (devtrace-2025.02-debug-nosmm.log).
        assertEquals("""
                W acpi-cpu-hotplug 0xcd8 1 0x0
                W acpi-cpu-hotplug 0xcd9 1 0x0
                W acpi-cpu-hotplug 0xcda 1 0x0
                W acpi-cpu-hotplug 0xcdb 1 0x0
                W acpi-cpu-hotplug 0xcd8 4 0x0
                W acpi-cpu-hotplug 0xcdd 1 0x0
                R acpi-cpu-hotplug 0xcd8 4 0x0
                W acpi-cpu-hotplug 0xcd8 4 0x0
                R acpi-cpu-hotplug 0xcdc 1 0x1
                W acpi-cpu-hotplug 0xcd8 4 0x1
                R acpi-cpu-hotplug 0xce0 4 0x0
                """, out.toString());
    }

    /**
     * QEMU 5.1-7.2.0 under TCG declared the legacy block valid 1..1. Every dword access is then
     * rejected by the bus: the two selector writes never reach the block, so it stays legacy;
     * the command write (a byte) lands on legacy bitmap byte 5 and does nothing; and the dword
     * read of command data 2 returns 0, the value of a rejected read, which never came from the
     * device. The firmware takes that 0 for "modern interface present", reads the status of
     * "CPU 0" from legacy bitmap byte 4 (0: not present), and the rejected dword read of command
     * data ends the loop at once: Present = 0, Possible = 1. edk2-stable202302 and later catch
     * exactly this in PlatformCpuCountBugCheck ("Broken CPU hotplug register block found") and
     * dead-loop in PEI; the release images do so silently.
     */
    @Test
    void qemu51to72DeclarationMakesTheFirmwareCountNoPresentCpu() {
        IoSpace io = new IoSpace();
        StringWriter out = new StringWriter();
        BusTrace trace = new BusTrace(out);
        io.setTrace(trace);
        CpuHotplugBlock block = new CpuHotplugBlock(io, BASE, 1, CpuHotplugBlock.LEGACY_QEMU_5_1_TO_7_2);
        Outcome outcome = runFirmware(io);
        assertFalse(block.modern(), "the switch request never reached the block");
        assertEquals(new Outcome(true, 0, 1), outcome);
        trace.flush();
        assertEquals("""
                X W acpi-cpu-hotplug 0xcd8 4 0x0
                X W acpi-cpu-hotplug 0xcd8 4 0x0
                W acpi-cpu-hotplug 0xcdd 1 0x0
                X R acpi-cpu-hotplug 0xcd8 4
                X W acpi-cpu-hotplug 0xcd8 4 0x0
                R acpi-cpu-hotplug 0xcdc 1 0x0
                X W acpi-cpu-hotplug 0xcd8 4 0x1
                X R acpi-cpu-hotplug 0xce0 4
                """, out.toString());
    }

    @Test
    void withoutAnyBlockTheReadIsAllOnesAndTheFirmwareStaysLegacy() {
        assertEquals(new Outcome(false, 0, 0), runFirmware(new IoSpace()));
    }

    @Test
    void legacyBitmapReadsBytewiseAndModernReportsArchIds() {
        IoSpace io = new IoSpace();
        CpuHotplugBlock block = new CpuHotplugBlock(io, BASE, 3, CpuHotplugBlock.LEGACY);
        assertEquals(0x07L, io.read(BASE, 1));
        assertEquals(0x00000007L, io.read(BASE, 4));
        assertEquals(0L, io.read(BASE + 1, 1));
        io.write(BASE + 2, 1, 0);
        assertFalse(block.modern(), "only a write of 0 at offset 0 switches");
        io.write(BASE, 1, 0);
        assertTrue(block.modern());
        io.write(BASE + SEL, 4, 2);
        io.write(BASE + CMD, 1, 3);
        assertEquals(2L, io.read(BASE + CMD_DATA, 4), "command 3: low half of the APIC ID");
        assertEquals(0L, io.read(BASE + CMD_DATA2, 4));
        io.write(BASE + CMD, 1, 0);
        assertEquals(2L, io.read(BASE + CMD_DATA, 4), "command 0: the selector");
        io.write(BASE + SEL, 4, 3);
        assertEquals(0L, io.read(BASE + STAT, 1), "an invalid selector reads 0");
        block.reset();
        assertFalse(block.modern());
        assertEquals(0x07L, io.read(BASE, 1));
    }
}
