package org.varsgen.emulator.devices.ahci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * Runs the program of scripts/qemu-probes/ahci-probe.asm against our controller and compares
 * every value it printed under QEMU 7.2 (src/test/resources/qemu-ahci/probe.txt): the
 * configuration space, HBA and port registers, the received-FIS area and the data of each
 * command, byte for byte.
 */
class Ich9AhciQemuCaptureTest {
    private static final long ABAR_P0 = 0x100, CLB = 0x10000, FB = 0x11000, TBL = 0x12000,
            BUF = 0x13000, WBUF = 0x14000;
    /** The probe's command list: command, features, LBA, count, device, flags (1 write, 2 stop/start), bytes. */
    private static final long[][] COMMANDS = {
        {0xEC, 0x00, 0, 1, 0xA0, 0, 512},
        {0xEF, 0x03, 0, 0x42, 0xA0, 0, 0},
        {0xEC, 0x00, 0, 1, 0xA0, 0, 512},
        {0xEF, 0x77, 0, 0, 0xA0, 2, 0},
        {0xB0, 0xDA, 0xC24F00, 0, 0xA0, 0, 0},
        {0x25, 0x00, 1, 2, 0x40, 0, 1024},
        {0xC8, 0x00, 5, 1, 0x40, 0, 512},
        {0x35, 0x00, 3, 1, 0x40, 1, 512},
        {0x25, 0x00, 3, 1, 0x40, 0, 512},
        {0xA1, 0x00, 0, 1, 0xA0, 0, 512},
        {0x25, 0x00, 2048, 1, 0x40, 0, 512},
        {0xEA, 0x00, 0, 0, 0xA0, 0, 0},
        {0x20, 0x00, 7, 1, 0xE0, 0, 512},
        {0xE5, 0x00, 0, 0, 0xA0, 0, 0},
    };

    private final RamOnlyMemory ram = new RamOnlyMemory(1 << 20);
    private Ich9Ahci ahci;
    private RegionHandler abar;
    private Deque<String> lines;

    /**
     * {@code probe.txt}: the patterned disk; {@code probe-mbr.txt}: the same with an MBR whose
     * partition ends at head 15, sector 32, from which QEMU takes the CHS geometry.
     */
    @ParameterizedTest
    @ValueSource(strings = {"probe.txt", "probe-mbr.txt"})
    void behavesAsQemuForTheProbe(String capture) throws IOException {
        lines = new ArrayDeque<>(java.util.List.of(resource("qemu-ahci/" + capture).split("\n")));
        byte[] image = new byte[1 << 20];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i / 512 + 31 * i);
        }
        if (capture.equals("probe-mbr.txt")) {
            java.util.Arrays.fill(image, 0x1BE, 0x200, (byte) 0);
            byte[] entry = {0, 0, 33, 0, 0x0C, 15, 32, 3, 32, 0, 0, 0, (byte) 0xE0, 0x07, 0, 0};
            System.arraycopy(entry, 0, image, 0x1BE, entry.length);
            image[510] = 0x55;
            image[511] = (byte) 0xAA;
        }
        ahci = new Ich9Ahci(ram, high -> { }, new AtaDisk("disk.img", image, true, 1));
        for (long a = WBUF; a < WBUF + 0x1000; a += 4) {
            ram.write(a, 4, 0xA5A5A5A5L, 0);
        }

        byte[] config = new byte[256];
        for (int i = 0; i < 256; i += 4) {
            int v = ahci.configRead(i, 4);
            for (int j = 0; j < 4; j++) {
                config[i + j] = (byte) (v >>> (8 * j));
            }
        }
        assertEquals(expect("PCI"), HexFormat.of().formatHex(config), "configuration space");

        ahci.configWrite(0x24, 4, 0x80000000);
        ahci.configWrite(0x04, 4, 0x0006);
        abar = ahci.barHandler(Ich9Ahci.ABAR);
        reg(Ich9Ahci.GHC, 0x80000001);
        assertEquals(expect("H"), dwords(0, 11), "HBA registers");
        assertEquals(expect("P reset"), port());
        reg(ABAR_P0, CLB);
        reg(ABAR_P0 + 4, 0);
        reg(ABAR_P0 + 8, FB);
        reg(ABAR_P0 + 12, 0);
        reg(ABAR_P0 + 0x2C, 0x300);
        reg(ABAR_P0 + 0x18, 0x16);
        assertEquals(expect("P fre"), port());
        assertEquals(expect("F"), ramHex(FB, 256), "initial D2H FIS");
        reg(ABAR_P0 + 0x30, 0xFFFFFFFFL);
        reg(ABAR_P0 + 0x10, 0xFFFFFFFFL);
        reg(ABAR_P0 + 0x18, abar.read(ABAR_P0 + 0x18, 4) | 1);
        assertEquals(expect("P st"), port());

        for (long[] c : COMMANDS) {
            run(c);
        }
        assertEquals("END", lines.removeFirst());
    }

    private void run(long[] c) {
        String what = String.format("command %02x", c[0]);
        boolean write = (c[5] & 1) != 0;
        zero(FB, 0x100);
        zero(BUF, 0x1000);
        ram.write(CLB, 4, 5 | (write ? 1 << 6 : 0) | (c[6] != 0 ? 1 << 16 : 0), 0);
        ram.write(CLB + 4, 4, 0, 0);
        ram.write(CLB + 8, 4, TBL, 0);
        ram.write(CLB + 12, 4, 0, 0);
        long lba = c[2];
        int[] fis = {0x27, 0x80, (int) c[0], (int) c[1], (int) lba & 0xFF, (int) (lba >> 8) & 0xFF,
            (int) (lba >> 16) & 0xFF, (int) c[4], (int) (lba >> 24) & 0xFF, (int) (lba >> 32) & 0xFF,
            (int) (lba >> 40) & 0xFF, 0, (int) c[3] & 0xFF, (int) (c[3] >> 8) & 0xFF};
        for (int i = 0; i < fis.length; i++) {
            ram.write(TBL + i, 1, fis[i], 0);
        }
        ram.write(TBL + 0x80, 4, write ? WBUF : BUF, 0);
        ram.write(TBL + 0x84, 4, 0, 0);
        ram.write(TBL + 0x88, 4, 0, 0);
        ram.write(TBL + 0x8C, 4, (c[6] - 1) & 0xFFFFFFFFL, 0);
        reg(ABAR_P0 + 0x10, 0xFFFFFFFFL);
        reg(ABAR_P0 + 0x38, 1);

        assertEquals(expect("C"), String.format("%02x %08x", c[0], ram.read(CLB + 4, 4, 0)), what + ": PRDBC");
        assertEquals(expect("P cmd"), port(), what + ": port registers");
        assertEquals(expect("F"), ramHex(FB, 256), what + ": received FISes");
        if (!write && c[6] != 0) {
            assertEquals(expect("D"), ramHex(BUF, (int) c[6]), what + ": data");
        }
        if ((c[5] & 2) != 0) {
            reg(ABAR_P0 + 0x18, abar.read(ABAR_P0 + 0x18, 4) & ~1L);
            assertEquals(expect("P stop"), port(), what + ": after clearing ST");
            reg(ABAR_P0 + 0x18, abar.read(ABAR_P0 + 0x18, 4) | 1);
            assertEquals(expect("P start"), port(), what + ": after setting ST");
        }
    }

    /** The next captured line, which must start with {@code tag}; returns the rest. */
    private String expect(String tag) {
        String line = lines.removeFirst();
        assertEquals(tag, line.substring(0, tag.length()), "capture out of step: " + line);
        return line.substring(tag.length()).trim();
    }

    private void reg(long offset, long value) {
        abar.write(offset, 4, value);
    }

    private String port() {
        return dwords(ABAR_P0, 16);
    }

    private String dwords(long offset, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%08x", abar.read(offset + 4L * i, 4)));
        }
        return s.toString();
    }

    private String ramHex(long at, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ram.read(at + i, 1, 0);
        }
        return HexFormat.of().formatHex(b);
    }

    private void zero(long at, int n) {
        for (int i = 0; i < n; i += 4) {
            ram.write(at + i, 4, 0, 0);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Ich9AhciQemuCaptureTest.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("test resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
