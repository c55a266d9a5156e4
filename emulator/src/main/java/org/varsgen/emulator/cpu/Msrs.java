package org.varsgen.emulator.cpu;

import java.util.Arrays;

/**
 * The model-specific registers the firmware touches, stored and read back. Values at reset
 * follow QEMU TCG. An MSR not listed here raises #GP(0) on RDMSR and WRMSR, as on hardware.
 */
public final class Msrs {
    public static final int TSC = 0x10, APIC_BASE = 0x1B, FEATURE_CONTROL = 0x3A, MTRRCAP = 0xFE;
    public static final int SYSENTER_CS = 0x174, SYSENTER_ESP = 0x175, SYSENTER_EIP = 0x176;
    public static final int MCG_CAP = 0x179, MCG_STATUS = 0x17A, MISC_ENABLE = 0x1A0;
    public static final int MTRR_PHYS_BASE0 = 0x200, MTRR_FIX64K = 0x250, MTRR_FIX16K_80000 = 0x258;
    public static final int MTRR_FIX16K_A0000 = 0x259, MTRR_FIX4K_C0000 = 0x268, PAT = 0x277, MTRR_DEF_TYPE = 0x2FF;
    public static final int EFER = 0xC0000080, STAR = 0xC0000081, LSTAR = 0xC0000082, CSTAR = 0xC0000083;
    public static final int FMASK = 0xC0000084, FS_BASE = 0xC0000100, GS_BASE = 0xC0000101;
    public static final int KERNEL_GS_BASE = 0xC0000102, VM_HSAVE_PA = 0xC0010117;

    public static final long APIC_BASE_DEFAULT = 0xFEE00900L;
    public static final long PAT_DEFAULT = 0x0007040600070406L;
    /** 8 variable ranges, fixed ranges, write-combining. */
    public static final long MTRRCAP_VALUE = 0x508;
    private static final long MCG_CAP_VALUE = 0x0100010AL;
    private static final long EFER_WRITABLE = CpuState.EFER_SCE | CpuState.EFER_LME | CpuState.EFER_NXE | (1L << 12);

    public long apicBase;
    public long featureControl;
    public long sysenterCs, sysenterEsp, sysenterEip;
    public long miscEnable;
    public final long[] mtrrVar = new long[16];
    public final long[] mtrrFixed = new long[11];
    public long pat;
    public long mtrrDefType;
    public long star, lstar, cstar, fmask, kernelGsBase, vmHsavePa;
    public long mcgStatus;

    public void reset() {
        apicBase = APIC_BASE_DEFAULT;
        featureControl = 0;
        sysenterCs = sysenterEsp = sysenterEip = 0;
        miscEnable = 1;
        Arrays.fill(mtrrVar, 0);
        Arrays.fill(mtrrFixed, 0);
        pat = PAT_DEFAULT;
        mtrrDefType = 0;
        star = lstar = cstar = fmask = kernelGsBase = vmHsavePa = 0;
        mcgStatus = 0;
    }

    private static int fixedIndex(int msr) {
        if (msr == MTRR_FIX64K) {
            return 0;
        }
        if (msr == MTRR_FIX16K_80000 || msr == MTRR_FIX16K_A0000) {
            return msr - MTRR_FIX16K_80000 + 1;
        }
        if (msr >= MTRR_FIX4K_C0000 && msr <= MTRR_FIX4K_C0000 + 7) {
            return msr - MTRR_FIX4K_C0000 + 3;
        }
        return -1;
    }

    /** RDMSR. {@code tsc} is the current time-stamp counter; throws #GP(0) for unknown MSRs. */
    public long read(int msr, CpuState s, long tsc) {
        if (msr >= MTRR_PHYS_BASE0 && msr < MTRR_PHYS_BASE0 + 16) {
            return mtrrVar[msr - MTRR_PHYS_BASE0];
        }
        int fixed = fixedIndex(msr);
        if (fixed >= 0) {
            return mtrrFixed[fixed];
        }
        switch (msr) {
            case TSC: return tsc;
            case APIC_BASE: return apicBase;
            case FEATURE_CONTROL: return featureControl;
            case MTRRCAP: return MTRRCAP_VALUE;
            case SYSENTER_CS: return sysenterCs;
            case SYSENTER_ESP: return sysenterEsp;
            case SYSENTER_EIP: return sysenterEip;
            case MCG_CAP: return MCG_CAP_VALUE;
            case MCG_STATUS: return mcgStatus;
            case MISC_ENABLE: return miscEnable;
            case PAT: return pat;
            case MTRR_DEF_TYPE: return mtrrDefType;
            case EFER: return s.efer;
            case STAR: return star;
            case LSTAR: return lstar;
            case CSTAR: return cstar;
            case FMASK: return fmask;
            case FS_BASE: return s.segments[CpuState.FS].base;
            case GS_BASE: return s.segments[CpuState.GS].base;
            case KERNEL_GS_BASE: return kernelGsBase;
            case VM_HSAVE_PA: return vmHsavePa;
            default: throw GuestFault.gp(0);
        }
    }

    /**
     * WRMSR. Returns true when the write changed paging-relevant state (EFER), so the caller
     * re-evaluates modes and flushes the TLB. TSC writes go through {@code tscWriter}.
     */
    public boolean write(int msr, long value, CpuState s, java.util.function.LongConsumer tscWriter) {
        if (msr >= MTRR_PHYS_BASE0 && msr < MTRR_PHYS_BASE0 + 16) {
            mtrrVar[msr - MTRR_PHYS_BASE0] = value;
            return false;
        }
        int fixed = fixedIndex(msr);
        if (fixed >= 0) {
            mtrrFixed[fixed] = value;
            return false;
        }
        switch (msr) {
            case TSC: tscWriter.accept(value); return false;
            case APIC_BASE:
                // Bits 12-39 base, 11 enable, 8 BSP (read-only), 10 x2APIC (not offered).
                if ((value & ~0xFFFFFFF900L & ~0x100L) != 0) {
                    throw GuestFault.gp(0);
                }
                apicBase = (value & 0xFFFFFFF800L) | (apicBase & 0x100);
                return false;
            case FEATURE_CONTROL: featureControl = value; return false;
            case SYSENTER_CS: sysenterCs = value; return false;
            case SYSENTER_ESP: sysenterEsp = value; return false;
            case SYSENTER_EIP: sysenterEip = value; return false;
            case MCG_STATUS: mcgStatus = value; return false;
            case MISC_ENABLE: miscEnable = value; return false;
            case PAT: pat = value; return false;
            case MTRR_DEF_TYPE: mtrrDefType = value; return false;
            case EFER: {
                if ((value & ~(EFER_WRITABLE | CpuState.EFER_LMA)) != 0) {
                    throw GuestFault.gp(0);
                }
                long old = s.efer;
                // LMA is the CPU's to set; LME may not change while paging is on.
                if (((old ^ value) & CpuState.EFER_LME) != 0 && (s.cr0 & CpuState.CR0_PG) != 0) {
                    throw GuestFault.gp(0);
                }
                s.efer = (value & EFER_WRITABLE) | (old & CpuState.EFER_LMA);
                return true;
            }
            case STAR: star = value; return false;
            case LSTAR: lstar = value; return false;
            case CSTAR: cstar = value; return false;
            case FMASK: fmask = value; return false;
            case FS_BASE: s.segments[CpuState.FS].base = value; return false;
            case GS_BASE: s.segments[CpuState.GS].base = value; return false;
            case KERNEL_GS_BASE: kernelGsBase = value; return false;
            case VM_HSAVE_PA: vmHsavePa = value; return false;
            default: throw GuestFault.gp(0);
        }
    }
}
