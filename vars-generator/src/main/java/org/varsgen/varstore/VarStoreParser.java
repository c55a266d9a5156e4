package org.varsgen.varstore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads an edk2 flash variable store: a plain VARS file or a combined image that contains one. */
public final class VarStoreParser {
    /** Combined images place the NV-data volume at a multiple of this. */
    private static final int SCAN_STEP = 1024;

    private VarStoreParser() {
    }

    public static VarStore parse(byte[] file) throws VarStoreException {
        if (file.length == 0) {
            throw new VarStoreException("empty file, not a variable store");
        }
        for (int off = 0; off + FirmwareVolumeHeader.FIXED_SIZE <= file.length; off += SCAN_STEP) {
            if (FirmwareVolumeHeader.looksLikeNvData(file, off)) {
                return parseAt(file, off);
            }
        }
        if (file.length >= FirmwareVolumeHeader.FIXED_SIZE && Arrays.equals(file, FirmwareVolumeHeader.SIGNATURE_OFFSET,
                FirmwareVolumeHeader.SIGNATURE_OFFSET + 4, FirmwareVolumeHeader.SIGNATURE, 0, 4)) {
            throw new VarStoreException("not a variable store: the firmware volume at the start has file system "
                    + Guid.read(file, 16) + ", not the NV-data GUID " + FirmwareVolumeHeader.NV_DATA
                    + ", and there is no NV-data volume further on", 0);
        }
        throw new VarStoreException("not a variable store: no NV-data firmware volume (\"_FVH\", file system "
                + FirmwareVolumeHeader.NV_DATA + ") at any 1 KiB boundary");
    }

    private static VarStore parseAt(byte[] file, int off) throws VarStoreException {
        FirmwareVolumeHeader fv = FirmwareVolumeHeader.parse(file, off);
        long fvEnd = off + fv.length();
        int shOff = off + fv.headerLength();
        VariableStoreHeader sh = VariableStoreHeader.parse(file, shOff, fvEnd);
        long storeEnd = shOff + sh.size();
        int first = (int) Math.min(align4(shOff + VariableStoreHeader.SIZE), storeEnd);

        List<VariableRecord> records = new ArrayList<>();
        int p = first;
        while (p + 2 <= storeEnd && Le.u16(file, p) == VariableRecord.START_ID) {
            VariableRecord r = parseRecord(file, p, storeEnd);
            records.add(r);
            p = (int) (p + r.length());
        }

        long ftwOff = findWorkingBlock(file, off, fv, storeEnd, fvEnd);
        FtwWorkingBlock ftw = FtwWorkingBlock.parse(file, (int) ftwOff, fvEnd);
        long spareOff = ftwOff + ftw.length();
        return new VarStore(
                Arrays.copyOfRange(file, 0, off), fv, sh,
                Arrays.copyOfRange(file, shOff + VariableStoreHeader.SIZE, first),
                records,
                Arrays.copyOfRange(file, p, (int) storeEnd),
                Arrays.copyOfRange(file, (int) storeEnd, (int) ftwOff),
                ftw,
                Arrays.copyOfRange(file, (int) spareOff, (int) fvEnd),
                Arrays.copyOfRange(file, (int) fvEnd, file.length));
    }

    private static VariableRecord parseRecord(byte[] file, int p, long storeEnd) throws VarStoreException {
        if (p + VariableRecord.HEADER_SIZE > storeEnd) {
            throw new VarStoreException("truncated variable: its header is cut off by the end of the variable store",
                    p);
        }
        long nameSize = Le.u32(file, p + 36);
        long dataSize = Le.u32(file, p + 40);
        long nameOff = p + VariableRecord.HEADER_SIZE;
        long end = nameOff + nameSize + dataSize;
        if (end > storeEnd) {
            throw new VarStoreException("truncated variable: name size 0x" + Long.toHexString(nameSize)
                    + " and data size 0x" + Long.toHexString(dataSize) + " run past the end of the variable store (0x"
                    + Long.toHexString(storeEnd) + ")", p);
        }
        if (nameSize < 2 || nameSize % 2 != 0) {
            throw new VarStoreException("variable name size 0x" + Long.toHexString(nameSize)
                    + " is not a UCS-2 string with its terminating NUL", p + 36);
        }
        int chars = (int) (nameSize / 2) - 1;
        char[] name = new char[chars];
        for (int i = 0; i < chars; i++) {
            name[i] = (char) Le.u16(file, (int) nameOff + 2 * i);
            if (name[i] == 0) {
                throw new VarStoreException("variable name has a NUL before its end", nameOff + 2L * i);
            }
        }
        if (Le.u16(file, (int) (nameOff + nameSize - 2)) != 0) {
            throw new VarStoreException("variable name is not NUL-terminated", nameOff + nameSize - 2);
        }
        long dataOff = nameOff + nameSize;
        long next = Math.min(align4(end), storeEnd);
        return new VariableRecord(p, Le.u8(file, p + 2), Le.u8(file, p + 3), Le.u32(file, p + 4),
                Le.u64(file, p + 8), EfiTime.read(file, p + 16), Le.u32(file, p + 32), new String(name),
                Guid.read(file, p + 44), Arrays.copyOfRange(file, (int) dataOff, (int) end),
                Arrays.copyOfRange(file, (int) end, (int) next));
    }

    /** The working block starts at the first block boundary (counted from the volume start) at or after the store's end. */
    private static long findWorkingBlock(byte[] file, int fvOff, FirmwareVolumeHeader fv, long storeEnd, long fvEnd)
            throws VarStoreException {
        long block = fv.blockSize();
        long rel = storeEnd - fvOff;
        for (long p = fvOff + (rel + block - 1) / block * block; p < fvEnd; p += block) {
            if (FtwWorkingBlock.isAt(file, p, fvEnd)) {
                return p;
            }
        }
        throw new VarStoreException("no fault-tolerant-write working block (signature " + FtwWorkingBlock.SIGNATURE
                + ") at a block boundary after the variable store", storeEnd);
    }

    private static long align4(long x) {
        return (x + 3) & ~3L;
    }
}
