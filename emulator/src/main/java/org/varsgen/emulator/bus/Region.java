package org.varsgen.emulator.bus;

import java.util.Objects;

/**
 * One named window of an address space (physical memory or I/O ports), as QEMU's MemoryRegion
 * is one: a device's registers (MMIO), a view of the RAM array (RAM, possibly read-only, at any
 * offset, which also serves as QEMU's RAM aliases), or a HOLE that hides lower regions and
 * answers like an unassigned address (QEMU's alias of the empty PCI space, e.g. the legacy
 * VGA window while SMRAM is closed).
 *
 * <p>Where regions overlap, the enabled one with the highest {@link #priority()} wins; among
 * equal priorities the one added last wins (QEMU inserts a new subregion before older ones of
 * the same priority). Regions may be visible to every access, only to SMM accesses (SMRAM as
 * the CPU sees it in SMM) or only to non-SMM accesses (the TSEG and SMBASE black holes).
 *
 * <p>Base, size and enabled state may change at run time (PAM, SMRAM, BARs, PMBASE); every
 * change re-flattens the owning space and bumps its mapping generation.
 */
public final class Region {
    /** What answers an access. */
    public enum Kind { MMIO, RAM, HOLE }

    /** Which accesses see the region. */
    public enum Visibility { ALL, SMM_ONLY, NON_SMM_ONLY }

    private final String name;
    private final Kind kind;
    private final RegionHandler handler;
    private final AccessConstraints constraints;
    private final long ramOffset;
    private final boolean readOnly;
    private long base;
    private long size;
    private int priority;
    private boolean enabled = true;
    private Visibility visibility = Visibility.ALL;
    private RegionSpace owner;
    long sequence;

    private Region(String name, Kind kind, long base, long size, RegionHandler handler,
                   AccessConstraints constraints, long ramOffset, boolean readOnly) {
        if (size < 0 || base < 0) {
            throw new IllegalArgumentException(name + ": negative base or size");
        }
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.base = base;
        this.size = size;
        this.handler = handler;
        this.constraints = constraints;
        this.ramOffset = ramOffset;
        this.readOnly = readOnly;
    }

    /** Device registers at {@code base}, answered by {@code handler} within {@code constraints}. */
    public static Region mmio(String name, long base, long size, RegionHandler handler, AccessConstraints constraints) {
        return new Region(name, Kind.MMIO, base, size, Objects.requireNonNull(handler),
                Objects.requireNonNull(constraints), 0, false);
    }

    /** The RAM bytes from {@code ramOffset} shown at {@code base} (a RAM alias when they differ). */
    public static Region ram(String name, long base, long size, long ramOffset, boolean readOnly) {
        return new Region(name, Kind.RAM, base, size, null, null, ramOffset, readOnly);
    }

    /** Hides lower regions: accesses here behave as if nothing were mapped. */
    public static Region hole(String name, long base, long size) {
        return new Region(name, Kind.HOLE, base, size, null, null, 0, false);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public long end() {
        return base + size;
    }

    public int priority() {
        return priority;
    }

    public boolean enabled() {
        return enabled;
    }

    public Visibility visibility() {
        return visibility;
    }

    public RegionHandler handler() {
        return handler;
    }

    public AccessConstraints constraints() {
        return constraints;
    }

    public long ramOffset() {
        return ramOffset;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Sets the priority (before or after being added). Returns this region. */
    public Region withPriority(int newPriority) {
        priority = newPriority;
        changed();
        return this;
    }

    /** Sets who sees the region. Returns this region. */
    public Region withVisibility(Visibility newVisibility) {
        visibility = Objects.requireNonNull(newVisibility);
        changed();
        return this;
    }

    public void setEnabled(boolean on) {
        if (enabled != on) {
            enabled = on;
            changed();
        }
    }

    public void setBase(long newBase) {
        if (newBase < 0) {
            throw new IllegalArgumentException(name + ": negative base");
        }
        if (base != newBase) {
            base = newBase;
            changed();
        }
    }

    public void setSize(long newSize) {
        if (newSize < 0) {
            throw new IllegalArgumentException(name + ": negative size");
        }
        if (size != newSize) {
            size = newSize;
            changed();
        }
    }

    void attach(RegionSpace space) {
        if (owner != null && owner != space) {
            throw new IllegalStateException(name + " already belongs to another address space");
        }
        owner = space;
    }

    void detach() {
        owner = null;
    }

    private void changed() {
        if (owner != null) {
            owner.invalidate();
        }
    }

    @Override
    public String toString() {
        return String.format("%s %s [0x%x-0x%x) prio %d%s%s", name, kind, base, base + size, priority,
                enabled ? "" : " disabled", visibility == Visibility.ALL ? "" : " " + visibility);
    }
}
