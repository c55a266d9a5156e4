package org.varsgen.emulator.bus;

/**
 * A device's side of one I/O or MMIO region. Offsets are relative to the region's base.
 *
 * <p>The bus calls these only with sizes and alignments inside the region's implemented
 * constraints ({@link AccessConstraints}); splitting wider accesses and widening narrower
 * ones is the bus's job, never the device's.
 */
public interface RegionHandler {
    long read(long offset, int size);

    void write(long offset, int size, long value);
}
