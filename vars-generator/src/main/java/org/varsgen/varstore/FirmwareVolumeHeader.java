package org.varsgen.varstore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * EFI_FIRMWARE_VOLUME_HEADER of the NV-data volume: zero vector, file-system GUID, length,
 * "_FVH", attributes, header length, 16-bit checksum, ext-header offset, reserved, revision and
 * the block map (ended by a zero pair). Bytes between the map's end and the header length are
 * kept raw.
 */
public record FirmwareVolumeHeader(
        byte[] zeroVector,
        Guid fileSystem,
        long length,
        long attributes,
        int headerLength,
        int checksum,
        int extHeaderOffset,
        int reserved,
        int revision,
        List<BlockMapEntry> blockMap,
        byte[] tail) {

    /** The file-system GUID of the volume that holds the variable store (EFI_SYSTEM_NV_DATA_FV_GUID). */
    public static final Guid NV_DATA = Guid.parse("fff12b8d-7696-4c8b-a985-2747075b4f50");
    public static final byte[] SIGNATURE = "_FVH".getBytes(StandardCharsets.US_ASCII);
    static final int SIGNATURE_OFFSET = 40;
    static final int FIXED_SIZE = 56;

    public FirmwareVolumeHeader {
        blockMap = List.copyOf(blockMap);
    }

    /** Whether {@code file} has "_FVH" and the NV-data GUID at {@code off} (cheap pre-check for scanning). */
    static boolean looksLikeNvData(byte[] file, int off) {
        return off >= 0 && off + FIXED_SIZE <= file.length
                && Arrays.equals(file, off + SIGNATURE_OFFSET, off + SIGNATURE_OFFSET + 4, SIGNATURE, 0, 4)
                && Guid.read(file, off + 16).equals(NV_DATA);
    }

    /** Reads and checks the header at {@code off}: signature, GUID, length against the file, block map, checksum. */
    static FirmwareVolumeHeader parse(byte[] file, int off) throws VarStoreException {
        if (off + FIXED_SIZE > file.length) {
            throw new VarStoreException("file too short for a firmware volume header", off);
        }
        if (!Arrays.equals(file, off + SIGNATURE_OFFSET, off + SIGNATURE_OFFSET + 4, SIGNATURE, 0, 4)) {
            throw new VarStoreException("no firmware volume signature \"_FVH\"", off + SIGNATURE_OFFSET);
        }
        Guid fs = Guid.read(file, off + 16);
        if (!fs.equals(NV_DATA)) {
            throw new VarStoreException("firmware volume is not an NV-data volume (file system " + fs + ")", off + 16);
        }
        long length = Le.u64(file, off + 32);
        int headerLength = Le.u16(file, off + 48);
        if (headerLength < FIXED_SIZE + 8 || headerLength % 2 != 0) {
            throw new VarStoreException("firmware volume header length 0x" + Integer.toHexString(headerLength)
                    + " is invalid", off + 48);
        }
        if (length < headerLength || length > file.length - (long) off) {
            throw new VarStoreException("firmware volume length 0x" + Long.toHexString(length)
                    + " does not fit the file (0x" + Integer.toHexString(file.length - off)
                    + " bytes from the volume's start)", off + 32);
        }
        if (off + headerLength > file.length) {
            throw new VarStoreException("firmware volume header runs past the end of the file", off + 48);
        }
        int sum = 0;
        for (int i = 0; i < headerLength; i += 2) {
            sum += Le.u16(file, off + i);
        }
        if ((sum & 0xFFFF) != 0) {
            int stored = Le.u16(file, off + 50);
            throw new VarStoreException(String.format(
                    "firmware volume header checksum 0x%04x is wrong (expected 0x%04x)",
                    stored, (stored - sum) & 0xFFFF), off + 50);
        }
        List<BlockMapEntry> map = new ArrayList<>();
        int p = off + FIXED_SIZE;
        long total = 0;
        while (true) {
            if (p + 8 > off + headerLength) {
                throw new VarStoreException("firmware volume block map has no terminating zero entry", p);
            }
            long count = Le.u32(file, p);
            long blockLength = Le.u32(file, p + 4);
            p += 8;
            if (count == 0 && blockLength == 0) {
                break;
            }
            if (count == 0 || blockLength == 0) {
                throw new VarStoreException("firmware volume block map entry has a zero count or length", p - 8);
            }
            map.add(new BlockMapEntry(count, blockLength));
            total += count * blockLength;
        }
        if (total != length) {
            throw new VarStoreException("firmware volume block map covers 0x" + Long.toHexString(total)
                    + " bytes, but the volume length is 0x" + Long.toHexString(length), off + FIXED_SIZE);
        }
        return new FirmwareVolumeHeader(
                Arrays.copyOfRange(file, off, off + 16), fs, length, Le.u32(file, off + 44), headerLength,
                Le.u16(file, off + 50), Le.u16(file, off + 52), Le.u8(file, off + 54), Le.u8(file, off + 55),
                map, Arrays.copyOfRange(file, p, off + headerLength));
    }

    /** Writes the header with a freshly computed checksum. */
    void write(byte[] out, int off) {
        System.arraycopy(zeroVector, 0, out, off, 16);
        fileSystem.write(out, off + 16);
        Le.put64(out, off + 32, length);
        System.arraycopy(SIGNATURE, 0, out, off + SIGNATURE_OFFSET, 4);
        Le.put32(out, off + 44, attributes);
        Le.put16(out, off + 48, headerLength);
        Le.put16(out, off + 50, 0);
        Le.put16(out, off + 52, extHeaderOffset);
        out[off + 54] = (byte) reserved;
        out[off + 55] = (byte) revision;
        int p = off + FIXED_SIZE;
        for (BlockMapEntry e : blockMap) {
            Le.put32(out, p, e.count());
            Le.put32(out, p + 4, e.length());
            p += 8;
        }
        Le.put64(out, p, 0);
        System.arraycopy(tail, 0, out, p + 8, tail.length);
        Le.put16(out, off + 50, computeChecksum(out, off, headerLength));
    }

    /** The checksum value that makes the header's 16-bit words sum to zero (with the field itself zero). */
    static int computeChecksum(byte[] b, int off, int headerLength) {
        int sum = 0;
        for (int i = 0; i < headerLength; i += 2) {
            if (i != 50) {
                sum += Le.u16(b, off + i);
            }
        }
        return -sum & 0xFFFF;
    }

    /** The size of the first block-map run (OVMF uses one run); the FTW areas are aligned to it. */
    public long blockSize() {
        return blockMap.get(0).length();
    }
}
