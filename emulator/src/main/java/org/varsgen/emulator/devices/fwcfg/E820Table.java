package org.varsgen.emulator.devices.fwcfg;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory map QEMU 7.2 gives q35 guests in fw_cfg file etc/e820: 20-byte little-endian
 * entries {base u64, length u64, type u32}, in the order QEMU adds them. With the default
 * (AMD-vendor, 40 physical address bits) CPU, QEMU first reserves the HyperTransport hole
 * [0xFD00000000, 0x10000000000); then RAM below 4 GiB, and above 4 GiB for larger machines.
 */
public final class E820Table {
    public static final int TYPE_RAM = 1, TYPE_RESERVED = 2;
    public static final long HT_HOLE_START = 0xFD00000000L, HT_HOLE_SIZE = 0x300000000L;
    private static final long LOWMEM_Q35 = 0x80000000L, LOWMEM_THRESHOLD_Q35 = 0xB0000000L;

    public record Entry(long base, long length, int type) { }

    private final List<Entry> entries = new ArrayList<>();

    /** QEMU's q35 map for {@code ramBytes} of RAM. */
    public static E820Table q35(long ramBytes) {
        E820Table t = new E820Table();
        t.entries.add(new Entry(HT_HOLE_START, HT_HOLE_SIZE, TYPE_RESERVED));
        long below4g = ramBytes >= LOWMEM_THRESHOLD_Q35 ? LOWMEM_Q35 : ramBytes;
        t.entries.add(new Entry(0, below4g, TYPE_RAM));
        if (ramBytes > below4g) {
            t.entries.add(new Entry(1L << 32, ramBytes - below4g, TYPE_RAM));
        }
        return t;
    }

    public byte[] bytes() {
        byte[] b = new byte[20 * entries.size()];
        int at = 0;
        for (Entry e : entries) {
            putLe(b, at, e.base(), 8);
            putLe(b, at + 8, e.length(), 8);
            putLe(b, at + 16, e.type(), 4);
            at += 20;
        }
        return b;
    }

    private static void putLe(byte[] b, int at, long v, int size) {
        for (int i = 0; i < size; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
