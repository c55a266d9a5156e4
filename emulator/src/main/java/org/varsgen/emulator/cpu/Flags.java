package org.varsgen.emulator.cpu;

/**
 * RFLAGS with lazy evaluation of the six arithmetic flags, in the manner of QEMU's CC_OP: an
 * instruction records its operation, operand width, result and operands; a flag is computed
 * only when something reads it. The non-arithmetic bits (TF, IF, DF, IOPL, ...) live in
 * {@link #other} as plain bits.
 *
 * <p>Undefined flags follow QEMU TCG (the reference the vectors come from): AF is 0 after
 * logic, shift and multiply operations; MUL/IMUL set SF, ZF and PF from the low half.
 */
public final class Flags {
    public static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200;
    public static final long DF = 0x400, OF = 0x800, IOPL = 0x3000, NT = 0x4000, RF = 0x10000;
    public static final long VM = 0x20000, AC = 0x40000, VIF = 0x80000, VIP = 0x100000, ID = 0x200000;
    public static final long ARITH = CF | PF | AF | ZF | SF | OF;
    /** The bits software can change at all (others read as 0; bit 1 reads as 1). */
    public static final long WRITABLE = ARITH | TF | IF | DF | IOPL | NT | RF | VM | AC | VIF | VIP | ID;

    /** Operations whose flags are computed lazily. */
    public static final int OP_EFLAGS = 0, OP_ADD = 1, OP_ADC = 2, OP_SUB = 3, OP_SBB = 4, OP_LOGIC = 5,
            OP_INC = 6, OP_DEC = 7, OP_SHL = 8, OP_SHR = 9, OP_MUL = 10;

    /** Operation, operand width in bits, result, first and second operand (or op-specific data). */
    public int op;
    public int bits = 64;
    public long res, src1, src2;
    /** The non-arithmetic bits of RFLAGS, bit 1 included. */
    public long other = 2;

    private static final byte[] PARITY = new byte[256];
    static {
        for (int i = 0; i < 256; i++) {
            PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? 1 : 0);
        }
    }

    static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    private long signBit() {
        return 1L << (bits - 1);
    }

    public void set(int op, int bits, long res, long src1, long src2) {
        this.op = op;
        this.bits = bits;
        this.res = res;
        this.src1 = src1;
        this.src2 = src2;
    }

    /** Records the result of a logic operation (CF = OF = AF = 0). */
    public void logic(int bits, long res) {
        this.op = OP_LOGIC;
        this.bits = bits;
        this.res = res;
    }

    /** Replaces the arithmetic flags by explicit values (bits of {@link #ARITH}). */
    public void setArith(long value) {
        this.op = OP_EFLAGS;
        this.res = value & ARITH;
    }

    public boolean cf() {
        // The common cases first, small enough for the JIT to inline at every INC/DEC/ADC/Jcc.
        switch (op) {
            case OP_SUB: {
                int shift = 64 - bits;
                return Long.compareUnsigned(src1 << shift, (src1 - res) << shift) < 0;
            }
            case OP_LOGIC: return false;
            case OP_INC: case OP_DEC: return src2 != 0;
            default: return cfOther();
        }
    }

    private boolean cfOther() {
        long m = mask(bits);
        switch (op) {
            case OP_EFLAGS: return (res & CF) != 0;
            case OP_ADD: return Long.compareUnsigned(res & m, src1 & m) < 0;
            case OP_ADC: return src2 != 0 ? Long.compareUnsigned(res & m, src1 & m) <= 0
                    : Long.compareUnsigned(res & m, src1 & m) < 0;
            // SUB/SBB keep the minuend in src1 and the subtrahend (plus borrow flag for SBB) apart.
            case OP_SUB: return Long.compareUnsigned(src1 & m, (src1 - res) & m) < 0;
            case OP_SBB: {
                long b = (src1 - res - 1) & m;
                return (src2 & 1) != 0 ? Long.compareUnsigned(src1 & m, b) <= 0
                        : Long.compareUnsigned(src1 & m, (src1 - res) & m) < 0;
            }
            case OP_LOGIC: return false;
            case OP_INC: case OP_DEC: return src2 != 0;
            case OP_SHL: return ((src1 >>> (bits - 1)) & 1) != 0;
            case OP_SHR: return (src1 & 1) != 0;
            case OP_MUL: return src1 != 0;
            default: throw new IllegalStateException("cc op " + op);
        }
    }

    public boolean zf() {
        return op == OP_EFLAGS ? (res & ZF) != 0 : (res & mask(bits)) == 0;
    }

    public boolean sf() {
        return op == OP_EFLAGS ? (res & SF) != 0 : (res & signBit()) != 0;
    }

    public boolean pf() {
        return op == OP_EFLAGS ? (res & PF) != 0 : PARITY[(int) (res & 0xFF)] != 0;
    }

    public boolean af() {
        switch (op) {
            case OP_EFLAGS: return (res & AF) != 0;
            case OP_ADD: case OP_ADC: case OP_SUB: case OP_SBB:
                return ((src1 ^ operand2() ^ res) & 0x10) != 0;
            case OP_INC: return (res & 0xF) == 0;
            case OP_DEC: return ((res + 1) & 0xF) == 0;
            default: return false;
        }
    }

    /** The second operand of ADD/ADC/SUB/SBB, reconstructed from result and first operand. */
    private long operand2() {
        switch (op) {
            case OP_ADD: return res - src1;
            case OP_ADC: return res - src1 - (src2 != 0 ? 1 : 0);
            case OP_SUB: return src1 - res;
            case OP_SBB: return src1 - res - (src2 & 1);
            default: return 0;
        }
    }

    public boolean of() {
        long s = signBit();
        switch (op) {
            case OP_EFLAGS: return (res & OF) != 0;
            case OP_ADD: case OP_ADC: {
                long b = operand2();
                return ((src1 ^ res) & (b ^ res) & s) != 0;
            }
            case OP_SUB: case OP_SBB: {
                long b = operand2();
                return ((src1 ^ b) & (src1 ^ res) & s) != 0;
            }
            case OP_LOGIC: return false;
            case OP_INC: return (res & mask(bits)) == s;
            case OP_DEC: return (res & mask(bits)) == s - 1;
            case OP_SHL: case OP_SHR: return ((src1 ^ res) & s) != 0;
            case OP_MUL: return src1 != 0;
            default: throw new IllegalStateException("cc op " + op);
        }
    }

    /** The arithmetic flags as RFLAGS bits. */
    public long arith() {
        if (op == OP_EFLAGS) {
            return res;
        }
        return (cf() ? CF : 0) | (pf() ? PF : 0) | (af() ? AF : 0) | (zf() ? ZF : 0)
                | (sf() ? SF : 0) | (of() ? OF : 0);
    }

    /** Materializes the flags in place (so that a later partial update can keep the others). */
    public void materialize() {
        if (op != OP_EFLAGS) {
            res = arith();
            op = OP_EFLAGS;
        }
    }

    public long get() {
        return arith() | other | 2;
    }

    public void setAll(long value) {
        other = (value & WRITABLE & ~ARITH) | 2;
        setArith(value);
    }

    /** Sets or clears one arithmetic flag, keeping the others. */
    public void putArith(long flag, boolean on) {
        materialize();
        res = on ? res | flag : res & ~flag;
    }

    public boolean df() {
        return (other & DF) != 0;
    }

    public boolean ifFlag() {
        return (other & IF) != 0;
    }

    /** Evaluates condition code {@code cc} (0-15, as in Jcc/SETcc/CMOVcc). */
    public boolean cond(int cc) {
        boolean r;
        switch (op) {
            case OP_SUB: r = subtractCond(cc >> 1); break;
            case OP_LOGIC: r = logicCond(cc >> 1); break;
            default: r = genericCond(cc >> 1); break;
        }
        return (cc & 1) != 0 ? !r : r;
    }

    /**
     * Conditions after SUB/CMP straight from the operands: below is an unsigned and less a
     * signed comparison of minuend and subtrahend (the same as CF, and SF != OF).
     */
    private boolean subtractCond(int c) {
        int shift = 64 - bits;
        switch (c) {
            case 1: return Long.compareUnsigned(src1 << shift, (src1 - res) << shift) < 0;
            case 2: return res << shift == 0;
            case 3: return Long.compareUnsigned(src1 << shift, (src1 - res) << shift) <= 0;
            case 6: return src1 << shift < (src1 - res) << shift;
            case 7: return src1 << shift <= (src1 - res) << shift;
            default: return genericCond(c);
        }
    }

    /** Conditions after a logic operation: CF = OF = 0. */
    private boolean logicCond(int c) {
        switch (c) {
            case 0: case 1: return false;
            case 2: case 3: return zf();
            case 6: return sf();
            case 7: return zf() || sf();
            default: return genericCond(c);
        }
    }

    private boolean genericCond(int c) {
        switch (c) {
            case 0: return of();
            case 1: return cf();
            case 2: return zf();
            case 3: return cf() || zf();
            case 4: return sf();
            case 5: return pf();
            case 6: return sf() != of();
            default: return zf() || sf() != of();
        }
    }

    /** Copies another instance's state (the run loop's snapshot for restoring after a fault). */
    void copyFrom(Flags o) {
        op = o.op;
        bits = o.bits;
        res = o.res;
        src1 = o.src1;
        src2 = o.src2;
        other = o.other;
    }
}
