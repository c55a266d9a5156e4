package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * MOVS, CMPS, STOS, LODS, SCAS, INS and OUTS with REP/REPE/REPNE in 16-, 32- and 64-bit
 * address sizes. A REP instruction runs all its iterations in one step; each iteration
 * updates the registers, so a fault in the middle leaves a restartable state (RIP stays on
 * the instruction) exactly as on hardware.
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
        while ((r[CpuState.RCX] & am) != 0) {
            once(d, op, size, am, delta);
            in.setRegSized(CpuState.RCX, as, (r[CpuState.RCX] - 1) & am);
            if (compare && f.zf() != repz) {
                break;
            }
        }
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
