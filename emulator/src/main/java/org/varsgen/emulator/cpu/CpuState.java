package org.varsgen.emulator.cpu;

/**
 * The architectural state of one x86-64 processor that is not better kept in a lazy form.
 *
 * <p>RFLAGS is not here: the interpreter evaluates flags lazily, so it is read and written
 * through the CPU object. Everything here is plain data, so tests, the SMM save-state code and
 * the JIT can read and write it directly.
 */
public final class CpuState {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    public static final long CR0_PE = 1L, CR0_MP = 1L << 1, CR0_EM = 1L << 2, CR0_TS = 1L << 3;
    public static final long CR0_ET = 1L << 4, CR0_NE = 1L << 5, CR0_WP = 1L << 16, CR0_AM = 1L << 18;
    public static final long CR0_NW = 1L << 29, CR0_CD = 1L << 30, CR0_PG = 1L << 31;
    public static final long CR4_PSE = 1L << 4, CR4_PAE = 1L << 5, CR4_PGE = 1L << 7;
    public static final long CR4_OSFXSR = 1L << 9, CR4_OSXMMEXCPT = 1L << 10, CR4_LA57 = 1L << 12;
    public static final long EFER_SCE = 1L, EFER_LME = 1L << 8, EFER_LMA = 1L << 10, EFER_NXE = 1L << 11;

    /** RAX..R15 in encoding order. */
    public final long[] gpr = new long[16];
    public long rip;

    /** ES, CS, SS, DS, FS, GS in encoding order. */
    public final SegmentCache[] segments = {
        new SegmentCache(), new SegmentCache(), new SegmentCache(),
        new SegmentCache(), new SegmentCache(), new SegmentCache()
    };
    public final SegmentCache ldtr = new SegmentCache();
    public final SegmentCache tr = new SegmentCache();
    public long gdtBase;
    public int gdtLimit;
    public long idtBase;
    public int idtLimit;

    public long cr0;
    public long cr2;
    public long cr3;
    public long cr4;
    public long cr8;
    public long efer;
    public final long[] dr = new long[8];

    /** XMM0..XMM15, each as two longs: xmm[2*i] is bits 0-63, xmm[2*i+1] bits 64-127. */
    public final long[] xmm = new long[32];
    public int mxcsr;
    public int fpuControlWord;
    public int fpuStatusWord;
    public int fpuTagWord;

    /** In System Management Mode, and the SMBASE that the next SMI will use. */
    public boolean smm;
    public long smbase;

    /** Stopped by HLT until an interrupt, NMI, SMI or INIT arrives. */
    public boolean halted;

    public SegmentCache cs() {
        return segments[CS];
    }

    public SegmentCache ss() {
        return segments[SS];
    }

    /** Long mode active and the code segment is 64-bit. */
    public boolean in64BitMode() {
        return (efer & EFER_LMA) != 0 && (segments[CS].attributes & SegmentCache.ATTR_L) != 0;
    }

    public boolean protectedMode() {
        return (cr0 & CR0_PE) != 0;
    }

    public int cpl() {
        return protectedMode() ? segments[CS].selector & 3 : 0;
    }
}
