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

    @Test
    void romDeviceInRomModeIsReadAsMemoryAndNotTraced() {
        StringWriter out = new StringWriter();
        SystemMemory memory = new SystemMemory(4096);
        memory.setTrace(new BusTrace(out));
        byte[] image = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88};
        boolean[] romMode = {true};
        RomDevice rom = new RomDevice() {
            @Override
            public boolean romMode() {
                return romMode[0];
            }

            @Override
            public byte[] romContents() {
                return image;
            }

            @Override
            public void setRomListener(Runnable listener) {
            }

            @Override
            public long read(long offset, int size, int attrs) {
                return 0x80;                      // a status register, in command mode
            }

            @Override
            public void write(long offset, int size, long value, int attrs) {
            }
        };
        memory.add(Region.mmio("system.flash0", 0x10000, image.length, rom, AccessConstraints.of(1, 8, 1, 4)).inPciSpace());
        assertEquals(0x44332211L, memory.read(0x10000, 4, 0));
        assertEquals(0x8877665544332211L, memory.read(0x10000, 8, 0));
        assertEquals(0x66, memory.read(0x10005, 1, 0));
        memory.trace().flush();
        assertEquals("", out.toString(), "ROM reads are memory reads");
        romMode[0] = false;
        assertEquals(0x80, memory.read(0x10000, 1, 0));
        memory.trace().flush();
        assertEquals("R system.flash0 0x10000 1 0x80\n", out.toString());
    }
}
