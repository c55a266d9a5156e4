package org.varsgen.varstore;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The fault-tolerant-write working block that follows the variable region, and the spare area
 * after it. Header (32 bytes): signature GUID, CRC-32, state byte, 3 reserved bytes,
 * WriteQueueSize; the working block is header + WriteQueueSize bytes, whose body is kept raw.
 *
 * @param state 0xFE when valid: bit 0 ("working block valid") and bit 1 ("invalid") are active low
 */
public record FtwWorkingBlock(Guid signature, long crc, int state, byte[] reserved, long writeQueueSize, byte[] body) {
    public static final Guid SIGNATURE = Guid.parse("9e58292b-7c68-497d-a0ce-6500fd9f1b95");
    public static final int HEADER_SIZE = 32;

    static boolean isAt(byte[] file, long off, long limit) {
        return off + HEADER_SIZE <= limit && Guid.read(file, (int) off).equals(SIGNATURE);
    }

    static FtwWorkingBlock parse(byte[] file, int off, long limit) throws VarStoreException {
        long crc = Le.u32(file, off + 16);
        int state = Le.u8(file, off + 20);
        long queue = Le.u64(file, off + 24);
        if (queue > limit - off - HEADER_SIZE) {
            throw new VarStoreException("fault-tolerant-write working block size 0x" + Long.toHexString(queue)
                    + " (WriteQueueSize) runs past the end of the firmware volume", off + 24);
        }
        long computed = computeCrc(file, off);
        if (computed != crc) {
            throw new VarStoreException(String.format("fault-tolerant-write working block CRC-32 0x%08x is wrong "
                    + "(expected 0x%08x)", crc, computed), off + 16);
        }
        return new FtwWorkingBlock(SIGNATURE, crc, state, Arrays.copyOfRange(file, off + 21, off + 24), queue,
                Arrays.copyOfRange(file, off + HEADER_SIZE, (int) (off + HEADER_SIZE + queue)));
    }

    /** CRC-32 of the 32 header bytes with the CRC field and the state byte taken as all ones (edk2's rule). */
    static long computeCrc(byte[] b, int off) {
        byte[] h = Arrays.copyOfRange(b, off, off + HEADER_SIZE);
        Arrays.fill(h, 16, 21, (byte) 0xFF);
        CRC32 crc = new CRC32();
        crc.update(h);
        return crc.getValue();
    }

    /** Valid when "working block valid" is set (bit 0 clear) and "invalid" is not (bit 1 set). */
    public boolean isValid() {
        return (state & 0x3) == 0x2;
    }

    public long length() {
        return HEADER_SIZE + writeQueueSize;
    }

    /** Writes the header (with a freshly computed CRC) and the body. */
    void write(byte[] out, int off) {
        signature.write(out, off);
        Le.put32(out, off + 16, 0);
        out[off + 20] = (byte) state;
        System.arraycopy(reserved, 0, out, off + 21, 3);
        Le.put64(out, off + 24, writeQueueSize);
        Le.put32(out, off + 16, computeCrc(out, off));
        System.arraycopy(body, 0, out, off + HEADER_SIZE, body.length);
    }
}
