package org.varsgen.emulator.bus;

import java.util.Objects;

/**
 * One named window of an address space (physical memory or I/O ports), as QEMU's MemoryRegion
 * is one: a device's registers (MMIO), a view of the RAM array (RAM, possibly read-only, at any
 * offset, which also serves as QEMU's RAM aliases), or a PCI window.
 *
 * <p>Physical memory has two layers, as QEMU's q35 has system memory over the PCI address
 * space (mapped beneath everything at priority -1): {@link Layer#SYSTEM} (RAM, chipset
 * windows, IOAPIC/LAPIC, ECAM, RCBA) and {@link Layer#PCI} (BARs, the flash and its isa-bios
 * alias, option ROM space). An address no system region claims, or whose winning system
 * region is a {@link Kind#PCI_WINDOW} (QEMU's aliases of the PCI space: PAM set to "PCI", the
 * legacy VGA window while SMRAM is closed), is served by the PCI layer, and is unassigned if
 * nothing there claims it either.
 *
 * <p>Where regions of one layer overlap, the enabled one with the highest {@link #priority()}
 * wins; among equal priorities the one added last wins (QEMU inserts a new subregion before
 * older ones of the same priority). Regions may be visible to every access, only to SMM
 * accesses (SMRAM as the CPU sees it in SMM) or only to non-SMM accesses (the TSEG and SMBASE
 * black holes). The I/O space uses only the system layer.
 *
 * <p>Base, size and enabled state may change at run time (PAM, SMRAM, BARs, PMBASE); every
 * change re-flattens the owning space and bumps its mapping generation.
 */
public final class Region {
    /** What answers an access. */
    public enum Kind { MMIO, RAM, PCI_WINDOW }

    /** Which accesses see the region. */
    public enum Visibility { ALL, SMM_ONLY, NON_SMM_ONLY }

    /** Whether the region sits in system memory or in the PCI address space beneath it. */
    public enum Layer { SYSTEM, PCI }

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
    private Layer layer = Layer.SYSTEM;
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

    /** Shows the PCI layer here in place of lower system regions (QEMU's alias of the PCI space). */
    public static Region pciWindow(String name, long base, long size) {
        return new Region(name, Kind.PCI_WINDOW, base, size, null, null, 0, false);
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

    public Layer layer() {
        return layer;
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

    /** Puts the region into the PCI address space layer. Returns this region. */
    public Region inPciSpace() {
        if (kind == Kind.PCI_WINDOW) {
            throw new IllegalStateException(name + ": a PCI window belongs to system memory");
        }
        layer = Layer.PCI;
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
        return String.format("%s %s%s [0x%x-0x%x) prio %d%s%s", name, kind, layer == Layer.PCI ? " (PCI)" : "",
                base, base + size, priority,
                enabled ? "" : " disabled", visibility == Visibility.ALL ? "" : " " + visibility);
    }
}
