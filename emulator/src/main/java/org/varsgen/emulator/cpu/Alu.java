package org.varsgen.emulator.cpu;

import java.math.BigInteger;

/**
 * Integer arithmetic with its flag effects: the eight group-1 operations, INC/DEC, shifts and
 * rotates (count masking and the flag rules of QEMU TCG, including the "undefined" cases),
 * double shifts, multiplication and division (#DE).
 */
final class Alu {
    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;

    private final Flags f;

    Alu(Flags f) {
        this.f = f;
    }

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** One of ADD, OR, ADC, SBB, AND, SUB, XOR, CMP on zero-extended operands; returns the masked result. */
    long arith(int kind, int size, long a, long b) {
        long m = mask(size);
        int bits = size * 8;
        a &= m;
        b &= m;
        long res;
        switch (kind) {
            case ADD:
                res = (a + b) & m;
                f.set(Flags.OP_ADD, bits, res, a, 0);
                return res;
            case OR:
                res = a | b;
                f.logic(bits, res);
                return res;
            case ADC: {
                long c = f.cf() ? 1 : 0;
                res = (a + b + c) & m;
                f.set(Flags.OP_ADC, bits, res, a, c);
                return res;
            }
            case SBB: {
                long c = f.cf() ? 1 : 0;
                res = (a - b - c) & m;
                f.set(Flags.OP_SBB, bits, res, a, c);
                return res;
            }
            case AND:
                res = a & b;
                f.logic(bits, res);
                return res;
            case XOR:
                res = a ^ b;
                f.logic(bits, res);
                return res;
            default: // SUB, CMP
                res = (a - b) & m;
                f.set(Flags.OP_SUB, bits, res, a, 0);
                return res;
        }
    }

    void logic(int size, long res) {
        f.logic(size * 8, res & mask(size));
    }

    long inc(int size, long v) {
        long cf = f.cf() ? 1 : 0;
        long res = (v + 1) & mask(size);
        f.set(Flags.OP_INC, size * 8, res, v, cf);
        return res;
    }

    long dec(int size, long v) {
        long cf = f.cf() ? 1 : 0;
        long res = (v - 1) & mask(size);
        f.set(Flags.OP_DEC, size * 8, res, v, cf);
        return res;
    }

    /** Group 2: ROL ROR RCL RCR SHL SHR SAL SAR by {@code count} (masked here). */
    long shift(int kind, int size, long v, int count) {
        int bits = size * 8;
        long m = mask(size);
        v &= m;
        int c = count & (size == 8 ? 63 : 31);
        if (c == 0) {
            return v;
        }
        switch (kind) {
            case 0: { // ROL
                int rc = c % bits;
                long res = rc == 0 ? v : ((v << rc) | (v >>> (bits - rc))) & m;
                boolean cf = (res & 1) != 0;
                boolean of = (((res >>> (bits - 1)) & 1) != 0) ^ cf;
                setCfOf(cf, of);
                return res;
            }
            case 1: { // ROR
                int rc = c % bits;
                long res = rc == 0 ? v : ((v >>> rc) | (v << (bits - rc))) & m;
                boolean msb = ((res >>> (bits - 1)) & 1) != 0;
                boolean next = ((res >>> (bits - 2)) & 1) != 0;
                setCfOf(msb, msb ^ next);
                return res;
            }
            case 2: case 3: { // RCL, RCR
                int rc = bits < 32 ? c % (bits + 1) : c;
                if (rc == 0) {
                    return v;
                }
                long cin = f.cf() ? 1 : 0;
                long res;
                boolean cf;
                if (bits == 64) {
                    if (kind == 2) {
                        res = (v << rc) | (cin << (rc - 1)) | (rc == 1 ? 0 : v >>> (65 - rc));
                        cf = ((v >>> (64 - rc)) & 1) != 0;
                    } else {
                        res = (v >>> rc) | (cin << (64 - rc)) | (rc == 1 ? 0 : v << (65 - rc));
                        cf = ((v >>> (rc - 1)) & 1) != 0;
                    }
                } else {
                    long wm = mask(size) << 1 | 1; // bits + 1 wide
                    long t = v | (cin << bits);
                    if (kind == 2) {
                        t = ((t << rc) | (t >>> (bits + 1 - rc))) & wm;
                    } else {
                        t = ((t >>> rc) | (t << (bits + 1 - rc))) & wm;
                    }
                    res = t & m;
                    cf = ((t >>> bits) & 1) != 0;
                }
                setCfOf(cf, (((v ^ res) >>> (bits - 1)) & 1) != 0);
                return res;
            }
            case 4: case 6: { // SHL, SAL
                long res = (v << c) & m;
                f.set(Flags.OP_SHL, bits, res, (v << (c - 1)) & m, 0);
                return res;
            }
            case 5: { // SHR
                long res = v >>> c;
                f.set(Flags.OP_SHR, bits, res, v >>> (c - 1), 0);
                return res;
            }
            default: { // SAR
                long sv = Interpreter.sext(v, size);
                long res = (sv >> c) & m;
                f.set(Flags.OP_SHR, bits, res, (sv >> (c - 1)) & m, 0);
                return res;
            }
        }
    }

    private void setCfOf(boolean cf, boolean of) {
        f.materialize();
        long x = f.res & ~(Flags.CF | Flags.OF);
        f.res = x | (cf ? Flags.CF : 0) | (of ? Flags.OF : 0);
    }

    /** SHLD/SHRD: shifts {@code v} by {@code count}, filling from {@code src} (16-bit counts over 16 as on Intel and QEMU). */
    long shiftDouble(int size, long v, long src, int count, boolean right) {
        int bits = size * 8;
        long m = mask(size);
        v &= m;
        src &= m;
        int c = count & (size == 8 ? 63 : 31);
        if (c == 0) {
            return v;
        }
        long res;
        long s1;
        if (size == 8) {
            if (right) {
                res = (v >>> c) | (src << (64 - c));
                s1 = v >>> (c - 1);
            } else {
                res = (v << c) | (src >>> (64 - c));
                s1 = v << (c - 1);
            }
        } else {
            long value;
            if (size == 4) {
                value = right ? (src << 32) | v : (v << 32) | src;
            } else {
                value = (v << 32) | (src << 16) | v;
            }
            if (right) {
                res = (value >>> c) & m;
                s1 = value >>> (c - 1);
            } else {
                res = ((value << c) >>> 32) & m;
                s1 = (value << (c - 1)) >>> 32;
            }
        }
        f.set(right ? Flags.OP_SHR : Flags.OP_SHL, bits, res & m, s1, 0);
        return res & m;
    }

    /** Two- and three-operand IMUL: the truncated signed product; CF = OF = overflow. */
    long imul2(int size, long a, long b) {
        int bits = size * 8;
        long sa = Interpreter.sext(a, size);
        long sb = Interpreter.sext(b, size);
        long lo = sa * sb;
        boolean overflow;
        if (size == 8) {
            overflow = Math.multiplyHigh(sa, sb) != (lo >> 63);
        } else {
            overflow = Interpreter.sext(lo, size) != lo;
        }
        long res = lo & mask(size);
        f.set(Flags.OP_MUL, bits, res, overflow ? 1 : 0, 0);
        return res;
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** MUL/IMUL with one operand: rDX:rAX (or AX) = rAX * src. */
    void mul(int size, long src, boolean signed, Interpreter in) {
        long[] r = in.cpuRegs();
        int bits = size * 8;
        long m = mask(size);
        long a = r[0] & m;
        src &= m;
        long lo;
        long hi;
        boolean overflow;
        if (size == 8) {
            lo = a * src;
            hi = signed ? Math.multiplyHigh(a, src) : unsignedMultiplyHigh(a, src);
            overflow = signed ? hi != (lo >> 63) : hi != 0;
        } else {
            long p = signed ? Interpreter.sext(a, size) * Interpreter.sext(src, size) : a * src;
            lo = p & m;
            hi = (p >> bits) & m;
            overflow = signed ? Interpreter.sext(p, size) != p : hi != 0;
        }
        if (size == 1) {
            in.setRegSized(0, 2, (hi << 8) | lo);
        } else {
            in.setRegSized(0, size, lo);
            in.setRegSized(CpuState.RDX, size, hi);
        }
        f.set(Flags.OP_MUL, bits, lo, overflow ? 1 : 0, 0);
    }

    /** DIV/IDIV: rDX:rAX (or AX) / src; #DE on a zero divisor or a quotient that does not fit. Flags unchanged. */
    void div(int size, long src, boolean signed, Interpreter in) {
        long[] r = in.cpuRegs();
        long m = mask(size);
        src &= m;
        if (src == 0) {
            throw new GuestFault(GuestFault.DE, -1);
        }
        if (size == 8) {
            BigInteger dividend = new BigInteger(1, toBytes(r[CpuState.RDX], r[0]));
            BigInteger divisor;
            if (signed) {
                dividend = BigInteger.valueOf(r[CpuState.RDX]).shiftLeft(64)
                        .or(new BigInteger(1, toBytes(0, r[0])));
                divisor = BigInteger.valueOf(src);
            } else {
                divisor = new BigInteger(1, toBytes(0, src));
            }
            BigInteger[] qr = dividend.divideAndRemainder(divisor);
            BigInteger q = qr[0];
            boolean fits = signed ? q.bitLength() <= 63 : q.bitLength() <= 64 && q.signum() >= 0;
            if (!fits) {
                throw new GuestFault(GuestFault.DE, -1);
            }
            r[0] = q.longValue();
            r[CpuState.RDX] = qr[1].longValue();
            return;
        }
        int bits = size * 8;
        long dividend = size == 1 ? r[0] & 0xFFFF : ((r[CpuState.RDX] & m) << bits) | (r[0] & m);
        long q;
        long rem;
        if (signed) {
            long sd = size == 1 ? (short) dividend : size == 2 ? (int) dividend : dividend;
            long sv = Interpreter.sext(src, size);
            q = sd / sv;
            rem = sd % sv;
            if (Interpreter.sext(q, size) != q) {
                throw new GuestFault(GuestFault.DE, -1);
            }
        } else {
            q = Long.divideUnsigned(dividend, src);
            rem = Long.remainderUnsigned(dividend, src);
            if ((q & ~m) != 0) {
                throw new GuestFault(GuestFault.DE, -1);
            }
        }
        if (size == 1) {
            in.setRegSized(0, 2, ((rem & 0xFF) << 8) | (q & 0xFF));
        } else {
            in.setRegSized(0, size, q);
            in.setRegSized(CpuState.RDX, size, rem);
        }
    }

    private static byte[] toBytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /**
     * BT/BTS/BTR/BTC flags: CF is the bit. ZF and the other undefined flags follow QEMU TCG:
     * when the flags are still lazy, it keeps the last result and re-derives them as for a SAR
     * of that width whose shifted-out value is the tested one (so OF = MSB of value xor result,
     * AF = 0); when they were materialized (rotates, POPF, ...), only CF changes.
     */
    void bitTestFlags(long shifted, boolean cf) {
        if (f.op != Flags.OP_EFLAGS) {
            f.op = Flags.OP_SHR;
            f.src1 = shifted;
            return;
        }
        f.putArith(Flags.CF, cf);
    }
}
