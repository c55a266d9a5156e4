package org.varsgen.varstore;

import java.util.UUID;

/**
 * An EFI_GUID. On flash the first three fields are little-endian and the last eight bytes are
 * stored as they are ("mixed endian"); the text form is the usual 8-4-4-4-12 lower-case one.
 */
public record Guid(UUID uuid) implements Comparable<Guid> {
    public static final int SIZE = 16;

    public static Guid read(byte[] b, int off) {
        long msb = Le.u32(b, off) << 32 | (long) Le.u16(b, off + 4) << 16 | Le.u16(b, off + 6);
        long lsb = 0;
        for (int i = 8; i < 16; i++) {
            lsb = lsb << 8 | (b[off + i] & 0xFF);
        }
        return new Guid(new UUID(msb, lsb));
    }

    public static Guid parse(String text) {
        return new Guid(UUID.fromString(text));
    }

    public void write(byte[] b, int off) {
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        Le.put32(b, off, msb >>> 32);
        Le.put16(b, off + 4, (int) (msb >>> 16));
        Le.put16(b, off + 6, (int) msb);
        for (int i = 15; i >= 8; i--) {
            b[off + i] = (byte) lsb;
            lsb >>>= 8;
        }
    }

    @Override
    public int compareTo(Guid o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
