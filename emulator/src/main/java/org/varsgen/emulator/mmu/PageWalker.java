package org.varsgen.emulator.mmu;

import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.cpu.GuestFault;

/**
 * Linear to physical translation by walking the guest's page tables: 32-bit paging (4 KiB, and
 * 4 MiB pages with CR4.PSE, PSE-36), PAE and 4-level paging (2 MiB and 1 GiB pages), with the
 * R/W, U/S and NX checks, CR0.WP, accessed and dirty bits, and #PF with CR2 and the error code.
 *
 * <p>Order of effects follows QEMU TCG: accessed bits of the upper levels are set while walking;
 * the leaf's accessed (and, for a write, dirty) bit only once the access is allowed. PAE
 * PDPTEs are read at walk time rather than cached at the CR3 load (firmware never relies on
 * the difference).
 */
public final class PageWalker {
    public static final int READ = 0, WRITE = 1, EXEC = 2;
    public static final int PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_I = 16;
    /**
     * The error code of a reserved-bit fault: QEMU 7.2 (the reference) reports RSVD without P,
     * where hardware also sets P; the paging test guest shows QEMU's value.
     */
    private static final int RSVD_FAULT = PF_RSVD;
    /** Physical address width of the modelled CPU (CPUID 0x80000008). */
    public static final int PHYS_BITS = 40;
    private static final long ADDR_MASK = ((1L << PHYS_BITS) - 1) & ~0xFFFL;
    private static final long RSVD_HIGH = ((1L << 52) - 1) & ~((1L << PHYS_BITS) - 1);
    private static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    private static final long NX = 1L << 63;

    private final PhysicalMemory memory;
    private final CpuState state;

    /** Results of the last successful walk: page attributes the TLB keeps. */
    long resultWritable;
    boolean resultGlobal;
    /** Size of the mapping found by the last walk (4 KiB, 2 MiB, 4 MiB or 1 GiB). */
    long resultPageSize;

    public PageWalker(PhysicalMemory memory, CpuState state) {
        this.memory = memory;
        this.state = state;
    }

    private int attrs() {
        return state.smm ? PhysicalMemory.ATTR_SMM : 0;
    }

    private long load(long addr, boolean wide) {
        return memory.read(addr, wide ? 8 : 4, attrs()) & (wide ? -1L : 0xFFFFFFFFL);
    }

    private void setBits(long addr, boolean wide, long entry, long bits) {
        if ((entry & bits) != bits) {
            memory.write(addr, 4, (entry | bits) & 0xFFFFFFFFL, attrs());
        }
    }

    /**
     * Translates {@code linear} for an access of the given kind and privilege; returns the
     * physical address. Throws #PF (setting CR2) when the access is not allowed.
     */
    public long walk(long linear, int kind, boolean user) {
        long cr4 = state.cr4;
        boolean nxe = (state.efer & CpuState.EFER_NXE) != 0;
        boolean wp = (state.cr0 & CpuState.CR0_WP) != 0;
        boolean rw = true, us = true, nx = false;
        long leafAddr;
        long leaf;
        long phys;
        boolean wide;
        boolean global;
        if ((cr4 & CpuState.CR4_PAE) == 0) {
            wide = false;
            long pdeAddr = (state.cr3 & 0xFFFFF000L) | ((linear >>> 20) & 0xFFC);
            long pde = load(pdeAddr, false);
            if ((pde & P) == 0) {
                throw fault(linear, 0, kind, user, nxe);
            }
            rw = (pde & RW) != 0;
            us = (pde & US) != 0;
            if ((pde & PS) != 0 && (cr4 & CpuState.CR4_PSE) != 0) {
                if ((pde & 0x200000L) != 0 || ((pde >>> 13) & 0xFF) >= (1L << (PHYS_BITS - 32))) {
                    throw fault(linear, RSVD_FAULT, kind, user, nxe);
                }
                leafAddr = pdeAddr;
                leaf = pde;
                phys = (pde & 0xFFC00000L) | (((pde >>> 13) & 0xFF) << 32) | (linear & 0x3FFFFF);
                resultPageSize = 4L << 20;
            } else {
                setBits(pdeAddr, false, pde, A);
                long pteAddr = (pde & 0xFFFFF000L) | ((linear >>> 10) & 0xFFC);
                long pte = load(pteAddr, false);
                if ((pte & P) == 0) {
                    throw fault(linear, 0, kind, user, nxe);
                }
                rw &= (pte & RW) != 0;
                us &= (pte & US) != 0;
                leafAddr = pteAddr;
                leaf = pte;
                phys = (pte & 0xFFFFF000L) | (linear & 0xFFF);
                resultPageSize = 4096;
            }
        } else {
            wide = true;
            long table;
            int level;
            if ((state.efer & CpuState.EFER_LMA) != 0) {
                table = state.cr3 & ADDR_MASK;
                level = 4;
            } else {
                long pdpteAddr = (state.cr3 & 0xFFFFFFE0L) | ((linear >>> 27) & 0x18);
                long pdpte = load(pdpteAddr, true);
                if ((pdpte & P) == 0) {
                    throw fault(linear, 0, kind, user, nxe);
                }
                if ((pdpte & (RSVD_HIGH | 0x1E6L | NX)) != 0) {
                    throw fault(linear, RSVD_FAULT, kind, user, nxe);
                }
                table = pdpte & ADDR_MASK;
                level = 2;
            }
            for (;;) {
                int shift = 12 + 9 * (level - 1);
                long entryAddr = table | (((linear >>> shift) & 0x1FF) << 3);
                long e = load(entryAddr, true);
                if ((e & P) == 0) {
                    throw fault(linear, 0, kind, user, nxe);
                }
                boolean large = (e & PS) != 0 && (level == 2 || level == 3);
                long rsvd = RSVD_HIGH | (nxe ? 0 : NX);
                if (level == 4 && (e & PS) != 0) {
                    rsvd |= PS;
                }
                if (large) {
                    rsvd |= ((1L << (shift - 13)) - 1) << 13;
                }
                if ((e & rsvd) != 0) {
                    throw fault(linear, RSVD_FAULT, kind, user, nxe);
                }
                rw &= (e & RW) != 0;
                us &= (e & US) != 0;
                nx |= nxe && (e & NX) != 0;
                if (level == 1 || large) {
                    leafAddr = entryAddr;
                    leaf = e;
                    long pageMask = (1L << shift) - 1;
                    phys = (e & ADDR_MASK & ~pageMask) | (linear & pageMask);
                    resultPageSize = 1L << shift;
                    break;
                }
                setBits(entryAddr, true, e, A);
                table = e & ADDR_MASK;
                level--;
            }
        }
        global = (leaf & G) != 0 && (cr4 & CpuState.CR4_PGE) != 0;
        if (user && !us) {
            throw fault(linear, PF_P, kind, user, nxe);
        }
        if (kind == WRITE && !rw && (user || wp)) {
            throw fault(linear, PF_P, kind, user, nxe);
        }
        if (kind == EXEC && nx) {
            throw fault(linear, PF_P, kind, user, nxe);
        }
        setBits(leafAddr, wide, leaf, kind == WRITE ? A | D : A);
        // A page may be cached as writable only when it is, and its dirty bit is already set.
        boolean dirty = kind == WRITE || (leaf & D) != 0;
        resultWritable = (rw || !(user || wp)) && dirty ? 1 : 0;
        resultGlobal = global;
        return phys;
    }

    private GuestFault fault(long linear, int code, int kind, boolean user, boolean nxe) {
        state.cr2 = linear;
        if (kind == WRITE) {
            code |= PF_W;
        }
        if (user) {
            code |= PF_U;
        }
        if (kind == EXEC && nxe && (state.cr4 & CpuState.CR4_PAE) != 0) {
            code |= PF_I;
        }
        return new GuestFault(GuestFault.PF, code);
    }
}
