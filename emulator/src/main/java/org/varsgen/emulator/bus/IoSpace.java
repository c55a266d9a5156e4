package org.varsgen.emulator.bus;

/**
 * The 64 KiB I/O port space, built of MMIO-kind regions like {@link SystemMemory}, with a
 * per-port lookup table rebuilt whenever routing changes (the PM timer port is read millions
 * of times, a BAR moves a handful of times).
 *
 * <p>Ports nobody claims behave like QEMU's root "io" region ({@code unassigned_io_ops}): reads
 * return all ones, writes are dropped, and both are traced under the name {@code io} with the
 * raw value QEMU logs (0xffffffffffffffff for reads). An access the claiming region rejects
 * returns 0 (see {@link RegionSpace}).
 */
public final class IoSpace extends RegionSpace implements IoBus {
    public static final int PORTS = 0x10000;

    private Region[] byPort = new Region[PORTS];

    @Override
    protected void rebuild() {
        FlatView v = flatten(false);
        Region[] table = new Region[PORTS];
        for (int i = 0; i < v.starts.length; i++) {
            Region r = v.regions[i];
            if (r == null || v.starts[i] >= PORTS) {
                continue;
            }
            if (r.kind() != Region.Kind.MMIO) {
                throw new IllegalStateException("I/O space holds only device regions: " + r);
            }
            long end = Math.min(v.segmentEnd(i), PORTS);
            for (long p = v.starts[i]; p < end; p++) {
                table[(int) p] = r;
            }
        }
        byPort = table;
    }

    /** The region that serves {@code port}, or null. */
    public Region regionAt(int port) {
        refresh();
        return byPort[port & 0xFFFF];
    }

    @Override
    public long read(int port, int size) {
        checkSize(size, 4);
        refresh();
        Region r = byPort[port & 0xFFFF];
        if (r == null) {
            if (trace() != null) {
                trace().access(false, "io", port & 0xFFFF, size, -1L, false);
            }
            return mask(size);
        }
        return dispatchRead(r, port & 0xFFFF, size, false);
    }

    @Override
    public void write(int port, int size, long value) {
        checkSize(size, 4);
        refresh();
        Region r = byPort[port & 0xFFFF];
        if (r == null) {
            if (trace() != null) {
                trace().access(true, "io", port & 0xFFFF, size, value & mask(size), false);
            }
            return;
        }
        dispatchWrite(r, port & 0xFFFF, size, value, false);
    }
}
