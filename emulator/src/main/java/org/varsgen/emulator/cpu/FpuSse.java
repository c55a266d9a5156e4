package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * The x87 entry (the instructions themselves are in X87Exec), FWAIT; FXSAVE/FXRSTOR, LDMXCSR/STMXCSR,
 * fences and CLFLUSH; SSE/SSE2 moves, logic and the basic integer operations (see docs/cpu.md).
 */
final class FpuSse {
    private final Cpu cpu;
    private final Interpreter in;
    private final CpuState s;
    private final Mmu mmu;
    private final X87 x87;
    private final X87Exec x87Exec;

    FpuSse(Cpu cpu, Interpreter in) {
        this.cpu = cpu;
        this.in = in;
        this.s = cpu.state;
        this.mmu = cpu.mmu;
        this.x87 = cpu.x87;
        this.x87Exec = new X87Exec(cpu, in);
    }

    private void checkX87() {
        if ((s.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) != 0) {
            throw new GuestFault(GuestFault.NM, -1);
        }
    }

    private void checkSse() {
        if ((s.cr0 & CpuState.CR0_EM) != 0 || (s.cr4 & CpuState.CR4_OSFXSR) == 0) {
            throw GuestFault.ud();
        }
        if ((s.cr0 & CpuState.CR0_TS) != 0) {
            throw new GuestFault(GuestFault.NM, -1);
        }
    }

    void fwait() {
        if ((s.cr0 & (CpuState.CR0_MP | CpuState.CR0_TS)) == (CpuState.CR0_MP | CpuState.CR0_TS)) {
            throw new GuestFault(GuestFault.NM, -1);
        }
    }

    // ---- x87 --------------------------------------------------------------------------------

    void x87(Insn d) {
        checkX87();
        x87Exec.execute(d);
    }

    // ---- group 15 ---------------------------------------------------------------------------

    void group15(Insn d) {
        int r = d.reg & 7;
        if (d.mod == 3) {
            return; // LFENCE, MFENCE, SFENCE: memory is sequentially consistent here
        }
        long a = in.addr(d);
        switch (r) {
            case 0: fxsave(d, a); return;
            case 1: fxrstor(d, a); return;
            case 2: {
                checkSse();
                long v = mmu.read(a, 4);
                if ((v & ~0xFFFFL) != 0) {
                    throw GuestFault.gp(0);
                }
                s.mxcsr = (int) v;
                return;
            }
            case 3:
                checkSse();
                mmu.write(a, 4, s.mxcsr & 0xFFFFFFFFL);
                return;
            default:
                mmu.read(a, 1); // CLFLUSH: only the address check is architectural
        }
    }

    private int xmmCount(Insn d) {
        return d.mode == 2 ? 16 : 8;
    }

    private void fxsave(Insn d, long a) {
        if ((s.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) != 0) {
            throw new GuestFault(GuestFault.NM, -1);
        }
        if ((a & 15) != 0) {
            throw GuestFault.gp(0);
        }
        mmu.probeWrite(a, 8);
        mmu.probeWrite(a + 504, 8);
        mmu.write(a, 2, s.fpuControlWord);
        mmu.write(a + 2, 2, s.fpuStatusWord);
        mmu.write(a + 4, 2, X87.abridgedTag(s.fpuTagWord));
        mmu.write(a + 6, 2, 0);
        mmu.write(a + 8, 8, 0);
        mmu.write(a + 16, 8, 0);
        mmu.write(a + 24, 4, s.mxcsr & 0xFFFFFFFFL);
        mmu.write(a + 28, 4, 0xFFFF);
        int top = (s.fpuStatusWord >> 11) & 7;
        for (int i = 0; i < 8; i++) {
            long[] ext = x87.extendedOf((top + i) & 7);
            mmu.write(a + 32 + 16L * i, 8, ext[0]);
            mmu.write(a + 40 + 16L * i, 8, ext[1] & 0xFFFF);
        }
        if ((s.cr4 & CpuState.CR4_OSFXSR) != 0) {
            for (int i = 0; i < xmmCount(d); i++) {
                mmu.write(a + 160 + 16L * i, 8, s.xmm[2 * i]);
                mmu.write(a + 168 + 16L * i, 8, s.xmm[2 * i + 1]);
            }
        }
    }

    private void fxrstor(Insn d, long a) {
        if ((s.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) != 0) {
            throw new GuestFault(GuestFault.NM, -1);
        }
        if ((a & 15) != 0) {
            throw GuestFault.gp(0);
        }
        long mx = mmu.read(a + 24, 4);
        if ((s.cr4 & CpuState.CR4_OSFXSR) != 0 && (mx & ~0xFFFFL) != 0) {
            throw GuestFault.gp(0);
        }
        mmu.read(a + 504, 8);
        s.fpuControlWord = (int) mmu.read(a, 2);
        s.fpuStatusWord = (int) mmu.read(a + 2, 2);
        int abridged = (int) mmu.read(a + 4, 1);
        int top = (s.fpuStatusWord >> 11) & 7;
        for (int i = 0; i < 8; i++) {
            long m = mmu.read64(a + 32 + 16L * i);
            int se = (int) mmu.read(a + 40 + 16L * i, 2);
            x87.loadExtended(s, (top + i) & 7, m, se);
        }
        s.fpuTagWord = x87.tagWordFromAbridged(abridged);
        if ((s.cr4 & CpuState.CR4_OSFXSR) != 0) {
            s.mxcsr = (int) mx;
            for (int i = 0; i < xmmCount(d); i++) {
                s.xmm[2 * i] = mmu.read64(a + 160 + 16L * i);
                s.xmm[2 * i + 1] = mmu.read64(a + 168 + 16L * i);
            }
        }
    }

    // ---- SSE --------------------------------------------------------------------------------

    private long[] readXmmOrMem(Insn d, boolean aligned) {
        if (d.mod == 3) {
            return new long[] {s.xmm[2 * d.rm], s.xmm[2 * d.rm + 1]};
        }
        long a = in.addr(d);
        if (aligned && (a & 15) != 0) {
            throw GuestFault.gp(0);
        }
        return new long[] {mmu.read64(a), mmu.read64(a + 8)};
    }

    private void store128(Insn d, long lo, long hi, boolean aligned) {
        if (d.mod == 3) {
            s.xmm[2 * d.rm] = lo;
            s.xmm[2 * d.rm + 1] = hi;
            return;
        }
        long a = in.addr(d);
        if (aligned && (a & 15) != 0) {
            throw GuestFault.gp(0);
        }
        mmu.probeWrite(a, 16);
        mmu.write(a, 8, lo);
        mmu.write(a + 8, 8, hi);
    }

    private void setXmm(int n, long lo, long hi) {
        s.xmm[2 * n] = lo;
        s.xmm[2 * n + 1] = hi;
    }

    void sse(Insn d, int op) {
        checkSse();
        int reg = d.reg;
        int sp = d.ssePrefix;
        long dlo = s.xmm[2 * reg];
        long dhi = s.xmm[2 * reg + 1];
        switch (op) {
            case 0x10:
                if (sp <= 1) {
                    long[] v = readXmmOrMem(d, false);
                    setXmm(reg, v[0], v[1]);
                } else {
                    int size = sp == 2 ? 4 : 8;
                    long m = Interpreter.mask(size);
                    if (d.mod == 3) {
                        setXmm(reg, (dlo & ~m) | (s.xmm[2 * d.rm] & m), dhi);
                    } else {
                        setXmm(reg, mmu.read(in.addr(d), size), 0);
                    }
                }
                return;
            case 0x11:
                if (sp <= 1) {
                    store128(d, dlo, dhi, false);
                } else {
                    int size = sp == 2 ? 4 : 8;
                    long m = Interpreter.mask(size);
                    if (d.mod == 3) {
                        s.xmm[2 * d.rm] = (s.xmm[2 * d.rm] & ~m) | (dlo & m);
                    } else {
                        mmu.write(in.addr(d), size, dlo & m);
                    }
                }
                return;
            case 0x12:
                if (d.mod == 3) {
                    setXmm(reg, s.xmm[2 * d.rm + 1], dhi); // MOVHLPS
                } else {
                    setXmm(reg, mmu.read64(in.addr(d)), dhi);
                }
                return;
            case 0x13: mmu.write(in.addr(d), 8, dlo); return;
            case 0x16:
                if (d.mod == 3) {
                    setXmm(reg, dlo, s.xmm[2 * d.rm]); // MOVLHPS
                } else {
                    setXmm(reg, dlo, mmu.read64(in.addr(d)));
                }
                return;
            case 0x17: mmu.write(in.addr(d), 8, dhi); return;
            case 0x28: case 0x6F: {
                long[] v = readXmmOrMem(d, op == 0x28 || sp == 1);
                setXmm(reg, v[0], v[1]);
                return;
            }
            case 0x29: case 0x2B: case 0xE7: store128(d, dlo, dhi, true); return;
            case 0x7F: store128(d, dlo, dhi, sp == 1); return;
            case 0x6E: {
                int size = d.osize == 8 ? 8 : 4;
                setXmm(reg, in.readRm(d, size), 0);
                return;
            }
            case 0x7E:
                if (sp == 2) {
                    long v = d.mod == 3 ? s.xmm[2 * d.rm] : mmu.read64(in.addr(d));
                    setXmm(reg, v, 0);
                } else {
                    int size = d.osize == 8 ? 8 : 4;
                    if (d.mod == 3) {
                        in.setRegSized(d.rm, size, dlo);
                    } else {
                        mmu.write(in.addr(d), size, dlo & Interpreter.mask(size));
                    }
                }
                return;
            case 0xD6:
                if (d.mod == 3) {
                    setXmm(d.rm, dlo, 0);
                } else {
                    mmu.write(in.addr(d), 8, dlo);
                }
                return;
            case 0xD7: {
                long mask = 0;
                long lo = s.xmm[2 * d.rm];
                long hi = s.xmm[2 * d.rm + 1];
                for (int i = 0; i < 8; i++) {
                    mask |= ((lo >>> (8 * i + 7)) & 1) << i;
                    mask |= ((hi >>> (8 * i + 7)) & 1) << (i + 8);
                }
                in.setRegSized(reg, d.osize == 8 ? 8 : 4, mask);
                return;
            }
            case 0x70: {
                long[] v = readXmmOrMem(d, true);
                int imm = (int) d.imm;
                long lo = 0;
                long hi = 0;
                for (int i = 0; i < 4; i++) {
                    int sel = (imm >> (2 * i)) & 3;
                    long w = (sel < 2 ? v[0] >>> (32 * sel) : v[1] >>> (32 * (sel - 2))) & 0xFFFFFFFFL;
                    if (i < 2) {
                        lo |= w << (32 * i);
                    } else {
                        hi |= w << (32 * (i - 2));
                    }
                }
                setXmm(reg, lo, hi);
                return;
            }
            case 0x71: case 0x72: case 0x73:
                shiftImm(d, op);
                return;
            default:
                break;
        }
        long[] v = readXmmOrMem(d, true);
        long lo;
        long hi;
        switch (op) {
            case 0x54: case 0xDB: lo = dlo & v[0]; hi = dhi & v[1]; break;
            case 0x55: case 0xDF: lo = ~dlo & v[0]; hi = ~dhi & v[1]; break;
            case 0x56: case 0xEB: lo = dlo | v[0]; hi = dhi | v[1]; break;
            case 0x57: case 0xEF: lo = dlo ^ v[0]; hi = dhi ^ v[1]; break;
            case 0x60: case 0x61: case 0x62: case 0x6C: {
                int lane = op == 0x6C ? 64 : 8 << (op - 0x60);
                long[] res = interleave(dlo, v[0], lane);
                lo = res[0];
                hi = res[1];
                break;
            }
            case 0x68: case 0x69: case 0x6A: case 0x6D: {
                int lane = op == 0x6D ? 64 : 8 << (op - 0x68);
                long[] res = interleave(dhi, v[1], lane);
                lo = res[0];
                hi = res[1];
                break;
            }
            default: {
                lo = lanes(op, dlo, v[0]);
                hi = lanes(op, dhi, v[1]);
            }
        }
        setXmm(reg, lo, hi);
    }

    /** Interleaves the lanes of two 64-bit halves (PUNPCKL/H*). */
    private static long[] interleave(long a, long b, int lane) {
        if (lane == 64) {
            return new long[] {a, b};
        }
        long lm = (1L << lane) - 1;
        long[] out = new long[2];
        int per = 64 / lane;
        for (int i = 0; i < per; i++) {
            long x = (a >>> (lane * i)) & lm;
            long y = (b >>> (lane * i)) & lm;
            int pos = 2 * i;
            out[pos / per] |= x << (lane * (pos % per));
            out[(pos + 1) / per] |= y << (lane * ((pos + 1) % per));
        }
        return out;
    }

    /** Lane-wise integer operations on one 64-bit half. */
    private static long lanes(int op, long a, long b) {
        int lane;
        switch (op) {
            case 0xFC: case 0xF8: case 0x74: case 0x64: case 0xDA: case 0xDE: lane = 8; break;
            case 0xFD: case 0xF9: case 0x75: case 0x65: lane = 16; break;
            case 0xFE: case 0xFA: case 0x76: case 0x66: lane = 32; break;
            default: lane = 64; break; // D4 PADDQ, FB PSUBQ
        }
        long lm = lane == 64 ? -1L : (1L << lane) - 1;
        long out = 0;
        for (int i = 0; i < 64; i += lane) {
            long x = (a >>> i) & lm;
            long y = (b >>> i) & lm;
            long r;
            switch (op) {
                case 0xFC: case 0xFD: case 0xFE: case 0xD4: r = x + y; break;
                case 0xF8: case 0xF9: case 0xFA: case 0xFB: r = x - y; break;
                case 0x74: case 0x75: case 0x76: r = x == y ? -1 : 0; break;
                case 0x64: case 0x65: case 0x66: {
                    int sh = 64 - lane;
                    r = (x << sh >> sh) > (y << sh >> sh) ? -1 : 0;
                    break;
                }
                case 0xDA: r = Math.min(x, y); break;
                case 0xDE: r = Math.max(x, y); break;
                default: throw GuestFault.ud();
            }
            out |= (r & lm) << i;
        }
        return out;
    }

    private void shiftImm(Insn d, int op) {
        int n = d.rm;
        int r = d.reg & 7;
        int count = (int) d.imm & 0xFF;
        long lo = s.xmm[2 * n];
        long hi = s.xmm[2 * n + 1];
        if (op == 0x73 && (r == 3 || r == 7)) {
            // PSRLDQ / PSLLDQ: byte shifts of the whole register.
            int bytes = Math.min(count, 16);
            java.math.BigInteger v = new java.math.BigInteger(1, toBytes(hi, lo));
            v = r == 3 ? v.shiftRight(8 * bytes) : v.shiftLeft(8 * bytes);
            long nlo = v.longValue();
            long nhi = v.shiftRight(64).longValue();
            setXmm(n, nlo, nhi);
            return;
        }
        int lane = op == 0x71 ? 16 : op == 0x72 ? 32 : 64;
        setXmm(n, shiftLanes(lo, lane, r, count), shiftLanes(hi, lane, r, count));
    }

    private static long shiftLanes(long v, int lane, int kind, int count) {
        long lm = lane == 64 ? -1L : (1L << lane) - 1;
        long out = 0;
        for (int i = 0; i < 64; i += lane) {
            long x = (v >>> i) & lm;
            long r;
            if (kind == 4) { // arithmetic right
                int sh = 64 - lane;
                long sx = x << sh >> sh;
                r = sx >> Math.min(count, lane - 1);
            } else if (count >= lane) {
                r = 0;
            } else {
                r = kind == 2 ? x >>> count : x << count;
            }
            out |= (r & lm) << i;
        }
        return out;
    }

    private static byte[] toBytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }
}
