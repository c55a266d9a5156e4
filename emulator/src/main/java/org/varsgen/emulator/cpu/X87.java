package org.varsgen.emulator.cpu;

/**
 * The x87 register stack. Values are kept as Java doubles: exact for everything the firmware
 * does with the FPU (FILD of 32-bit integers, FSTP to 64-bit reals), not for 80-bit arithmetic,
 * which nothing on the boot path performs. Control, status and tag words live in CpuState.
 */
final class X87 {
    final double[] st = new double[8];

    void reset(CpuState s) {
        java.util.Arrays.fill(st, 0);
        s.fpuControlWord = 0x37F;
        s.fpuStatusWord = 0;
        s.fpuTagWord = 0xFFFF;
    }

    private static int top(CpuState s) {
        return (s.fpuStatusWord >> 11) & 7;
    }

    private static void setTop(CpuState s, int top) {
        s.fpuStatusWord = (s.fpuStatusWord & ~0x3800) | ((top & 7) << 11);
    }

    private static boolean empty(CpuState s, int phys) {
        return ((s.fpuTagWord >> (2 * phys)) & 3) == 3;
    }

    private static void setTag(CpuState s, int phys, int tag) {
        s.fpuTagWord = (s.fpuTagWord & ~(3 << (2 * phys))) | (tag << (2 * phys));
    }

    private static int tagFor(double v) {
        if (v == 0) {
            return 1;
        }
        return Double.isNaN(v) || Double.isInfinite(v) ? 2 : 0;
    }

    /** Stack overflow or underflow: invalid operation with stack fault (masked: a QNaN results). */
    private static void stackFault(CpuState s, boolean overflow) {
        s.fpuStatusWord |= 0x41 | (overflow ? 0x200 : 0);
        s.fpuStatusWord &= overflow ? ~0 : ~0x200;
    }

    void push(CpuState s, double v) {
        int t = (top(s) - 1) & 7;
        if (!empty(s, t)) {
            stackFault(s, true);
            v = Double.NaN;
        }
        setTop(s, t);
        st[t] = v;
        setTag(s, t, tagFor(v));
    }

    double get(CpuState s, int i) {
        int p = (top(s) + i) & 7;
        if (empty(s, p)) {
            stackFault(s, false);
            return Double.NaN;
        }
        return st[p];
    }

    void set(CpuState s, int i, double v) {
        int p = (top(s) + i) & 7;
        st[p] = v;
        setTag(s, p, tagFor(v));
    }

    void pop(CpuState s) {
        int t = top(s);
        setTag(s, t, 3);
        setTop(s, t + 1);
    }

    /** Rounds per the control word's RC field to a long (Long.MIN_VALUE when not representable). */
    static long round(double v, int controlWord) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Long.MIN_VALUE;
        }
        double r;
        switch ((controlWord >> 10) & 3) {
            case 0: r = Math.rint(v); break;
            case 1: r = Math.floor(v); break;
            case 2: r = Math.ceil(v); break;
            default: r = v < 0 ? Math.ceil(v) : Math.floor(v); break;
        }
        if (r >= 0x1p63 || r < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) r;
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

    static double fromExtended(long mantissa, int se) {
        boolean neg = (se & 0x8000) != 0;
        int exp = se & 0x7FFF;
        double v;
        if (exp == 0x7FFF) {
            v = (mantissa << 1) == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (mantissa == 0) {
            v = 0;
        } else {
            v = Math.scalb((double) (mantissa >>> 11), exp - 16383 - 52);
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
            int tag = (abridged & (1 << i)) == 0 ? 3 : tagFor(st[i]);
            tw |= tag << (2 * i);
        }
        return tw;
    }
}
