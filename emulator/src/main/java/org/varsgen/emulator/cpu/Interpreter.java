package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * Executes decoded instructions: the general-purpose integer set, control transfer, flags,
 * port I/O, and dispatch to the string, x87/SSE and system parts. Instructions write registers
 * only after their memory accesses succeeded, so that a fault leaves the state as before the
 * instruction (the run loop itself restores RIP, RSP and the flags, which may change first).
 */
final class Interpreter {
    private final Cpu cpu;
    private final CpuState s;
    private final long[] r;
    private final Flags f;
    private final Mmu mmu;
    private final StringOps strings;
    private final FpuSse fpuSse;
    private final Alu alu;
    private final LegacyOps legacy;
    boolean mode64;
    long nextRip;

    Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.r = s.gpr;
        this.f = cpu.flags;
        this.mmu = cpu.mmu;
        this.alu = new Alu(f);
        this.strings = new StringOps(cpu, this);
        this.fpuSse = new FpuSse(cpu, this);
        this.legacy = new LegacyOps(cpu, this);
    }

    long[] cpuRegs() {
        return r;
    }

    // ---- operand access -------------------------------------------------------------------

    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    static long sext(long v, int size) {
        switch (size) {
            case 1: return (byte) v;
            case 2: return (short) v;
            case 4: return (int) v;
            default: return v;
        }
    }

    long getReg(int n, int size, Insn d) {
        switch (size) {
            case 1:
                if (d.rex == 0 && n >= 4 && n < 8) {
                    return (r[n - 4] >>> 8) & 0xFF;
                }
                return r[n] & 0xFF;
            case 2: return r[n] & 0xFFFF;
            case 4: return r[n] & 0xFFFFFFFFL;
            default: return r[n];
        }
    }

    void setReg(int n, int size, long v, Insn d) {
        switch (size) {
            case 1:
                if (d.rex == 0 && n >= 4 && n < 8) {
                    r[n - 4] = (r[n - 4] & ~0xFF00L) | ((v & 0xFF) << 8);
                } else {
                    r[n] = (r[n] & ~0xFFL) | (v & 0xFF);
                }
                return;
            case 2: r[n] = (r[n] & ~0xFFFFL) | (v & 0xFFFF); return;
            case 4: r[n] = v & 0xFFFFFFFFL; return;
            default: r[n] = v;
        }
    }

    /** Sets a register by full-width register number (no byte-register aliasing). */
    void setRegSized(int n, int size, long v) {
        switch (size) {
            case 2: r[n] = (r[n] & ~0xFFFFL) | (v & 0xFFFF); return;
            case 4: r[n] = v & 0xFFFFFFFFL; return;
            case 8: r[n] = v; return;
            default: r[n] = (r[n] & ~0xFFL) | (v & 0xFF);
        }
    }

    /** The effective address (offset in the segment) of the memory operand. */
    long ea(Insn d) {
        long a = d.disp;
        if (d.base >= 0) {
            a += d.base == Insn.BASE_RIP ? nextRip : r[d.base];
        }
        if (d.index >= 0) {
            a += r[d.index] << d.scale;
        }
        return d.asize == 8 ? a : d.asize == 4 ? a & 0xFFFFFFFFL : a & 0xFFFF;
    }

    /** Segment base plus offset; in 64-bit mode only FS and GS have a base. */
    long linear(int seg, long offset) {
        if (mode64) {
            return seg >= CpuState.FS ? s.segments[seg].base + offset : offset;
        }
        return (s.segments[seg].base + offset) & 0xFFFFFFFFL;
    }

    long addr(Insn d) {
        return linear(d.seg, ea(d));
    }

    long readRm(Insn d, int size) {
        if (d.mod == 3) {
            return getReg(d.rm, size, d);
        }
        return mmu.read(addr(d), size);
    }

    long readAt(long lin, int size) {
        return mmu.read(lin, size);
    }

    void writeRm(Insn d, int size, long v) {
        if (d.mod == 3) {
            setReg(d.rm, size, v, d);
        } else {
            mmu.write(addr(d), size, v);
        }
    }

    // ---- stack ----------------------------------------------------------------------------

    int stackSize() {
        if (mode64) {
            return 8;
        }
        return (s.segments[CpuState.SS].attributes & SegmentCache.ATTR_DB) != 0 ? 4 : 2;
    }

    long stackOffset(long sp) {
        int ss = stackSize();
        return ss == 8 ? sp : ss == 4 ? sp & 0xFFFFFFFFL : sp & 0xFFFF;
    }

    void setSp(long sp) {
        int ss = stackSize();
        if (ss == 8) {
            r[CpuState.RSP] = sp;
        } else if (ss == 4) {
            r[CpuState.RSP] = sp & 0xFFFFFFFFL;
        } else {
            r[CpuState.RSP] = (r[CpuState.RSP] & ~0xFFFFL) | (sp & 0xFFFF);
        }
    }

    void push(int size, long v) {
        long sp = r[CpuState.RSP] - size;
        mmu.write(linear(CpuState.SS, stackOffset(sp)), size, v);
        setSp(sp);
    }

    long pop(int size) {
        long sp = r[CpuState.RSP];
        long v = mmu.read(linear(CpuState.SS, stackOffset(sp)), size);
        setSp(sp + size);
        return v;
    }

    /** Reads the stack {@code offset} bytes above the stack pointer, without popping. */
    long peek(int size, long offset) {
        return mmu.read(linear(CpuState.SS, stackOffset(r[CpuState.RSP] + offset)), size);
    }

    void jump(long target, int size) {
        s.rip = size == 8 ? target : size == 4 ? target & 0xFFFFFFFFL : target & 0xFFFF;
    }

    // ---- execution ------------------------------------------------------------------------

    void execute(Insn d) {
        mode64 = d.mode == 2;
        long next = s.rip + d.len;
        if (!mode64) {
            next &= 0xFFFFFFFFL;
        }
        nextRip = next;
        s.rip = next;
        switch (d.form) {
            case FastForms.UNCLASSIFIED:
                d.form = FastForms.classify(d);
                executeForm(d);
                return;
            case FastForms.GENERIC:
                generic(d);
                return;
            default:
                executeForm(d);
        }
    }

    private void generic(Insn d) {
        if (d.op < 0x100) {
            oneByte(d, d.op);
        } else {
            twoByte(d, d.op & 0xFF);
        }
    }

    /** 32-bit results are zero-extended into the 64-bit register. */
    private static long sized(long v, int os) {
        return os == 8 ? v : v & 0xFFFFFFFFL;
    }

    /** The specialised forms of {@link FastForms}: each the same effect as its generic case. */
    private void executeForm(Insn d) {
        int os = d.osize;
        switch (d.form) {
            case FastForms.MOV_RR: r[d.rm] = sized(r[d.reg], os); return;
            case FastForms.MOV_LOAD: r[d.reg] = mmu.read(addr(d), os); return;
            case FastForms.MOV_STORE: mmu.write(addr(d), os, r[d.reg]); return;
            case FastForms.ALU_RM_R: aluRegs(d.op >> 3, os, d.rm, r[d.reg]); return;
            case FastForms.ALU_R_RM: aluRegs(d.op >> 3, os, d.reg, r[d.rm]); return;
            case FastForms.ALU_R_MEM: aluRegs(d.op >> 3, os, d.reg, mmu.read(addr(d), os)); return;
            case FastForms.ALU_R_IMM: aluRegs(d.reg & 7, os, d.rm, d.imm); return;
            case FastForms.JCC:
                if (f.cond(d.op & 15)) {
                    jump(nextRip + d.imm, os);
                }
                return;
            case FastForms.JMP: jump(nextRip + d.imm, os); return;
            case FastForms.LEA: r[d.reg] = sized(ea(d), os); return;
            case FastForms.MOVZX_LOAD: r[d.reg] = mmu.read(addr(d), d.op == 0x1B6 ? 1 : 2); return;
            case FastForms.MOV_R_IMM: r[(d.op & 7) | ((d.rex & 1) << 3)] = sized(d.imm, os); return;
            case FastForms.TEST_RR: alu.logic(os, r[d.rm] & r[d.reg]); return;
            case FastForms.SHIFT_R_IMM: r[d.rm] = sized(alu.shift(d.reg & 7, os, r[d.rm], (int) d.imm), os); return;
            default: executeMoreForms(d, os);
        }
    }

    /** The less frequent specialised forms, apart so that each method stays small for the JIT. */
    private void executeMoreForms(Insn d, int os) {
        switch (d.form) {
            case FastForms.ALU_MEM_R: aluMem(d, d.op >> 3, os, r[d.reg]); return;
            case FastForms.ALU_MEM_IMM: aluMem(d, d.reg & 7, os, d.imm); return;
            case FastForms.INC_R: r[d.rm] = alu.inc(os, sized(r[d.rm], os)); return;
            case FastForms.DEC_R: r[d.rm] = alu.dec(os, sized(r[d.rm], os)); return;
            case FastForms.IMUL_R_RM: {
                long b = readRm(d, os);
                r[d.reg] = sized(alu.imul2(os, sized(r[d.reg], os), b), os);
                return;
            }
            case FastForms.MOV_MEM_IMM: mmu.write(addr(d), os, d.imm); return;
            case FastForms.MOV8_STORE: mmu.write(addr(d), 1, getReg(d.reg, 1, d)); return;
            case FastForms.MOV8_LOAD: setReg(d.reg, 1, mmu.read(addr(d), 1), d); return;
            case FastForms.PUSH_R: push(os, r[(d.op & 7) | ((d.rex & 1) << 3)]); return;
            case FastForms.POP_R: {
                long v = pop(os);
                setRegSized((d.op & 7) | ((d.rex & 1) << 3), os, v);
                return;
            }
            case FastForms.CALL_REL:
                push(os, nextRip);
                jump(nextRip + d.imm, os);
                return;
            case FastForms.RET: jump(pop(os), os); return;
            default: generic(d);
        }
    }

    /** ALU operation {@code kind} on the memory operand and a value (CMP writes nothing). */
    private void aluMem(Insn d, int kind, int os, long b) {
        long lin = addr(d);
        long res = alu.arith(kind, os, mmu.read(lin, os), b);
        if (kind != Alu.CMP) {
            mmu.write(lin, os, res);
        }
    }

    /** ALU operation {@code kind} on register {@code dst} and a value (CMP writes nothing). */
    private void aluRegs(int kind, int os, int dst, long b) {
        long res = alu.arith(kind, os, r[dst], b);
        if (kind != Alu.CMP) {
            r[dst] = res;
        }
    }

    private void aluRm(Insn d, int kind, int size, boolean toReg) {
        if (toReg) {
            long a = getReg(d.reg, size, d);
            long b = readRm(d, size);
            long res = alu.arith(kind, size, a, b);
            if (kind != 7) {
                setReg(d.reg, size, res, d);
            }
        } else if (d.mod == 3) {
            long a = getReg(d.rm, size, d);
            long b = getReg(d.reg, size, d);
            long res = alu.arith(kind, size, a, b);
            if (kind != 7) {
                setReg(d.rm, size, res, d);
            }
        } else {
            long lin = addr(d);
            long a = mmu.read(lin, size);
            long b = getReg(d.reg, size, d);
            long res = alu.arith(kind, size, a, b);
            if (kind != 7) {
                mmu.write(lin, size, res);
            }
        }
    }

    /** ALU op with an immediate into r/m (group 1, and AL/eAX forms when {@code accumulator}). */
    private void aluImm(Insn d, int kind, int size, long imm) {
        imm &= mask(size);
        if (d.mod == 3) {
            long a = getReg(d.rm, size, d);
            long res = alu.arith(kind, size, a, imm);
            if (kind != 7) {
                setReg(d.rm, size, res, d);
            }
        } else {
            long lin = addr(d);
            long a = mmu.read(lin, size);
            long res = alu.arith(kind, size, a, imm);
            if (kind != 7) {
                mmu.write(lin, size, res);
            }
        }
    }

    private void oneByte(Insn d, int op) {
        int os = d.osize;
        if (op < 0x40 && (op & 7) < 6) {
            int kind = op >> 3;
            switch (op & 7) {
                case 0: aluRm(d, kind, 1, false); return;
                case 1: aluRm(d, kind, os, false); return;
                case 2: aluRm(d, kind, 1, true); return;
                case 3: aluRm(d, kind, os, true); return;
                case 4: {
                    long res = alu.arith(kind, 1, r[0] & 0xFF, d.imm & 0xFF);
                    if (kind != 7) {
                        setRegSized(0, 1, res);
                    }
                    return;
                }
                default: {
                    long res = alu.arith(kind, os, r[0] & mask(os), d.imm & mask(os));
                    if (kind != 7) {
                        setRegSized(0, os, res);
                    }
                    return;
                }
            }
        }
        switch (op) {
            case 0x06: case 0x0E: case 0x16: case 0x1E:
                push(os, s.segments[op >> 3].selector);
                return;
            case 0x07: case 0x17: case 0x1F: {
                int sel = (int) peek(os, 0) & 0xFFFF;
                cpu.sys.loadSegment(op >> 3, sel);
                pop(os);
                if (op == 0x17) {
                    cpu.setInterruptShadow();
                }
                return;
            }
            case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47: {
                long v = getReg(op & 7, os, d);
                setRegSized(op & 7, os, alu.inc(os, v));
                return;
            }
            case 0x48: case 0x49: case 0x4A: case 0x4B: case 0x4C: case 0x4D: case 0x4E: case 0x4F: {
                long v = getReg(op & 7, os, d);
                setRegSized(op & 7, os, alu.dec(os, v));
                return;
            }
            case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57: {
                int n = (op & 7) | ((d.rex & 1) << 3);
                push(os, r[n]);
                return;
            }
            case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C: case 0x5D: case 0x5E: case 0x5F: {
                int n = (op & 7) | ((d.rex & 1) << 3);
                long v = pop(os);
                setRegSized(n, os, v);
                return;
            }
            case 0x60: { // PUSHA
                long sp = r[CpuState.RSP];
                for (int i = 0; i < 8; i++) {
                    push(os, i == CpuState.RSP ? sp : r[i]);
                }
                return;
            }
            case 0x61: { // POPA
                for (int i = 7; i >= 0; i--) {
                    long v = pop(os);
                    if (i != CpuState.RSP) {
                        setRegSized(i, os, v);
                    }
                }
                return;
            }
            case 0x63:
                if (mode64) { // MOVSXD
                    setRegSized(d.reg, os, sext(readRm(d, 4), 4));
                } else {
                    legacy.arpl(d);
                }
                return;
            case 0x27: case 0x2F: case 0x37: case 0x3F: case 0xD4: case 0xD5: case 0xD6:
                legacy.bcd(d, op);
                return;
            case 0x62: legacy.bound(d); return;
            case 0xC4: case 0xC5: legacy.loadFarPointer(d, op == 0xC4 ? CpuState.ES : CpuState.DS); return;
            case 0x68: case 0x6A: push(os, d.imm); return;
            case 0x69: case 0x6B: {
                long b = readRm(d, os);
                setRegSized(d.reg, os, alu.imul2(os, b, d.imm));
                return;
            }
            case 0x6C: case 0x6D: case 0x6E: case 0x6F:
                strings.execute(d, op);
                return;
            case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
            case 0x78: case 0x79: case 0x7A: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F:
                if (f.cond(op & 15)) {
                    jump(nextRip + d.imm, os);
                }
                return;
            case 0x80: case 0x82: aluImm(d, d.reg & 7, 1, d.imm); return;
            case 0x81: case 0x83: aluImm(d, d.reg & 7, os, d.imm); return;
            case 0x84: alu.logic(1, readRm(d, 1) & getReg(d.reg, 1, d)); return;
            case 0x85: alu.logic(os, readRm(d, os) & getReg(d.reg, os, d)); return;
            case 0x86: case 0x87: {
                int size = op == 0x86 ? 1 : os;
                long a = readRm(d, size);
                long b = getReg(d.reg, size, d);
                writeRm(d, size, b);
                setReg(d.reg, size, a, d);
                return;
            }
            case 0x88: writeRm(d, 1, getReg(d.reg, 1, d)); return;
            case 0x89: writeRm(d, os, getReg(d.reg, os, d)); return;
            case 0x8A: setReg(d.reg, 1, readRm(d, 1), d); return;
            case 0x8B: setReg(d.reg, os, readRm(d, os), d); return;
            case 0x8C: {
                int sel = s.segments[d.reg & 7].selector;
                if (d.mod == 3) {
                    setRegSized(d.rm, os, sel);
                } else {
                    mmu.write(addr(d), 2, sel);
                }
                return;
            }
            case 0x8D: setRegSized(d.reg, os, ea(d)); return;
            case 0x8E: {
                int seg = d.reg & 7;
                if (seg == CpuState.CS) {
                    throw GuestFault.ud();
                }
                cpu.sys.loadSegment(seg, (int) readRm(d, 2));
                if (seg == CpuState.SS) {
                    cpu.setInterruptShadow();
                }
                return;
            }
            case 0x8F: {
                long v = pop(os);
                writeRm(d, os, v);
                return;
            }
            case 0x90:
                if (d.rex == 0 || (d.rex & 1) == 0) {
                    return; // NOP, and PAUSE with F3
                }
                // REX.B 90 is XCHG r8, rAX.
            case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
                int n = (op & 7) | ((d.rex & 1) << 3);
                long a = getReg(n, os, d);
                setRegSized(n, os, r[0]);
                setRegSized(0, os, a);
                return;
            }
            case 0x98:
                setRegSized(0, os, sext(r[0], os / 2));
                return;
            case 0x99:
                setRegSized(CpuState.RDX, os, (sext(r[0], os) < 0) ? -1L : 0);
                return;
            case 0x9A: {
                cpu.sys.farCall((int) d.imm2 & 0xFFFF, d.imm, os, this);
                return;
            }
            case 0x9B:
                fpuSse.fwait();
                return;
            case 0x9C:
                cpu.sys.pushf(os, this);
                return;
            case 0x9D:
                cpu.sys.popf(os, this);
                return;
            case 0x9E: {
                long ah = (r[0] >>> 8) & 0xFF;
                f.materialize();
                f.res = (f.res & ~0xD5L) | (ah & 0xD5);
                return;
            }
            case 0x9F: {
                long fl = (f.arith() & 0xD5) | 2;
                r[0] = (r[0] & ~0xFF00L) | (fl << 8);
                return;
            }
            case 0xA0: setRegSized(0, 1, mmu.read(linear(d.seg, d.imm & mask(d.asize)), 1)); return;
            case 0xA1: setRegSized(0, os, mmu.read(linear(d.seg, d.imm & mask(d.asize)), os)); return;
            case 0xA2: mmu.write(linear(d.seg, d.imm & mask(d.asize)), 1, r[0]); return;
            case 0xA3: mmu.write(linear(d.seg, d.imm & mask(d.asize)), os, r[0]); return;
            case 0xA4: case 0xA5: case 0xA6: case 0xA7: case 0xAA: case 0xAB: case 0xAC: case 0xAD:
            case 0xAE: case 0xAF:
                strings.execute(d, op);
                return;
            case 0xA8: alu.logic(1, r[0] & d.imm & 0xFF); return;
            case 0xA9: alu.logic(os, r[0] & d.imm & mask(os)); return;
            case 0xB0: case 0xB1: case 0xB2: case 0xB3: case 0xB4: case 0xB5: case 0xB6: case 0xB7:
                setReg((op & 7) | ((d.rex & 1) << 3), 1, d.imm, d);
                return;
            case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
                setRegSized((op & 7) | ((d.rex & 1) << 3), os, d.imm);
                return;
            case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
                int size = (op & 1) == 0 ? 1 : os;
                int count = op <= 0xC1 ? (int) d.imm : op <= 0xD1 ? 1 : (int) r[CpuState.RCX];
                if (d.mod == 3) {
                    long v = getReg(d.rm, size, d);
                    setReg(d.rm, size, alu.shift(d.reg & 7, size, v, count), d);
                } else {
                    long lin = addr(d);
                    long v = mmu.read(lin, size);
                    long res = alu.shift(d.reg & 7, size, v, count);
                    mmu.write(lin, size, res);
                }
                return;
            }
            case 0xC2: case 0xC3: {
                long target = pop(os);
                if (op == 0xC2) {
                    setSp(r[CpuState.RSP] + d.imm);
                }
                jump(target, os);
                return;
            }
            case 0xC6: writeRm(d, 1, d.imm); return;
            case 0xC7: writeRm(d, os, d.imm); return;
            case 0xC8: enter(d, os); return;
            case 0xC9: {
                long fp = r[CpuState.RBP];
                long v = mmu.read(linear(CpuState.SS, stackOffset(fp)), os);
                setSp(fp + os);
                setRegSized(CpuState.RBP, os, v);
                return;
            }
            case 0xCA: case 0xCB:
                cpu.sys.farReturn(os, op == 0xCA ? (int) d.imm : 0, this);
                return;
            case 0xCC:
                cpu.events.softwareInterrupt(3, nextRip);
                return;
            case 0xCD:
                cpu.events.softwareInterrupt((int) d.imm & 0xFF, nextRip);
                return;
            case 0xCE:
                if (f.of()) {
                    cpu.events.softwareInterrupt(4, nextRip);
                }
                return;
            case 0xCF:
                cpu.sys.iret(os, this);
                return;
            case 0xD7: {
                long off = (r[CpuState.RBX] + (r[0] & 0xFF)) & mask(d.asize);
                setRegSized(0, 1, mmu.read(linear(d.seg, off), 1));
                return;
            }
            case 0xD8: case 0xD9: case 0xDA: case 0xDB: case 0xDC: case 0xDD: case 0xDE: case 0xDF:
                fpuSse.x87(d);
                return;
            case 0xE0: case 0xE1: case 0xE2: case 0xE3: {
                int as = d.asize;
                long cnt = r[CpuState.RCX] & mask(as);
                boolean taken;
                if (op == 0xE3) {
                    taken = cnt == 0;
                } else {
                    cnt = (cnt - 1) & mask(as);
                    setRegSized(CpuState.RCX, as, cnt);
                    taken = cnt != 0 && (op == 0xE2 || (op == 0xE1) == f.zf());
                }
                if (taken) {
                    jump(nextRip + d.imm, os);
                }
                return;
            }
            case 0xE4: case 0xE5: case 0xEC: case 0xED: {
                int size = (op & 1) == 0 ? 1 : os == 2 ? 2 : 4;
                int port = op < 0xE8 ? (int) d.imm & 0xFF : (int) r[CpuState.RDX] & 0xFFFF;
                cpu.sys.checkIo(port, size);
                setRegSized(0, size, cpu.io.read(port, size));
                return;
            }
            case 0xE6: case 0xE7: case 0xEE: case 0xEF: {
                int size = (op & 1) == 0 ? 1 : os == 2 ? 2 : 4;
                int port = op < 0xE8 ? (int) d.imm & 0xFF : (int) r[CpuState.RDX] & 0xFFFF;
                cpu.sys.checkIo(port, size);
                cpu.io.write(port, size, r[0] & mask(size));
                return;
            }
            case 0xE8:
                push(os, nextRip);
                jump(nextRip + d.imm, os);
                return;
            case 0xE9: case 0xEB:
                jump(nextRip + d.imm, os);
                return;
            case 0xEA:
                cpu.sys.farJump((int) d.imm2 & 0xFFFF, d.imm, os);
                return;
            case 0xF4:
                cpu.sys.requireCpl0();
                s.halted = true;
                return;
            case 0xF5: f.putArith(Flags.CF, !f.cf()); return;
            case 0xF6: case 0xF7: group3(d, op == 0xF6 ? 1 : os); return;
            case 0xF8: f.putArith(Flags.CF, false); return;
            case 0xF9: f.putArith(Flags.CF, true); return;
            case 0xFA: cpu.sys.cli(); return;
            case 0xFB: cpu.sys.sti(); return;
            case 0xFC: f.other &= ~Flags.DF; return;
            case 0xFD: f.other |= Flags.DF; return;
            case 0xFE: case 0xFF: group45(d, op == 0xFE ? 1 : os); return;
            default:
                throw GuestFault.ud();
        }
    }

    private void enter(Insn d, int os) {
        int alloc = (int) d.imm;
        int level = (int) d.imm2 & 31;
        long fp = r[CpuState.RBP];
        push(os, fp);
        long frame = r[CpuState.RSP];
        for (int i = 1; i < level; i++) {
            fp -= os;
            push(os, mmu.read(linear(CpuState.SS, stackOffset(fp)), os));
        }
        if (level > 0) {
            push(os, frame);
        }
        long sp = r[CpuState.RSP] - alloc;
        // The last byte of the new frame must be writable, as on hardware.
        if (alloc > 0) {
            mmu.probeWrite(linear(CpuState.SS, stackOffset(sp)), 1);
        }
        setRegSized(CpuState.RBP, os, frame);
        setSp(sp);
    }

    private void group3(Insn d, int size) {
        int r7 = d.reg & 7;
        switch (r7) {
            case 0: case 1:
                alu.logic(size, readRm(d, size) & d.imm & mask(size));
                return;
            case 2: {
                long v = readRm(d, size);
                writeRm(d, size, ~v);
                return;
            }
            case 3: {
                long v = readRm(d, size);
                if (d.mod == 3) {
                    writeRm(d, size, alu.arith(5, size, 0, v));
                } else {
                    long lin = addr(d);
                    long res = alu.arith(5, size, 0, v);
                    mmu.write(lin, size, res);
                }
                return;
            }
            case 4: case 5: alu.mul(size, readRm(d, size), r7 == 5, this); return;
            default: alu.div(size, readRm(d, size), r7 == 7, this); return;
        }
    }

    private void group45(Insn d, int size) {
        int r7 = d.reg & 7;
        switch (r7) {
            case 0: case 1: {
                if (d.mod == 3) {
                    long v = getReg(d.rm, size, d);
                    setReg(d.rm, size, r7 == 0 ? alu.inc(size, v) : alu.dec(size, v), d);
                } else {
                    long lin = addr(d);
                    long v = mmu.read(lin, size);
                    mmu.write(lin, size, r7 == 0 ? alu.inc(size, v) : alu.dec(size, v));
                }
                return;
            }
            case 2: {
                long target = readRm(d, size);
                push(size, nextRip);
                jump(target, size);
                return;
            }
            case 3: case 5: {
                long lin = addr(d);
                int offSize = size;
                long off = mmu.read(lin, offSize);
                int sel = (int) mmu.read(lin + offSize, 2);
                if (r7 == 3) {
                    cpu.sys.farCall(sel, off, size, this);
                } else {
                    cpu.sys.farJump(sel, off, size);
                }
                return;
            }
            case 4:
                jump(readRm(d, size), size);
                return;
            case 6:
                push(size, readRm(d, size));
                return;
            default:
                throw GuestFault.ud();
        }
    }

    private void twoByte(Insn d, int op) {
        int os = d.osize;
        if (op >= 0x40 && op <= 0x4F) {
            long v = readRm(d, os);
            if (f.cond(op & 15)) {
                setRegSized(d.reg, os, v);
            } else if (os == 4) {
                r[d.reg] &= 0xFFFFFFFFL;
            }
            return;
        }
        if (op >= 0x80 && op <= 0x8F) {
            if (f.cond(op & 15)) {
                jump(nextRip + d.imm, os);
            }
            return;
        }
        if (op >= 0x90 && op <= 0x9F) {
            writeRm(d, 1, f.cond(op & 15) ? 1 : 0);
            return;
        }
        if (op >= 0xC8 && op <= 0xCF) {
            int n = (op & 7) | ((d.rex & 1) << 3);
            if (os == 8) {
                r[n] = Long.reverseBytes(r[n]);
            } else {
                // The 16-bit form is undefined; QEMU swaps (and writes) 32 bits.
                r[n] = Integer.reverseBytes((int) r[n]) & 0xFFFFFFFFL;
            }
            return;
        }
        switch (op) {
            case 0x00: case 0x01: case 0x06: case 0x08: case 0x09: case 0x20: case 0x21: case 0x22: case 0x23:
            case 0x30: case 0x32: case 0xAA:
                cpu.sys.systemInstruction(d, op, this);
                return;
            case 0x0B:
                throw GuestFault.ud();
            case 0x0D: case 0x18: case 0x19: case 0x1A: case 0x1B: case 0x1C: case 0x1D: case 0x1E: case 0x1F:
                return; // prefetches and hint NOPs: no architectural effect
            case 0x31: {
                cpu.sys.rdtscAllowed();
                long t = cpu.tsc();
                r[CpuState.RAX] = t & 0xFFFFFFFFL;
                r[CpuState.RDX] = t >>> 32;
                return;
            }
            case 0xA0: case 0xA8:
                push(os, s.segments[op == 0xA0 ? CpuState.FS : CpuState.GS].selector);
                return;
            case 0xA1: case 0xA9: {
                int sel = (int) peek(os, 0) & 0xFFFF;
                cpu.sys.loadSegment(op == 0xA1 ? CpuState.FS : CpuState.GS, sel);
                pop(os);
                return;
            }
            case 0xA2: {
                int[] res = cpu.cpuid.query((int) r[0], (int) r[CpuState.RCX], 0);
                r[0] = res[0] & 0xFFFFFFFFL;
                r[CpuState.RBX] = res[1] & 0xFFFFFFFFL;
                r[CpuState.RCX] = res[2] & 0xFFFFFFFFL;
                r[CpuState.RDX] = res[3] & 0xFFFFFFFFL;
                return;
            }
            case 0xA3: case 0xAB: case 0xB3: case 0xBB:
                bitTest(d, os, (op >> 3) & 3, getReg(d.reg, os, d), true);
                return;
            case 0xBA:
                bitTest(d, os, d.reg & 3, d.imm & 0xFF, false);
                return;
            case 0xA4: case 0xA5: case 0xAC: case 0xAD: {
                int count = (op & 1) == 0 ? (int) d.imm : (int) r[CpuState.RCX];
                long src = getReg(d.reg, os, d);
                boolean right = op >= 0xAC;
                if (d.mod == 3) {
                    long v = getReg(d.rm, os, d);
                    setReg(d.rm, os, alu.shiftDouble(os, v, src, count, right), d);
                } else {
                    long lin = addr(d);
                    long v = mmu.read(lin, os);
                    mmu.write(lin, os, alu.shiftDouble(os, v, src, count, right));
                }
                return;
            }
            case 0xAF: {
                long b = readRm(d, os);
                setRegSized(d.reg, os, alu.imul2(os, getReg(d.reg, os, d), b));
                return;
            }
            case 0xB0: case 0xB1: cmpxchg(d, op == 0xB0 ? 1 : os); return;
            case 0xB2: case 0xB4: case 0xB5: {
                long lin = addr(d);
                long off = mmu.read(lin, os);
                int sel = (int) mmu.read(lin + os, 2);
                int seg = op == 0xB2 ? CpuState.SS : op == 0xB4 ? CpuState.FS : CpuState.GS;
                cpu.sys.loadSegment(seg, sel);
                setRegSized(d.reg, os, off);
                return;
            }
            case 0xB6: setRegSized(d.reg, os, readRm(d, 1)); return;
            case 0xB7: setRegSized(d.reg, os, readRm(d, 2)); return;
            case 0xBE: setRegSized(d.reg, os, sext(readRm(d, 1), 1)); return;
            case 0xBF: setRegSized(d.reg, os, sext(readRm(d, 2), 2)); return;
            case 0xBC: case 0xBD: {
                long v = readRm(d, os) & mask(os);
                long old = getReg(d.reg, os, d);
                long res;
                if (v == 0) {
                    res = old;
                } else if (op == 0xBC) {
                    res = Long.numberOfTrailingZeros(v);
                } else {
                    res = 63 - Long.numberOfLeadingZeros(v);
                }
                setRegSized(d.reg, os, res);
                alu.logic(os, v);
                return;
            }
            case 0xC0: case 0xC1: {
                int size = op == 0xC0 ? 1 : os;
                long b = getReg(d.reg, size, d);
                if (d.mod == 3) {
                    long a = getReg(d.rm, size, d);
                    long sum = alu.arith(0, size, a, b);
                    setReg(d.reg, size, a, d);
                    setReg(d.rm, size, sum, d);
                } else {
                    long lin = addr(d);
                    long a = mmu.read(lin, size);
                    long sum = alu.arith(0, size, a, b);
                    mmu.write(lin, size, sum);
                    setReg(d.reg, size, a, d);
                }
                return;
            }
            case 0xC3: mmu.write(addr(d), os == 8 ? 8 : 4, r[d.reg]); return;
            case 0xC7: cmpxchg8b16b(d); return;
            case 0xAE: fpuSse.group15(d); return;
            default:
                fpuSse.sse(d, op);
        }
    }

    private void bitTest(Insn d, int os, int kind, long offset, boolean regOffset) {
        int bits = os * 8;
        long lin = 0;
        long v;
        int bit;
        if (d.mod == 3) {
            bit = (int) (offset & (bits - 1));
            v = getReg(d.rm, os, d);
        } else {
            long delta = 0;
            if (regOffset) {
                long so = sext(offset, os);
                delta = (so >> (os == 8 ? 6 : os == 4 ? 5 : 4)) * os;
            }
            bit = (int) (offset & (bits - 1));
            lin = linear(d.seg, (ea(d) + delta) & mask(d.asize));
            v = mmu.read(lin, os);
        }
        boolean cf = ((v >>> bit) & 1) != 0;
        long nv;
        switch (kind) {
            case 1: nv = v | (1L << bit); break;
            case 2: nv = v & ~(1L << bit); break;
            case 3: nv = v ^ (1L << bit); break;
            default: nv = v; break;
        }
        if (kind != 0) {
            if (d.mod == 3) {
                setReg(d.rm, os, nv, d);
            } else {
                mmu.write(lin, os, nv);
            }
        }
        alu.bitTestFlags(v >>> bit, cf);
    }

    private void cmpxchg(Insn d, int size) {
        long acc = r[0] & mask(size);
        long src = getReg(d.reg, size, d);
        if (d.mod == 3) {
            long old = getReg(d.rm, size, d);
            alu.arith(7, size, acc, old);
            // Accumulator first, then the destination (which may be the accumulator), as QEMU.
            setRegSized(0, size, old);
            setReg(d.rm, size, acc == old ? src : old, d);
        } else {
            long lin = addr(d);
            long old = mmu.read(lin, size);
            alu.arith(7, size, acc, old);
            mmu.write(lin, size, acc == old ? src : old);
            setRegSized(0, size, old);
        }
    }

    private void cmpxchg8b16b(Insn d) {
        long lin = addr(d);
        if (d.osize == 8) {
            if ((lin & 15) != 0) {
                throw GuestFault.gp(0);
            }
            long lo = mmu.read(lin, 8);
            long hi = mmu.read(lin + 8, 8);
            boolean eq = lo == r[0] && hi == r[CpuState.RDX];
            mmu.probeWrite(lin, 16);
            if (eq) {
                mmu.write(lin, 8, r[CpuState.RBX]);
                mmu.write(lin + 8, 8, r[CpuState.RCX]);
            } else {
                mmu.write(lin, 8, lo);
                mmu.write(lin + 8, 8, hi);
                r[0] = lo;
                r[CpuState.RDX] = hi;
            }
            f.putArith(Flags.ZF, eq);
        } else {
            long m = mmu.read(lin, 8);
            long cmp = (r[0] & 0xFFFFFFFFL) | (r[CpuState.RDX] << 32);
            boolean eq = m == cmp;
            if (eq) {
                mmu.write(lin, 8, (r[CpuState.RBX] & 0xFFFFFFFFL) | (r[CpuState.RCX] << 32));
            } else {
                mmu.write(lin, 8, m);
                r[0] = m & 0xFFFFFFFFL;
                r[CpuState.RDX] = m >>> 32;
            }
            f.putArith(Flags.ZF, eq);
        }
    }
}
