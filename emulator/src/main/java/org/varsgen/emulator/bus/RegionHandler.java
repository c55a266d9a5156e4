package org.varsgen.emulator.bus;

/**
 * A device's side of one I/O or MMIO region. Offsets are relative to the region's base.
 *
 * <p>The bus calls these only with sizes inside the region's implemented constraints
 * ({@link AccessConstraints}); splitting wider accesses and widening narrower ones is the bus's
 * job, never the device's. As in QEMU, a widened access keeps the guest's offset, which need
 * not be aligned to the widened size: a handler with implMin above 1 must accept any offset
 * below the region's size. Reads may return more bits than the size asked for; the bus masks
 * them (and the trace shows the raw value, as QEMU's does).
 */
public interface RegionHandler {
    long read(long offset, int size);

    void write(long offset, int size, long value);
}
