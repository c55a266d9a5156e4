package org.varsgen.emulator.bus;

/**
 * A region whose behaviour depends on the access attributes ({@link PhysicalMemory#ATTR_SMM}),
 * as QEMU's read_with_attrs/write_with_attrs handlers do: the CFI flash in secure mode accepts
 * writes from SMM only. The bus passes the CPU's attributes; plain {@link RegionHandler} calls
 * count as attributes 0 (not SMM).
 */
public interface AttributedRegionHandler extends RegionHandler {
    long read(long offset, int size, int attrs);

    void write(long offset, int size, long value, int attrs);

    @Override
    default long read(long offset, int size) {
        return read(offset, size, 0);
    }

    @Override
    default void write(long offset, int size, long value) {
        write(offset, size, value, 0);
    }
}
