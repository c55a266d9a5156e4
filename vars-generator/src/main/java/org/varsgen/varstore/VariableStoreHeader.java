package org.varsgen.varstore;

import java.util.Arrays;

/**
 * VARIABLE_STORE_HEADER (28 bytes): signature GUID, size (from this header to the store's end),
 * format (0x5A formatted), state (0xFE healthy), six reserved bytes kept raw.
 */
public record VariableStoreHeader(Guid signature, long size, int format, int state, byte[] reserved) {
    public static final int SIZE = 28;
    /** gEfiAuthenticatedVariableGuid: records carry the 60-byte authenticated header. */
    public static final Guid AUTHENTICATED = Guid.parse("aaf32c78-947b-439a-a180-2e144ec37792");
    /** gEfiVariableGuid: the non-authenticated store (32-byte records) of builds without Secure Boot. */
    public static final Guid NON_AUTHENTICATED = Guid.parse("ddcf3616-3275-4164-98b6-fe85707ffe7d");
    public static final int FORMATTED = 0x5A;
    public static final int HEALTHY = 0xFE;

    static VariableStoreHeader parse(byte[] file, int off, long limit) throws VarStoreException {
        if (off + SIZE > limit) {
            throw new VarStoreException("no room for the variable store header in the firmware volume", off);
        }
        Guid sig = Guid.read(file, off);
        if (sig.equals(NON_AUTHENTICATED)) {
            throw new VarStoreException("non-authenticated variable store (GUID " + sig + "): varsgen reads only "
                    + "the authenticated store (GUID " + AUTHENTICATED + ") that Secure Boot builds use", off);
        }
        if (!sig.equals(AUTHENTICATED)) {
            throw new VarStoreException("not a variable store: header GUID " + sig + " is neither the authenticated "
                    + "nor the plain variable-store GUID", off);
        }
        long size = Le.u32(file, off + 16);
        int format = Le.u8(file, off + 20);
        int state = Le.u8(file, off + 21);
        if (size < SIZE || off + size > limit) {
            throw new VarStoreException("variable store size 0x" + Long.toHexString(size)
                    + " does not fit the firmware volume", off + 16);
        }
        if (format != FORMATTED) {
            throw new VarStoreException(String.format("variable store is not formatted (format byte 0x%02x, "
                    + "expected 0x%02x)", format, FORMATTED), off + 20);
        }
        if (state != HEALTHY) {
            throw new VarStoreException(String.format("variable store is not healthy (state byte 0x%02x, "
                    + "expected 0x%02x)", state, HEALTHY), off + 21);
        }
        return new VariableStoreHeader(sig, size, format, state, Arrays.copyOfRange(file, off + 22, off + SIZE));
    }

    void write(byte[] out, int off) {
        signature.write(out, off);
        Le.put32(out, off + 16, size);
        out[off + 20] = (byte) format;
        out[off + 21] = (byte) state;
        System.arraycopy(reserved, 0, out, off + 22, 6);
    }
}
