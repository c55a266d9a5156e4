package org.varsgen.emulator.bus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What physical memory and the I/O port space share: a set of {@link Region}s flattened into
 * non-overlapping segments (QEMU's FlatView), and the access-size rules of QEMU's memory core
 * ({@code memory_region_access_valid} and {@code access_with_adjusted_size}), applied here and
 * never in a device:
 *
 * <ul>
 *   <li>An access outside the region's valid constraints (size out of range, or unaligned
 *       relative to the region when unaligned is not allowed) is rejected: it never reaches the
 *       device, a write is dropped and a read returns 0 (QEMU's {@code unassigned_mem_read}
 *       value, for ports as well as memory: x86 TCG ignores the decode error). The trace shows
 *       an {@code X} line for it, which QEMU's own trace lacks.</li>
 *   <li>A valid access is made in pieces of {@code clamp(size, implMin, implMax)} bytes. Wider
 *       accesses are split into consecutive pieces, little-endian: piece i goes to offset
 *       {@code off + i*piece} with value bits {@code 8*i*piece} and up, and read pieces are
 *       ORed back. A narrower access becomes one piece of implMin bytes at the same offset (not
 *       aligned down); the read result is truncated to the requested size, and a write sends the
 *       value zero-extended, without merging old contents, exactly as QEMU does.</li>
 *   <li>Pieces that would start beyond the region's end are not sent (reads see zero bits there);
 *       QEMU would pass them to the device. Only a guest access straddling a region's end can
 *       produce them.</li>
 * </ul>
 */
public abstract class RegionSpace {
    /** Segments of one view: segment i covers [starts[i], starts[i+1]) and is served by regions[i] (or nobody). */
    static final class FlatView {
        final long[] starts;
        final Region[] regions;

        FlatView(long[] starts, Region[] regions) {
            this.starts = starts;
            this.regions = regions;
        }

        int indexOf(long address) {
            int i = Arrays.binarySearch(starts, address);
            return i >= 0 ? i : -i - 2;
        }

        Region lookup(long address) {
            int i = indexOf(address);
            return i < 0 ? null : regions[i];
        }

        long segmentEnd(int i) {
            return i + 1 < starts.length ? starts[i + 1] : Long.MAX_VALUE;
        }
    }

    private final List<Region> regions = new ArrayList<>();
    private long nextSequence;
    private long generation;
    private boolean dirty = true;
    private BusTrace trace;

    private long deviceAccesses;

    /** Adds a region; it takes part in routing while enabled. Returns the region. */
    public Region add(Region region) {
        region.attach(this);
        region.sequence = nextSequence++;
        regions.add(region);
        invalidate();
        return region;
    }

    /** Removes a region (QEMU's memory_region_del_subregion). */
    public void remove(Region region) {
        if (regions.remove(region)) {
            region.detach();
            invalidate();
        }
    }

    /** The regions added so far, in order of addition. */
    public List<Region> regions() {
        return List.copyOf(regions);
    }

    /** Starts (non-null) or stops (null) tracing accesses in the devtrace format. */
    public void setTrace(BusTrace trace) {
        this.trace = trace;
    }

    public BusTrace trace() {
        return trace;
    }

    /** Changes whenever routing changes. */
    public long mappingGeneration() {
        return generation;
    }

    void invalidate() {
        dirty = true;
        generation++;
    }

    /** Re-flattens if something changed since the last call; subclasses then fetch their views. */
    protected final boolean refresh() {
        if (!dirty) {
            return false;
        }
        dirty = false;
        rebuild();
        return true;
    }

    /** Rebuilds the subclass's views from {@link #flatten}. */
    protected abstract void rebuild();

    /** Flattens the enabled regions that {@code smm}-mode accesses see. */
    final FlatView flatten(boolean smm) {
        List<Region> visible = new ArrayList<>();
        TreeSet<Long> bounds = new TreeSet<>();
        bounds.add(0L);
        for (Region r : regions) {
            if (!r.enabled() || r.size() == 0) {
                continue;
            }
            if (r.visibility() == Region.Visibility.SMM_ONLY && !smm
                    || r.visibility() == Region.Visibility.NON_SMM_ONLY && smm) {
                continue;
            }
            visible.add(r);
            bounds.add(r.base());
            bounds.add(r.end());
        }
        List<Long> starts = new ArrayList<>();
        List<Region> owners = new ArrayList<>();
        for (long start : bounds) {
            Region winner = winnerAt(visible, Region.Layer.SYSTEM, start);
            if (winner == null || winner.kind() == Region.Kind.PCI_WINDOW) {
                winner = winnerAt(visible, Region.Layer.PCI, start);
            }
            if (!owners.isEmpty() && owners.get(owners.size() - 1) == winner) {
                continue;
            }
            starts.add(start);
            owners.add(winner);
        }
        long[] s = new long[starts.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = starts.get(i);
        }
        return new FlatView(s, owners.toArray(new Region[0]));
    }

    private static Region winnerAt(List<Region> visible, Region.Layer layer, long at) {
        Region winner = null;
        for (Region r : visible) {
            if (r.layer() == layer && r.base() <= at && at < r.end() && (winner == null
                    || r.priority() > winner.priority()
                    || r.priority() == winner.priority() && r.sequence > winner.sequence)) {
                winner = r;
            }
        }
        return winner;
    }

    /** True when QEMU's memory_region_access_valid accepts the access. */
    static boolean valid(AccessConstraints c, long offset, int size) {
        if (!c.validUnaligned() && (offset & (size - 1)) != 0) {
            return false;
        }
        return size >= c.validMin() && size <= c.validMax();
    }

    static long mask(int size) {
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;
    }

    /**
     * Device accesses (reads and writes dispatched to a region's handler) so far: a progress
     * signal for the watchdog, which treats a loop that touches no device as possibly dead.
     */
    public long deviceAccesses() {
        return deviceAccesses;
    }

    /** A read of an MMIO region through the access-size rules; {@code address} is absolute. */
    final long dispatchRead(Region r, long address, int size, boolean byDevice) {
        deviceAccesses++;
        long offset = address - r.base();
        AccessConstraints c = r.constraints();
        if (!valid(c, offset, size)) {
            if (trace != null) {
                trace.rejected(false, r.name(), address, size, 0, byDevice);
            }
            return 0;
        }
        int piece = Math.max(Math.min(size, c.implMax()), c.implMin());
        long pieceMask = mask(piece);
        long result = 0;
        for (int i = 0; i < size; i += piece) {
            if (offset + i >= r.size()) {
                break;
            }
            long v = r.handler().read(offset + i, piece);
            if (trace != null) {
                trace.access(false, r.name(), address + i, piece, v, byDevice);
            }
            result |= (v & pieceMask) << (8 * i);
        }
        return result & mask(size);
    }

    /** A write to an MMIO region through the access-size rules; {@code address} is absolute. */
    final void dispatchWrite(Region r, long address, int size, long value, boolean byDevice) {
        deviceAccesses++;
        long offset = address - r.base();
        AccessConstraints c = r.constraints();
        if (!valid(c, offset, size)) {
            if (trace != null) {
                trace.rejected(true, r.name(), address, size, value & mask(size), byDevice);
            }
            return;
        }
        int piece = Math.max(Math.min(size, c.implMax()), c.implMin());
        long pieceMask = mask(piece);
        for (int i = 0; i < size; i += piece) {
            if (offset + i >= r.size()) {
                break;
            }
            long v = (value >>> (8 * i)) & pieceMask;
            if (trace != null) {
                trace.access(true, r.name(), address + i, piece, v, byDevice);
            }
            r.handler().write(offset + i, piece, v);
        }
    }

    static void checkSize(int size, int max) {
        if (size != 1 && size != 2 && size != 4 && !(size == 8 && max == 8)) {
            throw new IllegalArgumentException("bad access size " + size);
        }
    }
}
