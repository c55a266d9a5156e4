package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * One register block a device asks the board to map: where it sits, what QEMU calls it (so
 * that varsgen's bus trace and QEMU's device trace diff directly), the access sizes it accepts
 * and implements as QEMU declares them, and the handler behind it.
 *
 * @param name        QEMU's MemoryRegion name, e.g. "serial", "rtc-index", "apic-msi"
 * @param space       I/O port space or physical memory
 * @param base        first port or physical address
 * @param size        length in bytes
 * @param constraints valid and implemented access sizes
 * @param handler     the device side; offsets are relative to {@code base}
 */
public record DeviceRegion(String name, Space space, long base, long size,
                           AccessConstraints constraints, RegionHandler handler) {
    /** Which address space a region lives in. */
    public enum Space { IO, MEMORY }

    public DeviceRegion {
        if (size <= 0) {
            throw new IllegalArgumentException("region " + name + " has no size");
        }
    }

    /** The same block as the bus maps it (the space decides whether it goes to IoSpace or SystemMemory). */
    public Region busRegion() {
        return Region.mmio(name, base, size, handler, constraints);
    }

    /** True when {@code address} in {@code space} falls inside this region. */
    public boolean contains(Space s, long address) {
        return s == space && address >= base && address - base < size;
    }
}
