package org.varsgen.emulator.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.cpu.GuestFault;

/**
 * The CPU's view of memory by linear address: a direct-mapped software TLB per access kind
 * (read, write, fetch) in front of {@link PageWalker}, with a fast path straight into the RAM
 * array and a slow path through {@link PhysicalMemory} for MMIO, flash, page-crossing accesses
 * and stores into pages that hold decoded code (which the slow path reports to the
 * {@link CodePageListener} first).
 *
 * <p>Flushes: {@link #flush(boolean)} on CR3 writes (global pages stay) and on paging-mode
 * changes (everything); {@link #invalidatePage} for INVLPG; everything when the physical
 * memory's mapping generation changes.
 */
public final class Mmu {
    /** Told before a store reaches a physical page that holds decoded instructions. */
    public interface CodePageListener {
        boolean isCodePage(long physPage);

        void codePageWritten(long physPage);
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int ENTRIES = 1024;
    private static final int KINDS = 3;

    private final PhysicalMemory memory;
    private final CpuState state;
    private final PageWalker walker;
    private final byte[] ram;
    private CodePageListener codePages;

    /** Per kind and entry: tag (linear page number << 1 | user), or -1 when empty. */
    private final long[] tag = new long[KINDS * ENTRIES];
    /** Physical page address. */
    private final long[] phys = new long[KINDS * ENTRIES];
    /** Offset of the page in the RAM array, or -1 for the slow path. */
    private final int[] ramOff = new int[KINDS * ENTRIES];
    private final boolean[] global = new boolean[KINDS * ENTRIES];
    private long generation;
    private boolean largePagesCached;
    /** Changes whenever a fetch translation may have changed: see {@link #epoch()}. */
    private int epoch;

    /** Set by the CPU: accesses are made at CPL 3 (user) and in SMM. */
    public boolean user;
    private int attrs;

    public Mmu(PhysicalMemory memory, CpuState state) {
        this.memory = memory;
        this.state = state;
        this.walker = new PageWalker(memory, state);
        this.ram = memory.ram();
        this.generation = memory.mappingGeneration();
        flush(false);
    }

    public void setCodePageListener(CodePageListener listener) {
        this.codePages = listener;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** Called when state.smm changes: SMM accesses see a different address space. */
    public void smmChanged() {
        attrs = state.smm ? PhysicalMemory.ATTR_SMM : 0;
        flush(false);
    }

    /**
     * A number that changes on every flush, INVLPG and release of a code page, so that the CPU
     * may keep the translation and decoded instructions of the page it is executing across
     * instructions while the number stays the same.
     */
    public int epoch() {
        return epoch;
    }

    /** Drops every entry, or only the non-global ones. */
    public void flush(boolean keepGlobal) {
        epoch++;
        for (int i = 0; i < tag.length; i++) {
            if (!keepGlobal || !global[i]) {
                tag[i] = -1;
            }
        }
    }

    /** INVLPG: drops the entries for one linear page, global or not. */
    public void invalidatePage(long linear) {
        epoch++;
        if (largePagesCached) {
            // The TLB holds 4 KiB slices of large pages; the page may be one of them.
            largePagesCached = false;
            flush(false);
            return;
        }
        int idx = (int) (linear >>> 12) & (ENTRIES - 1);
        for (int k = 0; k < KINDS; k++) {
            tag[k * ENTRIES + idx] = -1;
        }
    }

    /** Sends further stores to {@code physPage} through the slow path (it now holds decoded code). */
    public void protectCodePage(long physPage) {
        int base = PageWalker.WRITE * ENTRIES;
        for (int i = base; i < base + ENTRIES; i++) {
            if (tag[i] != -1 && phys[i] == physPage) {
                ramOff[i] = -1;
            }
        }
    }

    /** Flushes everything when the bus routing changed; called at instruction boundaries. */
    public void checkMappingGeneration() {
        long g = memory.mappingGeneration();
        if (g != generation) {
            generation = g;
            flush(false);
        }
    }

    /** The TLB entry (of each kind) that a linear address uses: fills of one slot evict each other. */
    public static int tlbSlot(long linear) {
        return (int) (linear >>> 12) & (ENTRIES - 1);
    }

    private long tagOf(long linear) {
        return ((linear >>> 12) << 1) | (user ? 1 : 0);
    }

    /** Translates a linear address for an access of this kind (0 read, 1 write, 2 fetch); may throw #PF. */
    public long translate(long linear, int kind) {
        int i = kind * ENTRIES + ((int) (linear >>> 12) & (ENTRIES - 1));
        if (tag[i] == tagOf(linear)) {
            return phys[i] | (linear & 0xFFF);
        }
        return fill(linear, kind, i);
    }

    private long fill(long linear, int kind, int i) {
        long p;
        boolean g = false;
        boolean cacheable = true;
        if ((state.cr0 & CpuState.CR0_PG) == 0) {
            p = linear & 0xFFFFFFFFL;
        } else {
            if ((state.efer & CpuState.EFER_LMA) != 0 && (linear << 16 >> 16) != linear) {
                // Non-canonical: #GP(0) for every kind of access, stack ones included, as QEMU's walk raises it.
                throw GuestFault.gp(0);
            }
            p = walker.walk(linear, kind, user);
            g = walker.resultGlobal;
            largePagesCached |= walker.resultPageSize > 4096;
            // Read-only or clean pages are not cached for writes, so every write re-walks and sets D.
            cacheable = kind != PageWalker.WRITE || walker.resultWritable != 0;
        }
        if (cacheable) {
            long page = p & ~0xFFFL;
            tag[i] = tagOf(linear);
            phys[i] = page;
            global[i] = g;
            long off = memory.ramOffset(page, attrs, kind == PageWalker.WRITE);
            if (off >= 0 && kind == PageWalker.WRITE && codePages != null && codePages.isCodePage(page)) {
                off = -1;
            }
            ramOff[i] = (int) off;
        }
        return p;
    }

    private int fastOffset(long linear, int kind, int size) {
        int i = kind * ENTRIES + ((int) (linear >>> 12) & (ENTRIES - 1));
        if (tag[i] == tagOf(linear) && ramOff[i] >= 0 && (linear & 0xFFF) <= 4096 - size) {
            return ramOff[i] + (int) (linear & 0xFFF);
        }
        return -1;
    }

    public int read8(long linear) {
        int o = fastOffset(linear, PageWalker.READ, 1);
        if (o >= 0) {
            return ram[o] & 0xFF;
        }
        return (int) slowRead(linear, 1, PageWalker.READ);
    }

    public int read16(long linear) {
        int o = fastOffset(linear, PageWalker.READ, 2);
        if (o >= 0) {
            return (short) SHORT.get(ram, o) & 0xFFFF;
        }
        return (int) slowRead(linear, 2, PageWalker.READ);
    }

    public int read32(long linear) {
        int o = fastOffset(linear, PageWalker.READ, 4);
        if (o >= 0) {
            return (int) INT.get(ram, o);
        }
        return (int) slowRead(linear, 4, PageWalker.READ);
    }

    public long read64(long linear) {
        int o = fastOffset(linear, PageWalker.READ, 8);
        if (o >= 0) {
            return (long) LONG.get(ram, o);
        }
        return slowRead(linear, 8, PageWalker.READ);
    }

    /** Reads {@code size} (1, 2, 4, 8) bytes, zero-extended. */
    public long read(long linear, int size) {
        switch (size) {
            case 1: return read8(linear);
            case 2: return read16(linear);
            case 4: return read32(linear) & 0xFFFFFFFFL;
            default: return read64(linear);
        }
    }

    /** Fetches one instruction byte. */
    public int fetch8(long linear) {
        int o = fastOffset(linear, PageWalker.EXEC, 1);
        if (o >= 0) {
            return ram[o] & 0xFF;
        }
        return (int) slowRead(linear, 1, PageWalker.EXEC);
    }

    public void write(long linear, int size, long value) {
        int o = fastOffset(linear, PageWalker.WRITE, size);
        if (o >= 0) {
            switch (size) {
                case 1: ram[o] = (byte) value; return;
                case 2: SHORT.set(ram, o, (short) value); return;
                case 4: INT.set(ram, o, (int) value); return;
                default: LONG.set(ram, o, value); return;
            }
        }
        slowWrite(linear, size, value);
    }

    /**
     * For bulk string operations: the RAM-array index of {@code len} bytes at {@code linear} if
     * they lie in one page that the fast path may access this way, else -1. Translates (and so
     * may raise #PF) like an ordinary access.
     */
    public int bulkOffset(long linear, int len, boolean write) {
        if ((linear & 0xFFF) + len > 4096) {
            return -1;
        }
        int kind = write ? PageWalker.WRITE : PageWalker.READ;
        translate(linear, kind);
        return fastOffset(linear, kind, len);
    }

    public byte[] ramArray() {
        return ram;
    }

    /** Checks that a write of {@code size} bytes would not fault (for instructions that must not half-complete). */
    public void probeWrite(long linear, int size) {
        translate(linear, PageWalker.WRITE);
        if ((linear & 0xFFF) > 4096 - size) {
            translate(linear + size - 1, PageWalker.WRITE);
        }
    }

    private long slowRead(long linear, int size, int kind) {
        long p0 = translate(linear, kind);
        if ((linear & 0xFFF) <= 4096 - size) {
            return physRead(p0, size);
        }
        int first = 4096 - (int) (linear & 0xFFF);
        long p1 = translate(linear + first, kind);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long b = i < first ? physRead(p0 + i, 1) : physRead(p1 + (i - first), 1);
            v = (v << 8) | b;
        }
        return v;
    }

    private void slowWrite(long linear, int size, long value) {
        long p0 = translate(linear, PageWalker.WRITE);
        if ((linear & 0xFFF) <= 4096 - size) {
            physWrite(p0, size, value);
            return;
        }
        int first = 4096 - (int) (linear & 0xFFF);
        long p1 = translate(linear + first, PageWalker.WRITE);
        for (int i = 0; i < size; i++) {
            long b = (value >>> (8 * i)) & 0xFF;
            if (i < first) {
                physWrite(p0 + i, 1, b);
            } else {
                physWrite(p1 + (i - first), 1, b);
            }
        }
    }

    /** A physical read of up to 8 bytes within one page. */
    public long physRead(long p, int size) {
        long off = memory.ramOffset(p, attrs, false);
        if (off >= 0) {
            int o = (int) (off + (p & 0xFFF));
            switch (size) {
                case 1: return ram[o] & 0xFF;
                case 2: return (short) SHORT.get(ram, o) & 0xFFFF;
                case 4: return (int) INT.get(ram, o) & 0xFFFFFFFFL;
                default: return (long) LONG.get(ram, o);
            }
        }
        return memory.read(p, size, attrs);
    }

    /** A physical write of up to 8 bytes within one page, telling the code-page listener first. */
    public void physWrite(long p, int size, long value) {
        long page = p & ~0xFFFL;
        if (codePages != null && codePages.isCodePage(page)) {
            codePages.codePageWritten(page);
        }
        long off = memory.ramOffset(p, attrs, true);
        if (off >= 0) {
            int o = (int) (off + (p & 0xFFF));
            switch (size) {
                case 1: ram[o] = (byte) value; return;
                case 2: SHORT.set(ram, o, (short) value); return;
                case 4: INT.set(ram, o, (int) value); return;
                default: LONG.set(ram, o, value); return;
            }
        }
        memory.write(p, size, value, attrs);
    }

    /**
     * Re-enables the fast path for pages whose decoded code was dropped: entries are refilled on
     * their next miss, so this only clears the write entries for {@code physPage}.
     */
    public void codePageReleased(long physPage) {
        epoch++;
        int base = PageWalker.WRITE * ENTRIES;
        for (int i = base; i < base + ENTRIES; i++) {
            if (tag[i] != -1 && phys[i] == physPage) {
                tag[i] = -1;
            }
        }
    }
}
