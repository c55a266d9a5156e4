package org.varsgen.emulator.devices.flash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Runs the accesses of scripts/qemu-probes/pflash-probe.asm against our flash pair and compares
 * every value with what QEMU 7.2 answered (src/test/resources/qemu-pflash/probe.txt).
 */
class CfiFlashQemuCaptureTest {
    private static final int PROBE_SIZE = 0x10000, VARS_SIZE = 0x84000;

    private CfiFlash unit0, unit1;
    private Deque<String> lines;

    private void w(CfiFlash f, int offset, int value) {
        f.write(offset, 1, value);
    }

    private void v(String tag, CfiFlash f, int offset, int size) {
        String expected = lines.removeFirst();
        String value = String.format("%0" + (2 * size) + "x", f.read(offset, size));
        assertEquals(expected, "V " + tag + " " + value);
    }

    @Test
    void answersAsQemu() throws IOException {
        lines = new ArrayDeque<>(List.of(resource("qemu-pflash/probe.txt").split("\n")));
        byte[] vars = new byte[VARS_SIZE];
        for (int i = 0; i < vars.length; i++) {
            vars[i] = (byte) (7 * i + 3);
        }
        // Unit 0 is the probe program itself (the capture ran it as the code flash).
        Path probePath = Path.of(System.getProperty("basedir", "."), "../scripts/qemu-probes/pflash-probe.bin");
        assumeTrue(Files.isRegularFile(probePath), "probe binary not found: " + probePath);
        byte[] probe = Files.readAllBytes(probePath);
        FirmwareFlash ff = new FirmwareFlash("pflash-probe.bin", probe, "vars.fd", vars, false);
        unit0 = ff.code();
        unit1 = ff.vars();
        assertEquals(0xFFFF0000L - VARS_SIZE, ff.varsBase());

        v("array", unit1, 0x10, 1);
        v("array32", unit1, 0x10, 4);
        w(unit1, 0x55, 0x98);
        StringBuilder cfi = new StringBuilder("CFI ");
        for (int i = 0; i < 0x60; i++) {
            cfi.append(String.format("%02x", unit1.read(i, 1)));
        }
        assertEquals(lines.removeFirst(), cfi.toString());
        v("cfi16", unit1, 0x10, 2);
        v("cfi32", unit1, 0x10, 4);
        v("cfi-high", unit1, 0x110, 1);
        w(unit1, 0, 0x70);
        v("cfi-after-70", unit1, 0x10, 1);
        w(unit1, 0, 0xFF);
        v("cfi-exit", unit1, 0x10, 1);
        w(unit1, 0, 0x90);
        v("id0", unit1, 0, 1);
        v("id1", unit1, 1, 1);
        v("id2", unit1, 2, 1);
        v("id32", unit1, 0, 4);
        w(unit1, 0, 0xFF);
        w(unit1, 0, 0x70);
        v("status", unit1, 0x10, 1);
        v("status16", unit1, 0x10, 2);
        v("status32", unit1, 0x10, 4);
        w(unit1, 0x10, 0x50);
        v("after-50", unit1, 0x10, 1);
        w(unit1, 0x10, 0x70);
        v("status-cleared", unit1, 0x10, 1);
        w(unit1, 0x20000, 0x10);
        v("program-setup", unit1, 0x20000, 1);
        w(unit1, 0x20000, 0x12);
        v("programmed", unit1, 0x20000, 1);
        v("programmed32", unit1, 0x20000, 4);
        w(unit1, 0, 0xFF);
        v("array-programmed", unit1, 0x20000, 4);
        w(unit1, 0x20010, 0x40);
        unit1.write(0x20010, 4, 0x11223344L);
        w(unit1, 0, 0xFF);
        v("array-program32", unit1, 0x20010, 4);
        w(unit1, 0x20123, 0x20);
        v("erase-setup", unit1, 0x20000, 1);
        w(unit1, 0x20123, 0xD0);
        v("erase-confirmed", unit1, 0x20000, 1);
        w(unit1, 0, 0xFF);
        v("array-erased", unit1, 0x20000, 4);
        v("array-next-sector", unit1, 0x21000, 4);
        w(unit1, 0x22000, 0x20);
        w(unit1, 0x22000, 0x42);
        v("bad-confirm", unit1, 0x22000, 1);
        w(unit1, 0, 0x42);
        v("unknown", unit1, 0x10, 1);
        w(unit1, 0, 0x60);
        w(unit1, 0, 0xD0);
        v("unlock", unit1, 0x10, 1);
        w(unit1, 0, 0xFF);
        w(unit1, 0x23000, 0xE8);
        v("buffer-setup", unit1, 0x23000, 1);
        w(unit1, 0x23000, 2);
        w(unit1, 0x23000, 0xA0);
        w(unit1, 0x23001, 0xA1);
        w(unit1, 0x23002, 0xA2);
        w(unit1, 0x23000, 0xD0);
        v("buffer-done", unit1, 0x23000, 1);
        w(unit1, 0, 0xFF);
        v("array-buffer", unit1, 0x23000, 4);
        w(unit0, 0x100, 0x50);
        w(unit0, 0x100, 0x10);
        w(unit0, 0x100, 0x00);
        v("ro-program", unit0, 0x100, 1);
        w(unit0, 0x100, 0x20);
        w(unit0, 0x100, 0xD0);
        v("ro-erase", unit0, 0x100, 1);
        w(unit0, 0, 0xFF);
        v("ro-array", unit0, 0x100, 4);
        assertEquals("END", lines.removeFirst());
        assertEquals(PROBE_SIZE, unit0.size());
    }

    private static String resource(String name) throws IOException {
        return new String(resourceBytes(name), StandardCharsets.US_ASCII);
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = CfiFlashQemuCaptureTest.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("test resource missing: " + name);
            }
            return in.readAllBytes();
        }
    }
}
