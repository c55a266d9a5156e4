package org.varsgen.emulator.bus;

/**
 * The two access-size contracts of a region, as QEMU's MemoryRegionOps declares them.
 *
 * <ul>
 *   <li><b>valid</b>: the accesses a guest may make. Anything else is rejected by the bus:
 *       the device never sees it, a write is dropped and a read returns 0, for ports as for
 *       memory (QEMU's memory_region_access_valid failing, then unassigned_mem_read's 0), and
 *       the trace says so. Ports that no region claims are different: they read all ones.</li>
 *   <li><b>impl</b>: the accesses the handler implements. A valid access wider than impl is
 *       split into impl-sized pieces in little-endian order; a narrower one is widened to
 *       implMin at the same offset, the wanted low bytes extracted on reads, and on writes the
 *       value zero-extended (QEMU merges nothing).</li>
 * </ul>
 *
 * <p>The ACPI CPU hotplug bug was exactly a region declared valid 1..1 whose firmware made
 * 4-byte accesses; the fixed declaration is valid 1..4, impl 1..1.
 */
public record AccessConstraints(int validMin, int validMax, boolean validUnaligned,
                                int implMin, int implMax, boolean implUnaligned) {
    public AccessConstraints {
        check(validMin, validMax);
        check(implMin, implMax);
    }

    /** Any size from 1 to 8 bytes, handled as is. */
    public static final AccessConstraints ANY = new AccessConstraints(1, 8, true, 1, 8, true);

    /**
     * What QEMU assumes for a MemoryRegionOps that declares nothing: any size valid but only
     * aligned (valid.unaligned defaults to false), implemented for 1..4 bytes (so 8-byte
     * accesses are split in two).
     */
    public static final AccessConstraints QEMU_DEFAULT = new AccessConstraints(1, 8, false, 1, 4, false);

    /** Valid for {@code validMin..validMax} aligned accesses, implemented for {@code implMin..implMax}. */
    public static AccessConstraints of(int validMin, int validMax, int implMin, int implMax) {
        return new AccessConstraints(validMin, validMax, false, implMin, implMax, false);
    }

    private static void check(int min, int max) {
        if (Integer.bitCount(min) != 1 || Integer.bitCount(max) != 1 || min > max || max > 8) {
            throw new IllegalArgumentException("access sizes must be powers of two, 1 <= min <= max <= 8: " + min + ".." + max);
        }
    }
}
