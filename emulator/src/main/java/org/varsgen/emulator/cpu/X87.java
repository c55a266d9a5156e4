package org.varsgen.emulator.cpu;

/**
 * The x87 register file: eight registers addressed relative to TOP, the tag word and the
 * status-word bookkeeping (condition codes, exception flags, stack faults). Control, status and
 * tag words live in CpuState.
 *
 * <p>Values are Java doubles (53-bit significand, 11-bit exponent), not 80-bit extended reals;
 * docs/cpu.md ("x87") lists where results can differ from hardware. To keep moves bit-exact,
 * a register loaded from an 80-bit image (FLD m80, FRSTOR, FXRSTOR) also keeps that image, and
 * FLD ST(i), FXCH, FST(P) ST(i), FCHS, FABS and the 80-bit stores carry it along; any arithmetic
 * result drops it.
 */
final class X87 {
    static final int IE = 0x01, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20, SF = 0x40, ES = 0x80;
    static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, BUSY = 0x8000;
    static final int TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3;
    /** The QNaN "real indefinite": sign set, quiet bit set, rest zero (FFFF C000000000000000 in 80 bits). */
    static final double INDEFINITE = Double.longBitsToDouble(0xFFF8000000000000L);

    final double[] st = new double[8];
    /** The exact 80-bit image of physical register i while {@link #exact}[i] (mantissa, sign|exponent). */
    private final long[] extMant = new long[8];
    private final int[] extSe = new int[8];
    private final boolean[] exact = new boolean[8];

    void reset(CpuState s) {
        java.util.Arrays.fill(st, 0);
        java.util.Arrays.fill(exact, false);
        s.fpuControlWord = 0x37F;
        s.fpuStatusWord = 0;
        s.fpuTagWord = 0xFFFF;
    }

    static int top(CpuState s) {
        return (s.fpuStatusWord >> 11) & 7;
    }

    static void setTop(CpuState s, int top) {
        s.fpuStatusWord = (s.fpuStatusWord & ~0x3800) | ((top & 7) << 11);
    }

    static int phys(CpuState s, int i) {
        return (top(s) + i) & 7;
    }

    static boolean emptyPhys(CpuState s, int phys) {
        return ((s.fpuTagWord >> (2 * phys)) & 3) == TAG_EMPTY;
    }

    boolean empty(CpuState s, int i) {
        return emptyPhys(s, phys(s, i));
    }

    static void setTag(CpuState s, int phys, int tag) {
        s.fpuTagWord = (s.fpuTagWord & ~(3 << (2 * phys))) | (tag << (2 * phys));
    }

    /**
     * The tag of a value. Double subnormals are normal numbers in the 80-bit format, so only
     * zero, NaN and infinity are special here.
     */
    static int tagFor(double v) {
        if (v == 0) {
            return TAG_ZERO;
        }
        return Double.isNaN(v) || Double.isInfinite(v) ? TAG_SPECIAL : TAG_VALID;
    }

    /** Raises exception flags; a flag the control word leaves unmasked also sets ES and B (no #MF: see docs). */
    static void raise(CpuState s, int flags) {
        s.fpuStatusWord |= flags;
        if ((s.fpuStatusWord & ~s.fpuControlWord & 0x3F) != 0) {
            s.fpuStatusWord |= ES | BUSY;
        }
    }

    static void setC1(CpuState s, boolean on) {
        s.fpuStatusWord = on ? s.fpuStatusWord | C1 : s.fpuStatusWord & ~C1;
    }

    /** Sets C3, C2, C1, C0 to the given bits (the others of the status word unchanged). */
    static void setCc(CpuState s, int cc) {
        s.fpuStatusWord = (s.fpuStatusWord & ~(C0 | C1 | C2 | C3)) | cc;
    }

    /** Stack overflow or underflow: invalid operation with stack fault, C1 = 1 for overflow. */
    static void stackFault(CpuState s, boolean overflow) {
        setC1(s, overflow);
        raise(s, IE | SF);
    }

    /** True (after signalling underflow) when ST(i) is empty. */
    boolean underflow(CpuState s, int i) {
        if (empty(s, i)) {
            stackFault(s, false);
            return true;
        }
        return false;
    }

    void push(CpuState s, double v) {
        int t = (top(s) - 1) & 7;
        if (!emptyPhys(s, t)) {
            stackFault(s, true);
            v = INDEFINITE;
        } else {
            setC1(s, false);
        }
        setTop(s, t);
        st[t] = v;
        exact[t] = false;
        setTag(s, t, tagFor(v));
    }

    /** Pushes an 80-bit image, kept bit-exact. */
    void pushExtended(CpuState s, long mantissa, int se) {
        int t = (top(s) - 1) & 7;
        if (!emptyPhys(s, t)) {
            push(s, 0); // signals the overflow and stores the indefinite
            return;
        }
        setC1(s, false);
        setTop(s, t);
        loadExtended(s, t, mantissa, se);
    }

    /** Puts an 80-bit image into physical register p and tags it. */
    void loadExtended(CpuState s, int p, long mantissa, int se) {
        st[p] = fromExtended(mantissa, se);
        extMant[p] = mantissa;
        extSe[p] = se & 0xFFFF;
        exact[p] = true;
        setTag(s, p, tagForExtended(mantissa, se));
    }

    /** ST(i) without any check (callers test emptiness first, see {@link #underflow}). */
    double peek(CpuState s, int i) {
        return st[phys(s, i)];
    }

    void set(CpuState s, int i, double v) {
        int p = phys(s, i);
        st[p] = v;
        exact[p] = false;
        setTag(s, p, tagFor(v));
    }

    /** Copies ST(from) to ST(to) including its 80-bit image and tag. */
    void copy(CpuState s, int from, int to) {
        int pf = phys(s, from);
        int pt = phys(s, to);
        st[pt] = st[pf];
        extMant[pt] = extMant[pf];
        extSe[pt] = extSe[pf];
        exact[pt] = exact[pf];
        setTag(s, pt, (s.fpuTagWord >> (2 * pf)) & 3);
    }

    /** Swaps ST(0) and ST(i) with their images and tags. */
    void exchange(CpuState s, int i) {
        int a = phys(s, 0);
        int b = phys(s, i);
        double v = st[a];
        st[a] = st[b];
        st[b] = v;
        long m = extMant[a];
        extMant[a] = extMant[b];
        extMant[b] = m;
        int se = extSe[a];
        extSe[a] = extSe[b];
        extSe[b] = se;
        boolean x = exact[a];
        exact[a] = exact[b];
        exact[b] = x;
        int ta = (s.fpuTagWord >> (2 * a)) & 3;
        int tb = (s.fpuTagWord >> (2 * b)) & 3;
        setTag(s, a, tb);
        setTag(s, b, ta);
    }

    /** Changes the sign of ST(0) (negate, or clear for FABS), keeping an 80-bit image exact. */
    void setSign(CpuState s, boolean negate) {
        int p = phys(s, 0);
        long bits = Double.doubleToRawLongBits(st[p]);
        bits = negate ? bits ^ Long.MIN_VALUE : bits & Long.MAX_VALUE;
        st[p] = Double.longBitsToDouble(bits);
        extSe[p] = negate ? extSe[p] ^ 0x8000 : extSe[p] & 0x7FFF;
    }

    void pop(CpuState s) {
        int t = top(s);
        setTag(s, t, TAG_EMPTY);
        setTop(s, t + 1);
    }

    /** The 80-bit image of physical register p: {mantissa, sign|exponent}. */
    long[] extendedOf(int p) {
        return exact[p] ? new long[] {extMant[p], extSe[p]} : toExtended(st[p]);
    }

    /** The tag word as FNSTENV/FNSAVE store it: recomputed from the contents of non-empty registers. */
    int fullTagWord(CpuState s) {
        int tw = 0;
        for (int p = 0; p < 8; p++) {
            int tag = emptyPhys(s, p) ? TAG_EMPTY : exact[p] ? tagForExtended(extMant[p], extSe[p]) : tagFor(st[p]);
            tw |= tag << (2 * p);
        }
        return tw;
    }

    /** Tags from the contents of every register, as FLDENV/FRSTOR give non-empty registers. */
    int fullTagWordIgnoringEmpty() {
        int tw = 0;
        for (int p = 0; p < 8; p++) {
            tw |= (exact[p] ? tagForExtended(extMant[p], extSe[p]) : tagFor(st[p])) << (2 * p);
        }
        return tw;
    }

    private static int tagForExtended(long mantissa, int se) {
        int exp = se & 0x7FFF;
        if (exp == 0x7FFF || (exp != 0 && mantissa >= 0)) {
            return TAG_SPECIAL; // NaN, infinity, unnormal
        }
        if (exp == 0) {
            return mantissa == 0 ? TAG_ZERO : TAG_SPECIAL; // zero, denormal
        }
        return TAG_VALID;
    }

    /** Rounds to an integral value in rounding mode rc (0 nearest-even, 1 down, 2 up, 3 toward zero). */
    static double roundIntegral(double v, int rc) {
        switch (rc) {
            case 0: return Math.rint(v);
            case 1: return Math.floor(v);
            case 2: return Math.ceil(v);
            default: return v < 0 ? Math.ceil(v) : Math.floor(v);
        }
    }

    /** The 80-bit extended encoding of a double: {mantissa, sign|exponent}. */
    static long[] toExtended(double v) {
        long bits = Double.doubleToRawLongBits(v);
        long sign = (bits >>> 63) << 15;
        int exp = (int) ((bits >>> 52) & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0x7FF) {
            return new long[] {(1L << 63) | (frac << 11), sign | 0x7FFF};
        }
        if (exp == 0) {
            if (frac == 0) {
                return new long[] {0, sign};
            }
            int shift = Long.numberOfLeadingZeros(frac) - 11;
            frac <<= shift;
            exp = 1 - shift;
            frac &= 0xFFFFFFFFFFFFFL;
        }
        return new long[] {(1L << 63) | (frac << 11), sign | (exp - 1023 + 16383)};
    }

    /**
     * The double nearest to an 80-bit value (round to nearest even, one rounding unless the result
     * is a double subnormal). NaNs keep their top 52 fraction bits; pseudo-denormals and 80-bit
     * denormals become zero or the nearest double.
     */
    static double fromExtended(long mantissa, int se) {
        boolean neg = (se & 0x8000) != 0;
        int exp = se & 0x7FFF;
        double v;
        if (exp == 0x7FFF) {
            long frac = (mantissa << 1) >>> 12;
            v = (mantissa << 1) == 0 ? Double.POSITIVE_INFINITY
                    : Double.longBitsToDouble(0x7FF0000000000000L | (frac == 0 ? 1L << 51 : frac));
        } else if (mantissa == 0) {
            v = 0;
        } else {
            // 63 bits plus a sticky bit convert with a single correct rounding
            double m = (double) ((mantissa >>> 1) | (mantissa & 1));
            v = Math.scalb(m, (exp == 0 ? 1 : exp) - 16383 - 62);
        }
        return neg ? -v : v;
    }

    /** The abridged tag byte of FXSAVE: bit i set when physical register i is not empty. */
    static int abridgedTag(int tagWord) {
        int t = 0;
        for (int i = 0; i < 8; i++) {
            if (((tagWord >> (2 * i)) & 3) != 3) {
                t |= 1 << i;
            }
        }
        return t;
    }

    int tagWordFromAbridged(int abridged) {
        int tw = 0;
        for (int i = 0; i < 8; i++) {
            int tag = (abridged & (1 << i)) == 0 ? 3 : exact[i] ? tagForExtended(extMant[i], extSe[i]) : tagFor(st[i]);
            tw |= tag << (2 * i);
        }
        return tw;
    }
}
