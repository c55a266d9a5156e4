package org.varsgen.varstore;

/**
 * One authenticated variable record as it sits in the store: the 60-byte header fields, the name
 * (UCS-2, written back with its terminating NUL), the data, and the bytes between the data's end
 * and the next 4-byte boundary (kept raw; 0xFF on flash). The arrays are never modified after
 * construction; {@link #data()} hands out the array itself for speed, callers must not change it.
 *
 * @param offset file offset of the record's header, or -1 for a record not yet placed
 */
public record VariableRecord(
        long offset,
        int state,
        int reserved,
        long attributes,
        long monotonicCount,
        EfiTime time,
        long pubKeyIndex,
        String name,
        Guid vendor,
        byte[] data,
        byte[] padding) {

    public static final int START_ID = 0x55AA;
    public static final int HEADER_SIZE = 60;

    public VariableKey key() {
        return new VariableKey(vendor, name);
    }

    public RecordState recordState() {
        return RecordState.of(state);
    }

    /** Size of the UCS-2 name with its NUL, as the header's NameSize field holds it. */
    public int nameSize() {
        return (name.length() + 1) * 2;
    }

    /** Header + name + data, without the alignment padding. */
    public long unpaddedLength() {
        return HEADER_SIZE + nameSize() + (long) data.length;
    }

    public long length() {
        return unpaddedLength() + padding.length;
    }

    /** File offset of the first data byte (meaningful for parsed records). */
    public long dataOffset() {
        return offset + HEADER_SIZE + nameSize();
    }

    /** The same record with another state byte (e.g. marked deleted). */
    public VariableRecord withState(int newState) {
        return new VariableRecord(offset, newState, reserved, attributes, monotonicCount, time, pubKeyIndex, name,
                vendor, data, padding);
    }

    void write(byte[] out, int off) {
        Le.put16(out, off, START_ID);
        out[off + 2] = (byte) state;
        out[off + 3] = (byte) reserved;
        Le.put32(out, off + 4, attributes);
        Le.put64(out, off + 8, monotonicCount);
        time.write(out, off + 16);
        Le.put32(out, off + 32, pubKeyIndex);
        Le.put32(out, off + 36, nameSize());
        Le.put32(out, off + 40, data.length);
        vendor.write(out, off + 44);
        int p = off + HEADER_SIZE;
        for (int i = 0; i < name.length(); i++) {
            Le.put16(out, p, name.charAt(i));
            p += 2;
        }
        Le.put16(out, p, 0);
        p += 2;
        System.arraycopy(data, 0, out, p, data.length);
        System.arraycopy(padding, 0, out, p + data.length, padding.length);
    }
}
