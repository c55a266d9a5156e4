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
}
