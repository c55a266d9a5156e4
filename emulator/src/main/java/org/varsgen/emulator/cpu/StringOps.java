package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * MOVS, CMPS, STOS, LODS, SCAS, INS and OUTS with REP/REPE/REPNE in 16-, 32- and 64-bit
 * address sizes. A REP instruction runs up to 2^20 iterations per step and then resumes on
 * the next step; each iteration updates the registers, so a fault in the middle leaves a
 * restartable state (RIP stays on the instruction) exactly as on hardware.
 */
final class StringOps {
    private final Cpu cpu;
    private final Interpreter in;
    private final long[] r;
    private final Mmu mmu;
    private final Flags f;
    private final Alu alu;

    StringOps(Cpu cpu, Interpreter in) {
        this.cpu = cpu;
        this.in = in;
        this.r = cpu.state.gpr;
        this.mmu = cpu.mmu;
        this.f = cpu.flags;
        this.alu = new Alu(f);
    }

    void execute(Insn d, int op) {
        int size;
        if ((op & 1) == 0) {
            size = 1;
        } else if (op <= 0x6F) {
            size = d.osize == 2 ? 2 : 4;
        } else {
            size = d.osize;
        }
        int as = d.asize;
        long am = Interpreter.mask(as);
        long delta = f.df() ? -size : size;
        boolean rep = (d.pfx & (Insn.PFX_REP | Insn.PFX_REPNE)) != 0;
        if (op <= 0x6F) {
            int port = (int) r[CpuState.RDX] & 0xFFFF;
            cpu.sys.checkIo(port, size);
        }
        if (!rep) {
            once(d, op, size, am, delta);
            return;
        }
        boolean compare = op == 0xA6 || op == 0xA7 || op == 0xAE || op == 0xAF;
        boolean repz = (d.pfx & Insn.PFX_REP) != 0;
        long budget = MAX_ITERATIONS_PER_STEP;
        while ((r[CpuState.RCX] & am) != 0) {
            if (budget <= 0) {
                // Resume in the next step, so that interrupts, timers and watchdogs get a turn.
                cpu.state.rip = in.nextRip - d.len;
                return;
            }
            if (delta > 0 && (op == 0xAA || op == 0xAB || op == 0xA4 || op == 0xA5)) {
                long n = bulk(d, op, size, am, budget);
                if (n > 0) {
                    budget -= n;
                    continue;
                }
            }
            once(d, op, size, am, delta);
            in.setRegSized(CpuState.RCX, as, (r[CpuState.RCX] - 1) & am);
            budget--;
            if (compare && f.zf() != repz) {
                break;
            }
        }
    }

    /**
     * Fills {@code bytes} (a multiple of {@code size}) at {@code o} with the low {@code size}
     * bytes of {@code v}, little-endian: one byte fill when all its bytes are equal (zeroing),
     * else one element followed by doubling copies.
     */
    private static void fill(byte[] ram, int o, int bytes, long v, int size) {
        long m = Interpreter.mask(size);
        if ((v & m) == ((v & 0xFF) * 0x0101010101010101L & m)) {
            java.util.Arrays.fill(ram, o, o + bytes, (byte) v);
            return;
        }
        for (int i = 0; i < size; i++) {
            ram[o + i] = (byte) (v >>> (8 * i));
        }
        for (int done = size; done < bytes; done *= 2) {
            System.arraycopy(ram, o, ram, o + done, Math.min(done, bytes - done));
        }
    }

    /** Iterations of one REP instruction run per step before it yields (it resumes where it stopped). */
    static final long MAX_ITERATIONS_PER_STEP = 1 << 20;

    /**
     * Forward REP STOS/MOVS over plain RAM: as many whole elements as fit in the current pages
     * at once. Returns the iterations done (0 when the slow path must take the next one).
     */
    private long bulk(Insn d, int op, int size, long am, long budget) {
        long count = Math.min(r[CpuState.RCX] & am, budget);
        long di = r[CpuState.RDI] & am;
        long dst = esDi(am);
        long n = Math.min(count, (4096 - (dst & 0xFFF)) / size);
        // Keep the index registers from wrapping inside a chunk.
        n = Math.min(n, (am - di) / size + 1);
        long src = 0;
        long si = 0;
        if (op == 0xA4 || op == 0xA5) {
            si = r[CpuState.RSI] & am;
            src = srcSi(d, am);
            n = Math.min(n, (4096 - (src & 0xFFF)) / size);
            n = Math.min(n, (am - si) / size + 1);
        }
        if (n <= 1) {
            return 0;
        }
        int bytes = (int) n * size;
        byte[] ram = mmu.ramArray();
        if (op == 0xAA || op == 0xAB) {
            int o = mmu.bulkOffset(dst, bytes, true);
            if (o < 0) {
                return 0;
            }
            fill(ram, o, bytes, r[0], size);
        } else {
            int so = mmu.bulkOffset(src, bytes, false);
            if (so < 0) {
                return 0;
            }
            int o = mmu.bulkOffset(dst, bytes, true);
            if (o < 0) {
                return 0;
            }
            if (o > so && o < so + bytes) {
                return 0; // destination ahead of the source: element order matters, go one by one
            }
            System.arraycopy(ram, so, ram, o, bytes);
            in.setRegSized(CpuState.RSI, d.asize, si + bytes);
        }
        in.setRegSized(CpuState.RDI, d.asize, di + bytes);
        in.setRegSized(CpuState.RCX, d.asize, (r[CpuState.RCX] & am) - n);
        return n;
    }

    private long esDi(long am) {
        return in.linear(CpuState.ES, r[CpuState.RDI] & am);
    }

    private long srcSi(Insn d, long am) {
        return in.linear(d.seg, r[CpuState.RSI] & am);
    }

    private void advance(int reg, long delta, int as) {
        in.setRegSized(reg, as, r[reg] + delta);
    }

    private void once(Insn d, int op, int size, long am, long delta) {
        int as = d.asize;
        switch (op) {
            case 0x6C: case 0x6D: {
                long lin = esDi(am);
                mmu.probeWrite(lin, size);
                long v = cpu.io.read((int) r[CpuState.RDX] & 0xFFFF, size);
                mmu.write(lin, size, v);
                advance(CpuState.RDI, delta, as);
                return;
            }
            case 0x6E: case 0x6F: {
                long v = mmu.read(srcSi(d, am), size);
                cpu.io.write((int) r[CpuState.RDX] & 0xFFFF, size, v);
                advance(CpuState.RSI, delta, as);
                return;
            }
            case 0xA4: case 0xA5: {
                long v = mmu.read(srcSi(d, am), size);
                mmu.write(esDi(am), size, v);
                advance(CpuState.RSI, delta, as);
                advance(CpuState.RDI, delta, as);
                return;
            }
            case 0xA6: case 0xA7: {
                long a = mmu.read(srcSi(d, am), size);
                long b = mmu.read(esDi(am), size);
                alu.arith(Alu.CMP, size, a, b);
                advance(CpuState.RSI, delta, as);
                advance(CpuState.RDI, delta, as);
                return;
            }
            case 0xAA: case 0xAB:
                mmu.write(esDi(am), size, r[0]);
                advance(CpuState.RDI, delta, as);
                return;
            case 0xAC: case 0xAD: {
                long v = mmu.read(srcSi(d, am), size);
                in.setRegSized(0, size, v);
                advance(CpuState.RSI, delta, as);
                return;
            }
            default: { // SCAS
                long b = mmu.read(esDi(am), size);
                alu.arith(Alu.CMP, size, r[0], b);
                advance(CpuState.RDI, delta, as);
            }
        }
    }
}
