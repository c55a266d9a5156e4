package org.varsgen.varstore;

/**
 * Lays a {@link VarStore} out as flash bytes. The firmware volume checksum and the FTW header
 * CRC are computed afresh, so they are right for changed stores too (and equal to the stored
 * values for parsed ones, which the parser checked).
 */
public final class VarStoreWriter {
    private VarStoreWriter() {
    }

    public static byte[] write(VarStore store) {
        long total = store.fileLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("store image too large: " + total);
        }
        byte[] out = new byte[(int) total];
        int p = put(out, 0, store.prefix());
        int fvOff = p;
        store.volume().write(out, fvOff);
        p = fvOff + store.volume().headerLength();
        store.storeHeader().write(out, p);
        p = put(out, p + VariableStoreHeader.SIZE, store.headerPadding());
        for (VariableRecord r : store.records()) {
            r.write(out, p);
            p += (int) r.length();
        }
        p = put(out, p, store.freeSpace());
        check(p, store.storeEnd(), "variable store");
        p = put(out, p, store.gap());
        store.workingBlock().write(out, p);
        p += (int) store.workingBlock().length();
        p = put(out, p, store.spare());
        check(p, fvOff + store.volume().length(), "firmware volume");
        put(out, p, store.suffix());
        return out;
    }

    private static int put(byte[] out, int p, byte[] part) {
        System.arraycopy(part, 0, out, p, part.length);
        return p + part.length;
    }

    /** The parts must fill their region exactly; anything else is a bug in whoever built the model. */
    private static void check(long reached, long expected, String region) {
        if (reached != expected) {
            throw new IllegalStateException(region + " parts end at 0x" + Long.toHexString(reached)
                    + " instead of 0x" + Long.toHexString(expected));
        }
    }
}
