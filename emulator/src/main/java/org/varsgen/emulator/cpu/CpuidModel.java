package org.varsgen.emulator.cpu;

/**
 * CPUID of the modelled processor: QEMU 7.2's default TCG model "qemu64" as Debian's QEMU
 * presents it (platform-reference.md section E): AuthenticAMD, family 15 model 107 stepping 1,
 * max basic leaf 0xD, max extended leaf 0x8000000A, 40 physical address bits, no 1 GiB pages,
 * no x2APIC, no XSAVE. A leaf above the basic (or extended) maximum answers like the highest
 * basic leaf, as QEMU does; for this model that is leaf 0xD, all zeros.
 *
 * <p>One optional difference: {@link #setPage1Gb} advertises 1 GiB pages (CPUID
 * 0x80000001:EDX bit 26, QEMU's {@code -cpu qemu64,+pdpe1gb}). OVMF then builds its identity maps
 * and SMM page tables with 1 GiB pages instead of 2 MiB ones, which saves about half of the
 * enrolment job's guest instructions and changes nothing in the variable store (design.md,
 * docs/PERFORMANCE.md). The generator turns it on; {@code varsgen run} leaves it off unless asked,
 * so that logs compare with QEMU's default CPU.
 */
public final class CpuidModel {
    public static final int MAX_BASIC = 0xD;
    public static final int MAX_EXTENDED = 0x8000000A;
    /** Leaf 1 EAX: stepping 1, model 0xB + extended model 6 (107), family 0xF. Also EDX at reset. */
    public static final int SIGNATURE = 0x00060FB1;
    /** FPU DE PSE TSC MSR PAE MCE CX8 APIC SEP MTRR PGE MCA CMOV PAT PSE36 CLFLUSH MMX FXSR SSE SSE2. */
    public static final int LEAF1_EDX = 0x078BFBFD;
    /** SSE3, CX16, hypervisor. */
    public static final int LEAF1_ECX = 0x80002001;
    /** AMD mirrors of leaf-1 EDX plus SYSCALL, NX, LM. */
    public static final int EXT1_EDX = 0x2193FBFD;
    /** LAHF/SAHF in long mode, SVM. */
    public static final int EXT1_ECX = 0x00000005;
    /** 0x80000001:EDX bit 26, 1 GiB pages. */
    public static final int EXT1_EDX_PDPE1GB = 1 << 26;
    private static final String VENDOR = "AuthenticAMD";
    private boolean page1Gb;

    /** Whether to advertise 1 GiB pages (off by default, as qemu64). */
    public void setPage1Gb(boolean on) {
        page1Gb = on;
    }
    private static final String BRAND = "QEMU Virtual CPU version 2.5+";

    /** Returns {EAX, EBX, ECX, EDX} for CPUID with the given EAX (leaf) and ECX (subleaf). */
    public int[] query(int leaf, int subleaf, int apicId) {
        int idx = leaf;
        if (Integer.compareUnsigned(idx, 0x80000000) >= 0) {
            if (Integer.compareUnsigned(idx, MAX_EXTENDED) > 0) {
                idx = MAX_BASIC;
            }
        } else if (Integer.compareUnsigned(idx, MAX_BASIC) > 0) {
            idx = MAX_BASIC;
        }
        switch (idx) {
            case 0: return new int[] {MAX_BASIC, vendor(0), vendor(8), vendor(4)};
            case 1: return new int[] {SIGNATURE, (apicId << 24) | (8 << 8), LEAF1_ECX, LEAF1_EDX};
            case 2: return new int[] {1, 0, 0, 0x002C307D};
            case 6: return new int[] {4, 0, 0, 0};
            case 0xB: {
                int level = subleaf & 0xFF;
                if (level == 0) {
                    return new int[] {0, 1, level | (1 << 8), apicId};
                } else if (level == 1) {
                    return new int[] {0, 1, level | (2 << 8), apicId};
                }
                return new int[] {0, 0, level, apicId};
            }
            case 0x80000000: return new int[] {MAX_EXTENDED, vendor(0), vendor(8), vendor(4)};
            case 0x80000001: return new int[] {SIGNATURE, 0, EXT1_ECX, EXT1_EDX | (page1Gb ? EXT1_EDX_PDPE1GB : 0)};
            case 0x80000002: case 0x80000003: case 0x80000004: {
                int base = (idx - 0x80000002) * 16;
                return new int[] {brand(base), brand(base + 4), brand(base + 8), brand(base + 12)};
            }
            case 0x80000005: return new int[] {0x01FF01FF, 0x01FF01FF, 0x40020140, 0x40020140};
            case 0x80000006: return new int[] {0, 0x42004200, 0x02008140, 0};
            case 0x80000008: return new int[] {0x3000 | org.varsgen.emulator.mmu.PageWalker.PHYS_BITS, 0, 0, 0};
            case 0x8000000A: return new int[] {1, 0x10, 0, 0};
            default: return new int[] {0, 0, 0, 0};
        }
    }

    private static int vendor(int offset) {
        return pack(VENDOR, offset);
    }

    private static int brand(int offset) {
        return pack(BRAND, offset);
    }

    private static int pack(String s, int offset) {
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            int c = offset + i < s.length() ? s.charAt(offset + i) : 0;
            v = (v << 8) | c;
        }
        return v;
    }
}
