package org.varsgen.emulator.cpu;

/**
 * A segment register with its hidden descriptor cache: what the CPU actually uses after a
 * segment load (real-mode loads set only selector and base, which is what makes unreal mode).
 *
 * <p>{@code attributes} holds the descriptor's access byte in bits 0-7 (type, S, DPL, P) and
 * its flags nibble in bits 8-11 (AVL, L, D/B, G), the packing of the AMD64 SMM save state.
 */
public final class SegmentCache {
    public static final int ATTR_TYPE_MASK = 0x0F;
    public static final int ATTR_S = 1 << 4;
    public static final int ATTR_DPL_SHIFT = 5;
    public static final int ATTR_P = 1 << 7;
    public static final int ATTR_AVL = 1 << 8;
    public static final int ATTR_L = 1 << 9;
    public static final int ATTR_DB = 1 << 10;
    public static final int ATTR_G = 1 << 11;

    public int selector;
    public long base;
    /** The effective limit in bytes (already scaled by G). */
    public long limit;
    public int attributes;

    public void load(int selector, long base, long limit, int attributes) {
        this.selector = selector;
        this.base = base;
        this.limit = limit;
        this.attributes = attributes;
    }

    public void copyFrom(SegmentCache other) {
        load(other.selector, other.base, other.limit, other.attributes);
    }

    public int dpl() {
        return (attributes >> ATTR_DPL_SHIFT) & 3;
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%016x limit=%08x attr=%03x", selector, base, limit, attributes);
    }
}
