package org.varsgen.disk;

/** One file allocation table being filled in: entries of 12, 16 or 32 bits, little-endian. */
final class FatTable {
    private final FatType type;
    private final byte[] bytes;

    FatTable(FatType type, int sectors) {
        this.type = type;
        this.bytes = new byte[sectors * FatGeometry.SECTOR_SIZE];
    }

    void set(long cluster, int value) {
        switch (type) {
            case FAT12 -> {
                int at = (int) (cluster * 3 / 2);
                if ((cluster & 1) == 0) {
                    bytes[at] = (byte) value;
                    bytes[at + 1] = (byte) ((bytes[at + 1] & 0xF0) | ((value >> 8) & 0x0F));
                } else {
                    bytes[at] = (byte) ((bytes[at] & 0x0F) | ((value & 0x0F) << 4));
                    bytes[at + 1] = (byte) (value >> 4);
                }
            }
            case FAT16 -> {
                int at = (int) (cluster * 2);
                bytes[at] = (byte) value;
                bytes[at + 1] = (byte) (value >> 8);
            }
            case FAT32 -> {
                int at = (int) (cluster * 4);
                int v = value & 0x0FFFFFFF;
                bytes[at] = (byte) v;
                bytes[at + 1] = (byte) (v >> 8);
                bytes[at + 2] = (byte) (v >> 16);
                bytes[at + 3] = (byte) (v >> 24);
            }
        }
    }

    /** Links {@code count} clusters from {@code first} into one chain ending in end-of-chain. */
    void chain(long first, long count) {
        for (long i = 0; i < count; i++) {
            set(first + i, i == count - 1 ? type.endOfChain() : (int) (first + i + 1));
        }
    }

    byte[] bytes() {
        return bytes;
    }
}
