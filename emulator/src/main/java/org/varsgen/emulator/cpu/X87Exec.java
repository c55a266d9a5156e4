package org.varsgen.emulator.cpu;

import java.math.BigDecimal;
import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * Executes the x87 instructions (opcodes D8-DF) on the {@link X87} register file: loads and
 * stores in every format, constants, arithmetic, comparisons, FCMOVcc, environment save and
 * restore, and the transcendental functions at double precision. Exceptions are always handled
 * as if masked (the masked response is produced, the flags are set, #MF is never raised).
 * See docs/cpu.md, "x87".
 */
final class X87Exec {
    private static final double L2T = 0x1.a934f0979a371p+1, L2E = 0x1.71547652b82fep+0;
    private static final double LG2 = 0x1.34413509f79ffp-2, LN2 = 0x1.62e42fefa39efp-1;
    private static final long INT_INDEFINITE = Long.MIN_VALUE;
    /** Arithmetic kinds; the sub and div kinds come in "dest op other" and reversed forms. */
    private static final int ADD = 0, MUL = 1, SUB = 4, SUBR = 5, DIV = 6, DIVR = 7;

    private final Interpreter in;
    private final CpuState s;
    private final Mmu mmu;
    private final Flags f;
    private final X87 x;

    X87Exec(Cpu cpu, Interpreter in) {
        this.in = in;
        this.s = cpu.state;
        this.mmu = cpu.mmu;
        this.f = cpu.flags;
        this.x = cpu.x87;
    }

    void execute(Insn d) {
        int r = d.reg & 7;
        int i = d.rm & 7;
        if (d.mod != 3) {
            memory(d, r, in.addr(d));
            return;
        }
        switch (d.op) {
            case 0xD8: regArith(r, 0, i, false); return;
            case 0xDC: regArith(r, i, 0, false); return;
            case 0xDE:
                if (r == 3) {
                    compare(0, 1, false, 2); // FCOMPP (DE D9)
                } else {
                    regArith(r, i, 0, true);
                }
                return;
            case 0xD9: d9(r, i); return;
            case 0xDA:
                if (r == 5) {
                    compare(0, 1, true, 2); // FUCOMPP (DA E9)
                } else {
                    fcmov(r, i, false);
                }
                return;
            case 0xDB:
                if (r < 4) {
                    fcmov(r, i, true);
                } else if (r == 4) {
                    if (i == 2) {
                        s.fpuStatusWord &= 0x7F00; // FNCLEX
                    } else if (i == 3) {
                        x.reset(s); // FNINIT
                    } // E0 FENI, E1 FDISI, E4 FSETPM: no effect on this processor generation
                } else {
                    comi(i, r == 5, false); // FUCOMI, FCOMI
                }
                return;
            case 0xDD:
                switch (r) {
                    case 0: X87.setTag(s, X87.phys(s, i), X87.TAG_EMPTY); return; // FFREE
                    case 1: fxch(i); return;
                    case 2: case 3: fstReg(i, r == 3); return;
                    default: compare(0, i, true, r == 5 ? 1 : 0); return; // FUCOM, FUCOMP
                }
            default: // 0xDF
                switch (r) {
                    case 0: X87.setTag(s, X87.phys(s, i), X87.TAG_EMPTY); x.pop(s); return; // FFREEP
                    case 1: fxch(i); return;
                    case 2: case 3: fstReg(i, true); return;
                    case 4: in.setRegSized(0, 2, s.fpuStatusWord); return; // FNSTSW AX
                    default: comi(i, r == 5, true); return; // FUCOMIP, FCOMIP
                }
        }
    }

    // ---- register forms -----------------------------------------------------------------------

    /** Arithmetic with ST(dest) and ST(other); the DC/DE encodings swap the sub/div directions. */
    private void regArith(int r, int dest, int other, boolean pop) {
        if (r == 2 || r == 3) {
            compare(0, other == 0 ? dest : other, false, r == 3 || pop ? 1 : 0); // FCOM/FCOMP and aliases
            return;
        }
        int kind = dest == 0 ? r : (r >= 4 ? r ^ 1 : r);
        if (x.underflow(s, dest) | x.underflow(s, other)) {
            x.set(s, dest, X87.INDEFINITE);
        } else {
            x.set(s, dest, arith(kind, x.peek(s, dest), x.peek(s, other)));
        }
        if (pop) {
            x.pop(s);
        }
    }

    private void d9(int r, int i) {
        switch (r) {
            case 0: fldReg(i); return;
            case 1: fxch(i); return;
            case 2: return; // FNOP
            case 3: fstReg(i, true); return; // FSTP1 alias
            case 4:
                switch (i) {
                    case 0: signOp(true); return; // FCHS
                    case 1: signOp(false); return; // FABS
                    case 4: compareWith(0.0, false, 0); return; // FTST
                    default: fxam(); return;
                }
            case 5: {
                double[] k = {1.0, L2T, L2E, Math.PI, LG2, LN2, 0.0};
                X87.setC1(s, false);
                x.push(s, k[i]);
                return;
            }
            case 6:
                switch (i) {
                    case 0: unary(v -> StrictMath.expm1(v * LN2)); return; // F2XM1
                    case 1: fyl2x(false); return;
                    case 2: fptan(); return;
                    case 3: binaryPop((y, v) -> StrictMath.atan2(y, v)); return; // FPATAN
                    case 4: fxtract(); return;
                    case 5: fprem(true); return;
                    case 6: X87.setC1(s, false); X87.setTop(s, X87.top(s) - 1); return; // FDECSTP
                    default: X87.setC1(s, false); X87.setTop(s, X87.top(s) + 1); return; // FINCSTP
                }
            default:
                switch (i) {
                    case 0: fprem(false); return;
                    case 1: fyl2x(true); return;
                    case 2: fsqrt(); return;
                    case 3: fsincos(); return;
                    case 4: frndint(); return;
                    case 5: fscale(); return;
                    case 6: trig(StrictMath::sin); return;
                    default: trig(StrictMath::cos); return;
                }
        }
    }

    private void fldReg(int i) {
        if (x.empty(s, i)) {
            X87.stackFault(s, false);
            x.push(s, X87.INDEFINITE);
            return;
        }
        if (!x.empty(s, 7)) {
            x.push(s, 0); // overflow: signals and loads the indefinite
            return;
        }
        X87.setC1(s, false);
        X87.setTop(s, X87.top(s) - 1);
        x.copy(s, i + 1, 0);
    }

    private void fxch(int i) {
        if (x.empty(s, 0) || x.empty(s, i)) {
            // masked underflow: empty operands become the indefinite, then the exchange happens
            X87.stackFault(s, false);
            for (int k : new int[] {0, i}) {
                if (x.empty(s, k)) {
                    x.set(s, k, X87.INDEFINITE);
                }
            }
        } else {
            X87.setC1(s, false);
        }
        x.exchange(s, i);
    }

    private void fstReg(int i, boolean pop) {
        if (x.underflow(s, 0)) {
            x.set(s, i, X87.INDEFINITE);
        } else {
            X87.setC1(s, false);
            x.copy(s, 0, i);
        }
        if (pop) {
            x.pop(s);
        }
    }

    private void signOp(boolean negate) {
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        X87.setC1(s, false);
        x.setSign(s, negate);
    }

    private void fcmov(int r, int i, boolean negate) {
        boolean c;
        switch (r) {
            case 0: c = f.cf(); break;
            case 1: c = f.zf(); break;
            case 2: c = f.cf() || f.zf(); break;
            default: c = f.pf(); break;
        }
        if (x.empty(s, 0) || x.empty(s, i)) {
            X87.stackFault(s, false);
            if (c != negate) {
                x.set(s, 0, X87.INDEFINITE);
            }
            return;
        }
        X87.setC1(s, false);
        if (c != negate) {
            x.copy(s, i, 0);
        }
    }

    // ---- comparisons --------------------------------------------------------------------------

    /** FCOM/FUCOM family: compares ST(a) with ST(b), then pops {@code pops} times. */
    private void compare(int a, int b, boolean unordered, int pops) {
        if (x.underflow(s, a) | x.underflow(s, b)) {
            X87.setCc(s, X87.C3 | X87.C2 | X87.C0);
        } else {
            X87.setCc(s, condition(x.peek(s, a), x.peek(s, b), unordered));
        }
        for (int k = 0; k < pops; k++) {
            x.pop(s);
        }
    }

    private void compareWith(double v, boolean unordered, int pops) {
        if (x.underflow(s, 0)) {
            X87.setCc(s, X87.C3 | X87.C2 | X87.C0);
        } else {
            X87.setCc(s, condition(x.peek(s, 0), v, unordered));
        }
        for (int k = 0; k < pops; k++) {
            x.pop(s);
        }
    }

    /** C3/C2/C0 for a compared with b: greater 000, less 001, equal 100, unordered 111. */
    private int condition(double a, double b, boolean unordered) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            if (!unordered || signaling(a) || signaling(b)) {
                X87.raise(s, X87.IE);
            }
            return X87.C3 | X87.C2 | X87.C0;
        }
        return a > b ? 0 : a < b ? X87.C0 : X87.C3;
    }

    /** FCOMI/FUCOMI(P): ZF, PF, CF from comparing ST(0) with ST(i); OF, SF, AF cleared. */
    private void comi(int i, boolean unordered, boolean pop) {
        int cc;
        if (x.underflow(s, 0) | x.underflow(s, i)) {
            cc = X87.C3 | X87.C2 | X87.C0;
        } else {
            X87.setC1(s, false);
            cc = condition(x.peek(s, 0), x.peek(s, i), unordered);
        }
        long fl = ((cc & X87.C3) != 0 ? Flags.ZF : 0) | ((cc & X87.C2) != 0 ? Flags.PF : 0)
                | ((cc & X87.C0) != 0 ? Flags.CF : 0);
        f.setArith(fl);
        if (pop) {
            x.pop(s);
        }
    }

    private void fxam() {
        int p = X87.phys(s, 0);
        double v = x.st[p];
        int sign = Double.doubleToRawLongBits(v) < 0 ? X87.C1 : 0;
        int cls;
        if (X87.emptyPhys(s, p)) {
            cls = X87.C3 | X87.C0;
        } else if (Double.isNaN(v)) {
            cls = X87.C0;
        } else if (Double.isInfinite(v)) {
            cls = X87.C2 | X87.C0;
        } else if (v == 0) {
            cls = X87.C3;
        } else {
            cls = X87.C2;
        }
        X87.setCc(s, cls | sign);
    }

    // ---- arithmetic ---------------------------------------------------------------------------

    private static boolean signaling(double v) {
        return Double.isNaN(v) && (Double.doubleToRawLongBits(v) & (1L << 51)) == 0;
    }

    private static double quiet(double v) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) | (1L << 51));
    }

    /** NaN operand rule: an SNaN raises IE; of two NaNs the one with the larger significand wins. */
    private double nanResult(double a, double b) {
        if (signaling(a) || signaling(b)) {
            X87.raise(s, X87.IE);
        }
        if (Double.isNaN(a) && Double.isNaN(b)) {
            long ma = Double.doubleToRawLongBits(a) & 0xFFFFFFFFFFFFFL;
            long mb = Double.doubleToRawLongBits(b) & 0xFFFFFFFFFFFFFL;
            return quiet(mb > ma ? b : a);
        }
        return quiet(Double.isNaN(a) ? a : b);
    }

    private double invalid() {
        X87.raise(s, X87.IE);
        return X87.INDEFINITE;
    }

    /** dest op other for one of the kinds, with IEEE special cases, exception flags and rounding. */
    double arith(int kind, double dest, double other) {
        double a = dest;
        double b = other;
        if (kind == SUBR || kind == DIVR) {
            a = other;
            b = dest;
        }
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return nanResult(a, b);
        }
        X87.setC1(s, false);
        double r;
        double err;
        switch (kind) {
            case ADD: case SUB: case SUBR: {
                double bb = kind == ADD ? b : -b;
                if (Double.isInfinite(a) && Double.isInfinite(bb) && a != bb) {
                    return invalid();
                }
                r = a + bb;
                if (r == 0) {
                    if (a == 0 && bb == 0 && Math.copySign(1.0, a) == Math.copySign(1.0, bb)) {
                        return a; // zeros of the same sign keep it
                    }
                    return ((s.fpuControlWord >> 10) & 3) == 1 ? -0.0 : 0.0; // x - x: +0 except rounding down
                }
                double t = r - a;
                err = (a - (r - t)) + (bb - t);
                break;
            }
            case MUL:
                if ((a == 0 && Double.isInfinite(b)) || (b == 0 && Double.isInfinite(a))) {
                    return invalid();
                }
                r = a * b;
                err = Math.fma(a, b, -r);
                break;
            default:
                if ((a == 0 && b == 0) || (Double.isInfinite(a) && Double.isInfinite(b))) {
                    return invalid();
                }
                if (b == 0) {
                    X87.raise(s, X87.ZE);
                    return a / b;
                }
                r = a / b;
                err = -Math.fma(r, b, -a) * Math.signum(b); // sign of (a / b - r)
                break;
        }
        return finish(r, err, !Double.isInfinite(a) && !Double.isInfinite(b));
    }

    /**
     * Applies the control word to a round-to-nearest double result r whose exact value exceeds
     * r by an amount of sign err: rounding direction (RC), precision control 24 bits, PE and C1
     * (rounded up in magnitude), and OE when finite operands overflow the double range.
     */
    private double finish(double r, double err, boolean finiteOperands) {
        int rc = (s.fpuControlWord >> 10) & 3;
        if (Double.isInfinite(r) && finiteOperands) {
            X87.raise(s, X87.OE | X87.PE);
            boolean toward = rc == 3 || (rc == 1 && r > 0) || (rc == 2 && r < 0);
            X87.setC1(s, !toward);
            return toward ? Math.copySign(Double.MAX_VALUE, r) : r;
        }
        if (Double.isInfinite(r) || Double.isNaN(err)) {
            return r;
        }
        double v;
        if (((s.fpuControlWord >> 8) & 3) == 0) {
            // precision control 24 bits: round the double result again, to float (double rounding)
            float fl = (float) r;
            double ferr = r - fl;
            v = directedFloat(fl, ferr == 0 ? err : ferr, rc);
        } else {
            v = directed(r, err, rc);
        }
        if (err != 0 || v != r) {
            X87.raise(s, X87.PE);
            // exact value above v (err > 0 and unchanged) means v was rounded toward zero for v > 0
            boolean above = v == r ? err > 0 : v < r;
            X87.setC1(s, v > 0 ? !above : above);
        }
        return v;
    }

    private static double directed(double r, double err, int rc) {
        if (err == 0) {
            return r;
        }
        switch (rc) {
            case 1: return err < 0 ? Math.nextDown(r) : r;
            case 2: return err > 0 ? Math.nextUp(r) : r;
            case 3: return r > 0 && err < 0 ? Math.nextDown(r) : r < 0 && err > 0 ? Math.nextUp(r) : r;
            default: return r;
        }
    }

    private static float directedFloat(float r, double err, int rc) {
        if (err == 0) {
            return r;
        }
        switch (rc) {
            case 1: return err < 0 ? Math.nextDown(r) : r;
            case 2: return err > 0 ? Math.nextUp(r) : r;
            case 3: return r > 0 && err < 0 ? Math.nextDown(r) : r < 0 && err > 0 ? Math.nextUp(r) : r;
            default: return r;
        }
    }

    private void fsqrt() {
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        double v = x.peek(s, 0);
        if (Double.isNaN(v)) {
            x.set(s, 0, nanResult(v, v));
        } else if (v < 0) {
            x.set(s, 0, invalid());
        } else {
            X87.setC1(s, false);
            double r = Math.sqrt(v);
            x.set(s, 0, Double.isInfinite(r) || r == 0 ? r : finish(r, -Math.fma(r, r, -v), true));
        }
    }

    private void frndint() {
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        double v = x.peek(s, 0);
        if (Double.isNaN(v)) {
            x.set(s, 0, nanResult(v, v));
            return;
        }
        double r = X87.roundIntegral(v, (s.fpuControlWord >> 10) & 3);
        X87.setC1(s, false);
        if (r != v) {
            X87.raise(s, X87.PE);
            X87.setC1(s, Math.abs(r) > Math.abs(v));
        }
        x.set(s, 0, Math.copySign(r, v));
    }

    private void fscale() {
        if (x.underflow(s, 0) | x.underflow(s, 1)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        double v = x.peek(s, 0);
        double n = x.peek(s, 1);
        X87.setC1(s, false);
        if (Double.isNaN(v) || Double.isNaN(n)) {
            x.set(s, 0, nanResult(v, n));
        } else if (Double.isInfinite(n)) {
            boolean bad = n > 0 ? v == 0 : Double.isInfinite(v);
            x.set(s, 0, bad ? invalid() : n > 0 ? Math.copySign(v == 0 ? 0 : Double.POSITIVE_INFINITY, v)
                    : Math.copySign(0.0, v));
        } else {
            double t = n < 0 ? Math.ceil(n) : Math.floor(n);
            int e = (int) Math.max(-100000, Math.min(100000, t));
            double r = Math.scalb(v, e);
            if (Double.isInfinite(r) && !Double.isInfinite(v)) {
                X87.raise(s, X87.OE | X87.PE);
            } else if (r != 0 && Math.scalb(r, -e) != v || r == 0 && v != 0) {
                X87.raise(s, X87.UE | X87.PE);
            }
            x.set(s, 0, r);
        }
    }

    /** The unbiased exponent of a finite nonzero double, double subnormals included. */
    private static int exponent(double v) {
        int e = Math.getExponent(v);
        return e == Double.MIN_EXPONENT - 1 ? Math.getExponent(v * 0x1p64) - 64 : e;
    }

    private void fxtract() {
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            x.push(s, X87.INDEFINITE);
            return;
        }
        double v = x.peek(s, 0);
        X87.setC1(s, false);
        if (Double.isNaN(v)) {
            double q = nanResult(v, v);
            x.set(s, 0, q);
            x.push(s, q);
        } else if (v == 0) {
            X87.raise(s, X87.ZE);
            x.set(s, 0, Double.NEGATIVE_INFINITY);
            x.push(s, v);
        } else if (Double.isInfinite(v)) {
            x.set(s, 0, Double.POSITIVE_INFINITY);
            x.push(s, v);
        } else {
            int e = exponent(v);
            x.set(s, 0, e);
            x.push(s, Math.scalb(v, -e));
        }
    }

    /** FPREM (truncating quotient) and FPREM1 (IEEE, nearest quotient); partial when exponents differ by 64 or more. */
    private void fprem(boolean ieee) {
        if (x.underflow(s, 0) | x.underflow(s, 1)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        double a = x.peek(s, 0);
        double b = x.peek(s, 1);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            x.set(s, 0, nanResult(a, b));
            return;
        }
        if (Double.isInfinite(a) || b == 0) {
            x.set(s, 0, invalid());
            return;
        }
        if (Double.isInfinite(b) || a == 0) {
            X87.setCc(s, 0);
            return;
        }
        int diff = exponent(a) - exponent(b);
        if (diff >= 64) {
            // partial remainder: reduce by b * 2^(diff - 32) with a truncated quotient; C2 asks for another round
            double r = a % Math.scalb(b, diff - 32);
            x.set(s, 0, r);
            X87.setCc(s, X87.C2);
            return;
        }
        double r = ieee ? Math.IEEEremainder(a, b) : a % b;
        long q = new BigDecimal(a).subtract(new BigDecimal(r)).divide(new BigDecimal(b)).abs().longValueExact();
        X87.setCc(s, ((q & 4) != 0 ? X87.C0 : 0) | ((q & 2) != 0 ? X87.C3 : 0) | ((q & 1) != 0 ? X87.C1 : 0));
        x.set(s, 0, r == 0 ? Math.copySign(0.0, a) : r);
    }

    // ---- transcendental ------------------------------------------------------------------------

    private interface Fn1 {
        double apply(double v);
    }

    private interface Fn2 {
        double apply(double y, double v);
    }

    private void unary(Fn1 fn) {
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        double v = x.peek(s, 0);
        X87.setC1(s, false);
        x.set(s, 0, Double.isNaN(v) ? nanResult(v, v) : inexact(fn.apply(v), v));
    }

    /** Transcendental results are taken as inexact unless they reproduce the operand (e.g. 0). */
    private double inexact(double r, double operand) {
        if (Double.isNaN(r)) {
            return invalid();
        }
        if (r != operand) {
            X87.raise(s, X87.PE);
        }
        return r;
    }

    /** ST(1) = fn(ST(1), ST(0)), then pop. */
    private void binaryPop(Fn2 fn) {
        if (x.underflow(s, 0) | x.underflow(s, 1)) {
            x.set(s, 1, X87.INDEFINITE);
        } else {
            double v = x.peek(s, 0);
            double y = x.peek(s, 1);
            X87.setC1(s, false);
            x.set(s, 1, Double.isNaN(v) || Double.isNaN(y) ? nanResult(y, v) : inexact(fn.apply(y, v), Double.NaN));
        }
        x.pop(s);
    }

    private void fyl2x(boolean plusOne) {
        double v = x.empty(s, 0) ? 0 : x.peek(s, 0);
        double y = x.empty(s, 1) ? 0 : x.peek(s, 1);
        boolean zeroLog = plusOne ? false : v == 0 && y != 0 && !Double.isNaN(y) && !Double.isInfinite(y);
        if (zeroLog && !x.empty(s, 0) && !x.empty(s, 1)) {
            X87.raise(s, X87.ZE);
        }
        binaryPop((yy, vv) -> {
            if (!plusOne && vv < 0 || plusOne && vv < -1) {
                return Double.NaN;
            }
            double l = plusOne ? StrictMath.log1p(vv) / LN2 : StrictMath.log(vv) / LN2;
            return yy * l;
        });
    }

    private static boolean outOfRange(double v) {
        return Double.isInfinite(v) || Math.abs(v) >= 0x1p63;
    }

    private void trig(Fn1 fn) {
        if (!x.empty(s, 0) && outOfRange(x.peek(s, 0)) && !Double.isInfinite(x.peek(s, 0))) {
            X87.setCc(s, X87.C2);
            return;
        }
        s.fpuStatusWord &= ~X87.C2;
        unary(v -> Double.isInfinite(v) ? Double.NaN : fn.apply(v));
    }

    private void fptan() {
        if (!x.empty(s, 0) && outOfRange(x.peek(s, 0)) && !Double.isInfinite(x.peek(s, 0))) {
            X87.setCc(s, X87.C2);
            return;
        }
        s.fpuStatusWord &= ~X87.C2;
        boolean wasEmpty = x.empty(s, 0);
        unary(v -> Double.isInfinite(v) ? Double.NaN : StrictMath.tan(v));
        x.push(s, wasEmpty || Double.isNaN(x.peek(s, 0)) ? x.peek(s, 0) : 1.0);
    }

    private void fsincos() {
        if (!x.empty(s, 0) && outOfRange(x.peek(s, 0)) && !Double.isInfinite(x.peek(s, 0))) {
            X87.setCc(s, X87.C2);
            return;
        }
        s.fpuStatusWord &= ~X87.C2;
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            x.push(s, X87.INDEFINITE);
            return;
        }
        double v = x.peek(s, 0);
        X87.setC1(s, false);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            double q = Double.isNaN(v) ? nanResult(v, v) : invalid();
            x.set(s, 0, q);
            x.push(s, q);
            return;
        }
        x.set(s, 0, inexact(StrictMath.sin(v), v));
        x.push(s, inexact(StrictMath.cos(v), v));
    }

    // ---- memory forms -------------------------------------------------------------------------

    private void memory(Insn d, int r, long a) {
        switch (d.op) {
            case 0xD8: memArith(r, loadFloat(a)); return;
            case 0xDC: memArith(r, loadDouble(a)); return;
            case 0xDA: memArith(r, (int) mmu.read(a, 4)); return;
            case 0xDE: memArith(r, (short) mmu.read(a, 2)); return;
            case 0xD9:
                switch (r) {
                    case 0: x.push(s, loadFloat(a)); return;
                    case 2: case 3: storeFloat(a, r == 3); return;
                    case 4: ldenv(d, a); return;
                    case 5: s.fpuControlWord = (int) mmu.read(a, 2) | 0x40; return;
                    case 6: stenv(d, a); s.fpuControlWord |= 0x3F; return;
                    default: mmu.write(a, 2, s.fpuControlWord); return;
                }
            case 0xDB:
                switch (r) {
                    case 0: x.push(s, (int) mmu.read(a, 4)); return;
                    case 1: storeInt(a, 4, true, 3); return;
                    case 2: case 3: storeInt(a, 4, r == 3, -1); return;
                    case 5: {
                        long m = mmu.read64(a);
                        x.pushExtended(s, m, (int) mmu.read(a + 8, 2));
                        return;
                    }
                    default: storeExtended(a); return;
                }
            case 0xDD:
                switch (r) {
                    case 0: x.push(s, loadDouble(a)); return;
                    case 1: storeInt(a, 8, true, 3); return;
                    case 2: case 3: storeDouble(a, r == 3); return;
                    case 4: frstor(d, a); return;
                    case 6: fnsave(d, a); return;
                    default: mmu.write(a, 2, s.fpuStatusWord); return;
                }
            default: // 0xDF
                switch (r) {
                    case 0: x.push(s, (short) mmu.read(a, 2)); return;
                    case 1: storeInt(a, 2, true, 3); return;
                    case 2: case 3: storeInt(a, 2, r == 3, -1); return;
                    case 4: fbld(a); return;
                    case 5: x.push(s, (double) mmu.read64(a)); return;
                    case 6: fbstp(a); return;
                    default: storeInt(a, 8, true, -1); return;
                }
        }
    }

    /** D8/DC/DA/DE memory forms: ST(0) op m; /2 and /3 compare (FCOM(P), FICOM(P)). */
    private void memArith(int r, double m) {
        if (r == 2 || r == 3) {
            compareWith(m, false, r == 3 ? 1 : 0);
            return;
        }
        if (x.underflow(s, 0)) {
            x.set(s, 0, X87.INDEFINITE);
            return;
        }
        x.set(s, 0, arith(r, x.peek(s, 0), m));
    }

    /** A 32-bit real as a double (exact); an SNaN raises IE and is quieted as the load does. */
    private double loadFloat(long a) {
        int bits = (int) mmu.read(a, 4);
        float v = Float.intBitsToFloat(bits);
        if (!Float.isNaN(v)) {
            return v;
        }
        long frac = (long) (bits & 0x7FFFFF) << 29;
        if ((bits & 0x400000) == 0) {
            X87.raise(s, X87.IE);
        }
        return Double.longBitsToDouble(((long) bits & 0x80000000L) << 32 | 0x7FF8000000000000L | frac);
    }

    private double loadDouble(long a) {
        double v = Double.longBitsToDouble(mmu.read64(a));
        if (signaling(v)) {
            X87.raise(s, X87.IE);
            return quiet(v);
        }
        return v;
    }

    /** The value to store from ST(0), or null (after signalling underflow) when empty. */
    private Double storeSource() {
        if (x.underflow(s, 0)) {
            return null;
        }
        X87.setC1(s, false);
        return x.peek(s, 0);
    }

    private void storeFloat(long a, boolean pop) {
        Double src = storeSource();
        int bits;
        if (src == null) {
            bits = 0xFFC00000;
        } else if (Double.isNaN(src)) {
            long b = Double.doubleToRawLongBits(src);
            if (signaling(src)) {
                X87.raise(s, X87.IE);
            }
            bits = (int) ((b >>> 32) & 0x80000000L) | 0x7FC00000 | (int) ((b >>> 29) & 0x3FFFFF);
        } else {
            double v = src;
            float fl = (float) v;
            if (fl != v && !Float.isInfinite(fl)) {
                fl = directedFloat(fl, v - fl, (s.fpuControlWord >> 10) & 3);
                X87.raise(s, X87.PE);
                X87.setC1(s, Math.abs(fl) > Math.abs(v));
            } else if (Float.isInfinite(fl) && !Double.isInfinite(v)) {
                X87.raise(s, X87.OE | X87.PE);
            }
            bits = Float.floatToRawIntBits(fl);
        }
        mmu.write(a, 4, bits & 0xFFFFFFFFL);
        if (pop) {
            x.pop(s);
        }
    }

    private void storeDouble(long a, boolean pop) {
        Double src = storeSource();
        double v = src == null ? X87.INDEFINITE : src;
        if (signaling(v)) {
            X87.raise(s, X87.IE);
            v = quiet(v);
        }
        mmu.write(a, 8, Double.doubleToRawLongBits(v));
        if (pop) {
            x.pop(s);
        }
    }

    private void storeExtended(long a) {
        long[] ext = x.empty(s, 0) ? new long[] {0xC000000000000000L, 0xFFFF} : x.extendedOf(X87.phys(s, 0));
        if (x.empty(s, 0)) {
            X87.stackFault(s, false);
        } else {
            X87.setC1(s, false);
        }
        mmu.write(a, 8, ext[0]);
        mmu.write(a + 8, 2, ext[1]);
        x.pop(s);
    }

    /** FIST/FISTP/FISTTP: rounds per RC (or rcOverride), stores the integer indefinite when out of range. */
    private void storeInt(long a, int size, boolean pop, int rcOverride) {
        Double src = storeSource();
        long v;
        if (src == null) {
            v = INT_INDEFINITE;
        } else {
            int rc = rcOverride >= 0 ? rcOverride : (s.fpuControlWord >> 10) & 3;
            double r = Double.isNaN(src) || Double.isInfinite(src) ? Double.NaN : X87.roundIntegral(src, rc);
            double limit = Math.scalb(1.0, size * 8 - 1);
            if (Double.isNaN(r) || r >= limit || r < -limit) {
                X87.raise(s, X87.IE);
                v = INT_INDEFINITE;
            } else {
                v = (long) r;
                if (r != src) {
                    X87.raise(s, X87.PE);
                    X87.setC1(s, Math.abs(r) > Math.abs(src));
                }
            }
        }
        long out = v == INT_INDEFINITE ? 1L << (size * 8 - 1) : v;
        mmu.write(a, size, size == 8 ? out : out & ((1L << (size * 8)) - 1));
        if (pop) {
            x.pop(s);
        }
    }

    /** FBLD: 18 packed BCD digits and a sign byte (digits above 9 are taken at face value). */
    private void fbld(long a) {
        long v = 0;
        for (int k = 8; k >= 0; k--) {
            int b = (int) mmu.read(a + k, 1);
            v = v * 100 + (b >> 4) * 10 + (b & 15);
        }
        boolean neg = (mmu.read(a + 9, 1) & 0x80) != 0;
        x.push(s, neg ? -(double) v : (double) v);
    }

    private void fbstp(long a) {
        Double src = storeSource();
        double r = src == null || Double.isNaN(src) ? Double.NaN : X87.roundIntegral(src, (s.fpuControlWord >> 10) & 3);
        byte[] out = new byte[10];
        if (Double.isNaN(r) || Math.abs(r) >= 1e18) {
            if (src != null) {
                X87.raise(s, X87.IE);
            }
            out[7] = (byte) 0xC0;
            out[8] = (byte) 0xFF;
            out[9] = (byte) 0xFF;
        } else {
            if (r != src) {
                X87.raise(s, X87.PE);
                X87.setC1(s, Math.abs(r) > Math.abs(src));
            }
            long v = (long) Math.abs(r);
            for (int k = 0; k < 9; k++) {
                out[k] = (byte) ((v % 10) | ((v / 10 % 10) << 4));
                v /= 100;
            }
            out[9] = (byte) (Math.copySign(1.0, r) < 0 ? 0x80 : 0);
        }
        for (int k = 0; k < 10; k++) {
            mmu.write(a + k, 1, out[k] & 0xFF);
        }
        x.pop(s);
    }

    // ---- environment --------------------------------------------------------------------------

    /** Size of one environment field: 2 bytes in the 14-byte (16-bit operand) format, else 4. */
    private static int envField(Insn d) {
        return d.osize == 2 ? 2 : 4;
    }

    /**
     * FNSTENV layout: control, status and tag word, then instruction and operand pointers,
     * which are not tracked and stored as 0 (as in the protected-mode format; see docs).
     */
    private void stenv(Insn d, long a) {
        int w = envField(d);
        mmu.write(a, w, s.fpuControlWord);
        mmu.write(a + w, w, s.fpuStatusWord);
        mmu.write(a + 2L * w, w, x.fullTagWord(s));
        for (int k = 3; k < 7; k++) {
            mmu.write(a + (long) k * w, w, 0);
        }
    }

    private void ldenv(Insn d, long a) {
        int w = envField(d);
        int cw = (int) mmu.read(a, 2);
        int sw = (int) mmu.read(a + w, 2);
        int tw = (int) mmu.read(a + 2L * w, 2);
        s.fpuControlWord = cw;
        s.fpuStatusWord = sw;
        applyTags(tw);
    }

    /** Takes "empty" from a loaded tag word; the other tags follow the register contents. */
    private void applyTags(int tw) {
        s.fpuTagWord = 0xFFFF;
        int full = x.fullTagWordIgnoringEmpty();
        for (int p = 0; p < 8; p++) {
            int tag = ((tw >> (2 * p)) & 3) == X87.TAG_EMPTY ? X87.TAG_EMPTY : (full >> (2 * p)) & 3;
            X87.setTag(s, p, tag);
        }
    }

    private void fnsave(Insn d, long a) {
        int w = envField(d);
        long regs = a + 7L * w;
        mmu.probeWrite(a, 1);
        mmu.probeWrite(regs + 79, 1);
        stenv(d, a);
        for (int k = 0; k < 8; k++) {
            long[] ext = x.extendedOf(X87.phys(s, k));
            mmu.write(regs + 10L * k, 8, ext[0]);
            mmu.write(regs + 10L * k + 8, 2, ext[1]);
        }
        x.reset(s);
    }

    private void frstor(Insn d, long a) {
        int w = envField(d);
        long regs = a + 7L * w;
        mmu.read(regs + 79, 1);
        int cw = (int) mmu.read(a, 2);
        int sw = (int) mmu.read(a + w, 2);
        int tw = (int) mmu.read(a + 2L * w, 2);
        s.fpuControlWord = cw;
        s.fpuStatusWord = sw;
        for (int k = 0; k < 8; k++) {
            long m = mmu.read64(regs + 10L * k);
            int se = (int) mmu.read(regs + 10L * k + 8, 2);
            x.loadExtended(s, X87.phys(s, k), m, se);
        }
        applyTags(tw);
    }
}
