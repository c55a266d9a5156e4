package org.varsgen.emulator.bus;

import java.util.ArrayList;
import java.util.List;

/** A device that records every call the bus makes and answers reads from a byte array. */
final class RecordingHandler implements RegionHandler {
    final List<String> calls = new ArrayList<>();
    final byte[] bytes;

    RecordingHandler(int size) {
        bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (0x10 + i);
        }
    }

    @Override
    public long read(long offset, int size) {
        calls.add("R " + offset + " " + size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (offset + i < bytes.length ? bytes[(int) offset + i] & 0xFF : 0);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        calls.add("W " + offset + " " + size + " 0x" + Long.toHexString(value));
        for (int i = 0; i < size && offset + i < bytes.length; i++) {
            bytes[(int) offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
