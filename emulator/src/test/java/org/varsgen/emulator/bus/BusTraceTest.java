package org.varsgen.emulator.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The trace writes what shared/tools/condense-qemu-trace.py writes for the same accesses. */
class BusTraceTest {
    @Test
    void collapsesTimerReadsAndDebugConsoleText() {
        StringWriter out = new StringWriter();
        BusTrace t = new BusTrace(out);
        t.access(false, "pci-conf-idx", 0xCF8, 4, 0);
        t.access(false, "acpi-tmr", 0x608, 4, 0x183424);
        t.access(false, "acpi-tmr", 0x608, 4, 0x183500);
        t.access(false, "acpi-tmr", 0x608, 4, 0x1835ff);
        for (char c : "Hi\r\n\n  \nPartial".toCharArray()) {
            t.access(true, "isa-debugcon", 0x402, 1, c);
        }
        t.access(false, "isa-debugcon", 0x402, 1, 0xE9);
        t.access(false, "pcie-mmcfg-mmio", 0xE0008000L, 4, -1L);
        t.flush();
        assertEquals("""
                R pci-conf-idx 0xcf8 4 0x0
                R acpi-tmr 0x608 4 x3 0x183424..0x1835ff
                # Hi
                # Partial
                R isa-debugcon 0x402 1 0xe9
                R pcie-mmcfg-mmio 0xe0008000 4 0xffffffffffffffff
                """, out.toString());
    }

    @Test
    void accessesMadeByDevicesAreMarked() {
        StringWriter out = new StringWriter();
        BusTrace t = new BusTrace(out);
        SystemMemory memory = new SystemMemory(4096);
        RecordingHandler msi = new RecordingHandler(16);
        memory.add(Region.mmio("apic-msi", 0xFEE00000L, 16, msi, AccessConstraints.QEMU_DEFAULT));
        memory.setTrace(t);
        memory.write(0xFEE00000L, 4, 0, SystemMemory.ATTR_DEVICE);
        memory.read(0xFEE00004L, 4, 0);
        memory.read(0xFED40000L, 1, SystemMemory.ATTR_DEVICE);
        t.flush();
        assertEquals("""
                W apic-msi 0xfee00000 4 0x0 (device)
                R apic-msi 0xfee00004 4 0x17161514
                X R unassigned 0xfed40000 1 (device)
                """, out.toString());
    }
}
