package org.varsgen.emulator.cpu;

import java.util.ArrayList;
import java.util.List;
import org.varsgen.emulator.bus.IoBus;

/**
 * The I/O space of the vector machine: every port reads a fixed function of port and size (the
 * generator's io_read), and writes are recorded in order for comparison with the reference.
 */
public final class VectorIo implements IoBus {
    private final List<CpuVector.IoWrite> writes = new ArrayList<>();

    /** The generator's io_read(port, size). */
    public static long value(int port, int size) {
        long v = ((port * 0x9E37L) ^ 0x5A5AA5A5L) + size * 0x01010101L;
        return v & ((1L << (8 * size)) - 1);
    }

    @Override
    public long read(int port, int size) {
        return value(port & 0xFFFF, size);
    }

    @Override
    public void write(int port, int size, long value) {
        writes.add(new CpuVector.IoWrite(port & 0xFFFF, size, value & ((1L << (8 * size)) - 1)));
    }

    public List<CpuVector.IoWrite> writes() {
        return writes;
    }
}
