package org.varsgen.emulator.devices.ahci;

import org.varsgen.emulator.bus.PhysicalMemory;

/**
 * Bus-master memory access for the AHCI controller: copies in pieces that never cross a 4 KiB
 * page (as {@link PhysicalMemory} requires), with attributes 0. While the PCI command register
 * has bus mastering off, the controller's reads see all ones and its writes are dropped.
 */
final class DmaAccess {
    private final PhysicalMemory memory;
    private final java.util.function.BooleanSupplier masterEnabled;

    DmaAccess(PhysicalMemory memory, java.util.function.BooleanSupplier masterEnabled) {
        this.memory = memory;
        this.masterEnabled = masterEnabled;
    }

    void read(long address, byte[] to, int offset, int length) {
        if (!masterEnabled.getAsBoolean()) {
            java.util.Arrays.fill(to, offset, offset + length, (byte) 0xFF);
            return;
        }
        int done = 0;
        while (done < length) {
            long at = address + done;
            int n = piece(at, length - done);
            long v = memory.read(at, n, 0);
            for (int i = 0; i < n; i++) {
                to[offset + done + i] = (byte) (v >>> (8 * i));
            }
            done += n;
        }
    }

    void write(long address, byte[] from, int offset, int length) {
        if (!masterEnabled.getAsBoolean()) {
            return;
        }
        int done = 0;
        while (done < length) {
            long at = address + done;
            int n = piece(at, length - done);
            long v = 0;
            for (int i = n - 1; i >= 0; i--) {
                v = (v << 8) | (from[offset + done + i] & 0xFF);
            }
            memory.write(at, n, v, 0);
            done += n;
        }
    }

    int read32(long address) {
        byte[] b = new byte[4];
        read(address, b, 0, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    void write32(long address, int value) {
        write(address, new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)}, 0, 4);
    }

    /** The largest power-of-two size (1 to 8) that fits, is aligned, and stays in the page. */
    private static int piece(long address, int remaining) {
        int n = 8;
        while (n > 1 && (n > remaining || (address & (n - 1)) != 0)) {
            n >>= 1;
        }
        return n;
    }
}
