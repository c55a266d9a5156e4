package org.varsgen.varstore.sig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varsgen.varstore.Guid;
import org.varsgen.varstore.Le;
import org.varsgen.varstore.VarStoreException;

/**
 * EFI_SIGNATURE_LIST: type GUID, list size, header size, signature size, a type-specific
 * header and entries of {owner GUID, data}. PK, KEK, db and dbx each hold a sequence of them.
 */
public record SignatureList(Guid type, byte[] header, long signatureSize, List<SignatureEntry> entries) {
    static final int FIXED_SIZE = 28;

    /**
     * Parses the whole of {@code data} as consecutive lists. Offsets in errors are
     * {@code base} + the position in {@code data} (pass the data's file offset).
     */
    public static List<SignatureList> parseAll(byte[] data, long base) throws VarStoreException {
        List<SignatureList> lists = new ArrayList<>();
        int p = 0;
        while (p < data.length) {
            if (data.length - p < FIXED_SIZE) {
                throw new VarStoreException("signature list header cut off (" + (data.length - p) + " bytes left)",
                        base + p);
            }
            Guid type = Guid.read(data, p);
            long listSize = Le.u32(data, p + 16);
            long headerSize = Le.u32(data, p + 20);
            long sigSize = Le.u32(data, p + 24);
            if (listSize < FIXED_SIZE + headerSize || listSize > data.length - p) {
                throw new VarStoreException("signature list size 0x" + Long.toHexString(listSize)
                        + " does not fit (header 0x" + Long.toHexString(headerSize) + ", 0x"
                        + Integer.toHexString(data.length - p) + " bytes left)", base + p + 16);
            }
            long body = listSize - FIXED_SIZE - headerSize;
            if (body > 0 && (sigSize <= Guid.SIZE || body % sigSize != 0)) {
                throw new VarStoreException("signature size 0x" + Long.toHexString(sigSize)
                        + " does not divide the list's 0x" + Long.toHexString(body) + " entry bytes", base + p + 24);
            }
            int q = (int) (p + FIXED_SIZE + headerSize);
            byte[] header = Arrays.copyOfRange(data, p + FIXED_SIZE, q);
            List<SignatureEntry> entries = new ArrayList<>();
            for (int end = (int) (p + listSize); q < end; q += (int) sigSize) {
                entries.add(SignatureEntry.of(type, Guid.read(data, q),
                        Arrays.copyOfRange(data, q + Guid.SIZE, (int) (q + sigSize))));
            }
            lists.add(new SignatureList(type, header, sigSize, entries));
            p += (int) listSize;
        }
        return lists;
    }

    /** All entries of all lists, in order. */
    public static List<SignatureEntry> entriesOf(List<SignatureList> lists) {
        List<SignatureEntry> out = new ArrayList<>();
        lists.forEach(l -> out.addAll(l.entries()));
        return out;
    }

    /** Builds the bytes of one list holding {@code entries} of one type (no type-specific header). */
    public static byte[] encode(Guid type, List<SignatureEntry> entries) {
        int sigSize = entries.isEmpty() ? 0 : Guid.SIZE + entries.get(0).data().length;
        for (SignatureEntry e : entries) {
            if (Guid.SIZE + e.data().length != sigSize) {
                throw new IllegalArgumentException("all entries of one signature list must have the same size");
            }
        }
        byte[] out = new byte[FIXED_SIZE + sigSize * entries.size()];
        type.write(out, 0);
        Le.put32(out, 16, out.length);
        Le.put32(out, 20, 0);
        Le.put32(out, 24, sigSize);
        int q = FIXED_SIZE;
        for (SignatureEntry e : entries) {
            e.owner().write(out, q);
            System.arraycopy(e.data(), 0, out, q + Guid.SIZE, e.data().length);
            q += sigSize;
        }
        return out;
    }
}
