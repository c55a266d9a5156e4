package org.varsgen.disk;

/**
 * VFAT long-name directory entries: the name in UTF-16LE, 13 units per 32-byte entry, stored
 * last part first before the short entry, each carrying the checksum of the short name so that
 * readers can tell whether the long name still belongs to it.
 */
final class LongNameEntries {
    static final int ATTRIBUTE = 0x0F;
    static final int CHARS_PER_ENTRY = 13;
    static final int LAST_ENTRY_FLAG = 0x40;
    /** Where each entry's 13 UTF-16 units lie: 5 at offset 1, 6 at 14, 2 at 28. */
    static final int[] CHAR_OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    private LongNameEntries() {
    }

    static int count(String longName) {
        return (longName.length() + CHARS_PER_ENTRY - 1) / CHARS_PER_ENTRY;
    }

    /** The checksum of an 11-byte short name: rotate right by one, add the next byte. */
    static int checksum(byte[] name11) {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >> 1) + (name11[i] & 0xFF)) & 0xFF;
        }
        return sum;
    }

    /** The entries, in the order they are written (highest ordinal first). */
    static byte[] encode(String longName, byte[] name11) {
        int entries = count(longName);
        int checksum = checksum(name11);
        byte[] out = new byte[entries * 32];
        for (int ordinal = 1; ordinal <= entries; ordinal++) {
            int at = (entries - ordinal) * 32;
            out[at] = (byte) (ordinal | (ordinal == entries ? LAST_ENTRY_FLAG : 0));
            out[at + 11] = ATTRIBUTE;
            out[at + 13] = (byte) checksum;
            for (int k = 0; k < CHARS_PER_ENTRY; k++) {
                int index = (ordinal - 1) * CHARS_PER_ENTRY + k;
                // After the name: one 0x0000 terminator, then 0xFFFF padding.
                int unit = index < longName.length() ? longName.charAt(index) : index == longName.length() ? 0 : 0xFFFF;
                out[at + CHAR_OFFSETS[k]] = (byte) unit;
                out[at + CHAR_OFFSETS[k] + 1] = (byte) (unit >> 8);
            }
        }
        return out;
    }
}
