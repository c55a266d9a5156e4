package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * The system side of the CPU: segment loads (real mode, protected mode with the checks
 * firmware can trigger, long mode), descriptor tables, control/debug registers, MSR access,
 * far transfers and IRET. Delivery of exceptions and interrupts is in {@link Events}.
 *
 * <p>Not modelled (see docs/cpu.md): task switches and task gates, call gates, virtual-8086
 * mode, segment limit checks on ordinary accesses, the TSS I/O permission bitmap.
 */
final class SystemOps {
    private final Cpu cpu;
    private final CpuState s;
    private final Mmu mmu;
    private final Flags f;

    /** Enters SMM and returns from it (RSM). */
    interface SmmSupport {
        void enter();

        void rsm();
    }

    SmmSupport smm;

    SystemOps(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.mmu = cpu.mmu;
        this.f = cpu.flags;
    }

    boolean protectedMode() {
        return (s.cr0 & CpuState.CR0_PE) != 0 && (f.other & Flags.VM) == 0;
    }

    boolean longMode() {
        return (s.efer & CpuState.EFER_LMA) != 0;
    }

    int cpl() {
        return protectedMode() ? s.segments[CpuState.CS].selector & 3 : 0;
    }

    void requireCpl0() {
        if (cpl() != 0) {
            throw GuestFault.gp(0);
        }
    }

    private void csChanged() {
        mmu.user = cpl() == 3;
    }

    // ---- descriptors ----------------------------------------------------------------------

    /** Reads the 8-byte descriptor for a selector from the GDT or LDT; #GP(selector) past the limit. */
    long descriptor(int sel) {
        long base;
        long limit;
        if ((sel & 4) != 0) {
            base = s.ldtr.base;
            limit = s.ldtr.limit;
            if ((s.ldtr.attributes & SegmentCache.ATTR_P) == 0) {
                throw GuestFault.gp(sel & 0xFFFC);
            }
        } else {
            base = s.gdtBase;
            limit = s.gdtLimit;
        }
        int index = sel & ~7;
        if (index + 7 > limit) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        return mmu.read64(descriptorAddress(sel));
    }

    private long descriptorAddress(int sel) {
        long base = (sel & 4) != 0 ? s.ldtr.base : s.gdtBase;
        long a = base + (sel & ~7);
        return longMode() ? a : a & 0xFFFFFFFFL;
    }

    static long descBase(long desc) {
        return ((desc >>> 16) & 0xFFFFFF) | ((desc >>> 32) & 0xFF000000L);
    }

    static long descLimit(long desc) {
        long limit = (desc & 0xFFFF) | ((desc >>> 32) & 0xF0000);
        if ((desc & (1L << 55)) != 0) {
            limit = (limit << 12) | 0xFFF;
        }
        return limit;
    }

    /**
     * The descriptor of the code segment a far RET or IRET returns to, after the checks both
     * make: not null, RPL not above the current privilege, a code segment (#GP), present (#NP).
     */
    private long returnCodeDescriptor(int sel, int cpl) {
        if ((sel & 0xFFFC) == 0 || (sel & 3) < cpl) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        long desc = descriptor(sel);
        int attr = descAttributes(desc);
        if ((attr & SegmentCache.ATTR_S) == 0 || (attr & 8) == 0) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        if ((attr & SegmentCache.ATTR_P) == 0) {
            throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
        }
        return desc;
    }

    static int descAttributes(long desc) {
        return (int) ((desc >>> 40) & 0xFF) | (int) (((desc >>> 52) & 0xF) << 8);
    }

    private void setAccessed(int sel, long desc) {
        if ((desc & (1L << 40)) == 0) {
            long a = descriptorAddress(sel) + 5;
            mmu.write(a, 1, ((desc >>> 40) & 0xFF) | 1);
        }
    }

    /** MOV/POP to a data or stack segment register (not CS). */
    void loadSegment(int seg, int sel) {
        sel &= 0xFFFF;
        SegmentCache sc = s.segments[seg];
        if (!protectedMode()) {
            sc.selector = sel;
            sc.base = (long) sel << 4;
            if ((f.other & Flags.VM) != 0) {
                sc.limit = 0xFFFF;
                sc.attributes = SegmentCache.ATTR_P | SegmentCache.ATTR_S | 3 | (3 << SegmentCache.ATTR_DPL_SHIFT);
            }
            return;
        }
        int cpl = cpl();
        if ((sel & 0xFFFC) == 0) {
            if (seg == CpuState.SS && !(cpu.decodeMode() == 2 && cpl != 3 && (sel & 3) == cpl)) {
                throw GuestFault.gp(0);
            }
            sc.load(sel, 0, 0, 0);
            return;
        }
        long desc = descriptor(sel);
        int attr = descAttributes(desc);
        int type = attr & 0xF;
        int dpl = (attr >> SegmentCache.ATTR_DPL_SHIFT) & 3;
        int rpl = sel & 3;
        boolean code = (type & 8) != 0;
        if ((attr & SegmentCache.ATTR_S) == 0) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        if (seg == CpuState.SS) {
            if (code || (type & 2) == 0 || rpl != cpl || dpl != cpl) {
                throw GuestFault.gp(sel & 0xFFFC);
            }
            if ((attr & SegmentCache.ATTR_P) == 0) {
                throw new GuestFault(GuestFault.SS, sel & 0xFFFC);
            }
        } else {
            if (code && (type & 2) == 0) {
                throw GuestFault.gp(sel & 0xFFFC);
            }
            boolean conforming = code && (type & 4) != 0;
            if (!conforming && dpl < Math.max(cpl, rpl)) {
                throw GuestFault.gp(sel & 0xFFFC);
            }
            if ((attr & SegmentCache.ATTR_P) == 0) {
                throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
            }
        }
        setAccessed(sel, desc);
        sc.load(sel, descBase(desc), descLimit(desc), attr | 1);
    }

    /** Loads CS for a far transfer to {@code sel} at privilege {@code newCpl}; returns the 64-bit-capable flag. */
    void loadCode(int sel, long desc, int newCpl) {
        setAccessed(sel, desc);
        s.segments[CpuState.CS].load((sel & 0xFFFC) | newCpl, descBase(desc), descLimit(desc), descAttributes(desc) | 1);
        csChanged();
    }

    /** Checks a code-segment descriptor for a far JMP/CALL at the same privilege; returns it. */
    private long checkCodeTarget(int sel) {
        if ((sel & 0xFFFC) == 0) {
            throw GuestFault.gp(0);
        }
        long desc = descriptor(sel);
        int attr = descAttributes(desc);
        int cpl = cpl();
        int dpl = (attr >> SegmentCache.ATTR_DPL_SHIFT) & 3;
        if ((attr & SegmentCache.ATTR_S) == 0 || (attr & 8) == 0) {
            // System descriptors (call gates, TSS, task gates) are not modelled.
            throw GuestFault.gp(sel & 0xFFFC);
        }
        boolean conforming = (attr & 4) != 0;
        if (conforming ? dpl > cpl : (dpl != cpl || (sel & 3) > cpl)) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        if ((attr & SegmentCache.ATTR_P) == 0) {
            throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
        }
        return desc;
    }

    private static long maskIp(long ip, int size) {
        return size == 8 ? ip : size == 4 ? ip & 0xFFFFFFFFL : ip & 0xFFFF;
    }

    void farJump(int sel, long off, int os) {
        if (!protectedMode()) {
            SegmentCache cs = s.segments[CpuState.CS];
            cs.selector = sel;
            cs.base = (long) sel << 4;
            s.rip = maskIp(off, os);
            return;
        }
        long desc = checkCodeTarget(sel);
        loadCode(sel, desc, cpl());
        s.rip = cpu.decodeMode() == 2 ? off : maskIp(off, os);
    }

    void farCall(int sel, long off, int os, Interpreter in) {
        int oldSel = s.segments[CpuState.CS].selector;
        long ret = in.nextRip;
        if (!protectedMode()) {
            in.push(os, oldSel);
            in.push(os, ret);
            farJump(sel, off, os);
            return;
        }
        long desc = checkCodeTarget(sel);
        in.push(os, oldSel);
        in.push(os, ret);
        loadCode(sel, desc, cpl());
        s.rip = cpu.decodeMode() == 2 ? off : maskIp(off, os);
    }

    void farReturn(int os, int imm, Interpreter in) {
        long ip = in.peek(os, 0);
        int sel = (int) in.peek(os, os) & 0xFFFF;
        if (!protectedMode()) {
            in.setSp(s.gpr[CpuState.RSP] + 2L * os + imm);
            SegmentCache cs = s.segments[CpuState.CS];
            cs.selector = sel;
            cs.base = (long) sel << 4;
            s.rip = maskIp(ip, os);
            return;
        }
        int cpl = cpl();
        int rpl = sel & 3;
        long desc = returnCodeDescriptor(sel, cpl);
        if (rpl == cpl) {
            in.setSp(s.gpr[CpuState.RSP] + 2L * os + imm);
            loadCode(sel, desc, cpl);
        } else {
            long newSp = in.peek(os, 2L * os + imm);
            int newSs = (int) in.peek(os, 3L * os + imm) & 0xFFFF;
            loadCode(sel, desc, rpl);
            loadSegment(CpuState.SS, newSs);
            in.setSp(newSp + imm);
        }
        s.rip = cpu.decodeMode() == 2 ? ip : maskIp(ip, os);
    }

    // ---- flags ----------------------------------------------------------------------------

    void pushf(int os, Interpreter in) {
        long v = f.get() & ~(Flags.VM | Flags.RF);
        in.push(os, v);
    }

    void popf(int os, Interpreter in) {
        long v = in.pop(os);
        writeFlags(v, os);
    }

    /** Loads RFLAGS from POPF/IRET data, honouring CPL and IOPL. */
    private void writeFlags(long v, int os) {
        long changeable = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT | Flags.AC | Flags.ID | Flags.IF | Flags.IOPL;
        int cpl = cpl();
        int iopl = (int) (f.other >> 12) & 3;
        if (protectedMode()) {
            if (cpl > 0) {
                changeable &= ~Flags.IOPL;
            }
            if (cpl > iopl) {
                changeable &= ~Flags.IF;
            }
        }
        if (os == 2) {
            changeable &= 0xFFFF;
        }
        long cur = f.get();
        f.setAll((cur & ~changeable) | (v & changeable));
    }

    void cli() {
        if (protectedMode() && cpl() > ((f.other >> 12) & 3)) {
            throw GuestFault.gp(0);
        }
        f.other &= ~Flags.IF;
    }

    void sti() {
        if (protectedMode() && cpl() > ((f.other >> 12) & 3)) {
            throw GuestFault.gp(0);
        }
        if ((f.other & Flags.IF) == 0) {
            cpu.setInterruptShadow();
        }
        f.other |= Flags.IF;
    }

    void checkIo(int port, int size) {
        if (protectedMode() && cpl() > ((f.other >> 12) & 3)) {
            throw GuestFault.gp(0);
        }
    }

    void rdtscAllowed() {
        if ((s.cr4 & 4) != 0 && cpl() != 0) {
            throw GuestFault.gp(0);
        }
    }

    // ---- IRET -----------------------------------------------------------------------------

    void iret(int os, Interpreter in) {
        if (!protectedMode()) {
            long ip = in.peek(os, 0);
            int sel = (int) in.peek(os, os) & 0xFFFF;
            long fl = in.peek(os, 2L * os);
            in.setSp(s.gpr[CpuState.RSP] + 3L * os);
            SegmentCache cs = s.segments[CpuState.CS];
            cs.selector = sel;
            cs.base = (long) sel << 4;
            s.rip = maskIp(ip, os);
            writeFlags(fl, os);
            cpu.events.nmiReturned();
            return;
        }
        if ((f.other & Flags.NT) != 0 && !longMode()) {
            throw GuestFault.gp(0); // task return: task switching is not modelled
        }
        long ip = in.peek(os, 0);
        int sel = (int) in.peek(os, os) & 0xFFFF;
        long fl = in.peek(os, 2L * os);
        int cpl = cpl();
        int rpl = sel & 3;
        long desc = returnCodeDescriptor(sel, cpl);
        boolean from64 = cpu.decodeMode() == 2;
        boolean popStack = from64 || rpl != cpl;
        long newSp = 0;
        int newSs = 0;
        if (popStack) {
            newSp = in.peek(os, 3L * os);
            newSs = (int) in.peek(os, 4L * os) & 0xFFFF;
        }
        if (!popStack) {
            in.setSp(s.gpr[CpuState.RSP] + 3L * os);
        }
        loadCode(sel, desc, rpl);
        writeFlagsAtCpl(fl, os, cpl);
        if (popStack) {
            if ((newSs & 0xFFFC) == 0 && longMode() && cpu.decodeMode() == 2 && rpl != 3) {
                s.segments[CpuState.SS].load(newSs, 0, 0, 0);
            } else {
                loadSegment(CpuState.SS, newSs);
            }
            if (os == 8 || cpu.decodeMode() == 2) {
                s.gpr[CpuState.RSP] = os == 8 ? newSp : newSp & Interpreter.mask(os);
            } else {
                in.setSp(newSp);
            }
        }
        s.rip = cpu.decodeMode() == 2 ? ip : maskIp(ip, os);
        cpu.events.nmiReturned();
    }

    /** writeFlags with the privilege checks made against the CPL before the IRET. */
    private void writeFlagsAtCpl(long v, int os, int oldCpl) {
        long changeable = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT | Flags.AC | Flags.ID | Flags.IF
                | Flags.IOPL | Flags.RF | Flags.VIF | Flags.VIP;
        int iopl = (int) (f.other >> 12) & 3;
        if (oldCpl > 0) {
            changeable &= ~(Flags.IOPL | Flags.VIF | Flags.VIP);
        }
        if (oldCpl > iopl) {
            changeable &= ~Flags.IF;
        }
        if (os == 2) {
            changeable &= 0xFFFF;
        }
        long cur = f.get();
        f.setAll((cur & ~changeable) | (v & changeable));
    }

    // ---- system instructions --------------------------------------------------------------

    void systemInstruction(Insn d, int op, Interpreter in) {
        switch (op) {
            case 0x00: group6(d, in); return;
            case 0x01: group7(d, in); return;
            case 0x06:
                requireCpl0();
                s.cr0 &= ~CpuState.CR0_TS;
                return;
            case 0x08: case 0x09:
                requireCpl0(); // INVD/WBINVD: caches are not modelled
                return;
            case 0x20: {
                requireCpl0();
                in.setRegSized(d.rm, d.osize, readCr(d.reg));
                return;
            }
            case 0x22:
                requireCpl0();
                writeCr(d.reg, in.getReg(d.rm, d.osize, d));
                return;
            case 0x21: {
                requireCpl0();
                int n = d.reg & 7;
                in.setRegSized(d.rm, d.osize, s.dr[n == 4 ? 6 : n == 5 ? 7 : n]);
                return;
            }
            case 0x23: {
                requireCpl0();
                int n = d.reg & 7;
                s.dr[n == 4 ? 6 : n == 5 ? 7 : n] = in.getReg(d.rm, d.osize, d);
                return;
            }
            case 0x30: {
                requireCpl0();
                long v = (s.gpr[CpuState.RAX] & 0xFFFFFFFFL) | (s.gpr[CpuState.RDX] << 32);
                long oldEfer = s.efer;
                int msr = (int) s.gpr[CpuState.RCX];
                if (cpu.msrs.write(msr, v, s, cpu::writeTsc) && oldEfer != s.efer) {
                    mmu.flush(false);
                }
                if (msr == Msrs.APIC_BASE && cpu.localApic != null) {
                    cpu.localApic.writeApicBaseMsr(v);
                }
                return;
            }
            case 0x32: {
                requireCpl0();
                int msr = (int) s.gpr[CpuState.RCX];
                long v = msr == Msrs.APIC_BASE && cpu.localApic != null ? cpu.localApic.readApicBaseMsr()
                        : cpu.msrs.read(msr, s, cpu.tsc());
                s.gpr[CpuState.RAX] = v & 0xFFFFFFFFL;
                s.gpr[CpuState.RDX] = v >>> 32;
                return;
            }
            case 0xAA:
                if (!s.smm || smm == null) {
                    throw GuestFault.ud();
                }
                smm.rsm();
                return;
            default:
                throw GuestFault.ud();
        }
    }

    long readCr(int n) {
        switch (n) {
            case 0: return s.cr0;
            case 2: return s.cr2;
            case 3: return s.cr3;
            case 4: return s.cr4;
            case 8: return cpu.localApic != null ? cpu.localApic.cr8() : s.cr8;
            default: throw GuestFault.ud();
        }
    }

    private static final long CR4_VALID = 0x1 | 0x2 | 0x4 | 0x8 | CpuState.CR4_PSE | CpuState.CR4_PAE | 0x40
            | CpuState.CR4_PGE | 0x100 | CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT;

    void writeCr(int n, long v) {
        switch (n) {
            case 0: {
                boolean mode64 = cpu.decodeMode() == 2;
                if (!mode64) {
                    v &= 0xFFFFFFFFL;
                }
                if ((v >>> 32) != 0) {
                    throw GuestFault.gp(0);
                }
                v |= CpuState.CR0_ET;
                if ((v & CpuState.CR0_PG) != 0 && (v & CpuState.CR0_PE) == 0
                        || (v & CpuState.CR0_NW) != 0 && (v & CpuState.CR0_CD) == 0) {
                    throw GuestFault.gp(0);
                }
                long old = s.cr0;
                boolean pgOn = (v & CpuState.CR0_PG) != 0 && (old & CpuState.CR0_PG) == 0;
                boolean pgOff = (v & CpuState.CR0_PG) == 0 && (old & CpuState.CR0_PG) != 0;
                if (pgOn && (s.efer & CpuState.EFER_LME) != 0) {
                    if ((s.cr4 & CpuState.CR4_PAE) == 0) {
                        throw GuestFault.gp(0);
                    }
                    s.efer |= CpuState.EFER_LMA;
                }
                if (pgOff && (s.efer & CpuState.EFER_LMA) != 0) {
                    if (mode64) {
                        throw GuestFault.gp(0);
                    }
                    s.efer &= ~CpuState.EFER_LMA;
                }
                s.cr0 = v;
                if (((old ^ v) & (CpuState.CR0_PG | CpuState.CR0_WP | CpuState.CR0_PE)) != 0) {
                    mmu.flush(false);
                }
                csChanged();
                return;
            }
            case 2: s.cr2 = v; return;
            case 3:
                s.cr3 = cpu.decodeMode() == 2 ? v : v & 0xFFFFFFFFL;
                mmu.flush(true);
                return;
            case 4: {
                if ((v & ~CR4_VALID) != 0) {
                    throw GuestFault.gp(0);
                }
                if ((s.efer & CpuState.EFER_LMA) != 0 && (v & CpuState.CR4_PAE) == 0) {
                    throw GuestFault.gp(0);
                }
                long old = s.cr4;
                s.cr4 = v;
                if (((old ^ v) & (CpuState.CR4_PGE | CpuState.CR4_PAE | CpuState.CR4_PSE)) != 0) {
                    mmu.flush(false);
                }
                return;
            }
            case 8:
                if ((v & ~0xFL) != 0) {
                    throw GuestFault.gp(0);
                }
                s.cr8 = v;
                if (cpu.localApic != null) {
                    cpu.localApic.writeCr8(v);
                }
                return;
            default:
                throw GuestFault.ud();
        }
    }

    private void group6(Insn d, Interpreter in) {
        int r = d.reg & 7;
        if (!protectedMode()) {
            throw GuestFault.ud();
        }
        switch (r) {
            case 0: case 1: {
                int sel = r == 0 ? s.ldtr.selector : s.tr.selector;
                if (d.mod == 3) {
                    in.setRegSized(d.rm, d.osize, sel);
                } else {
                    mmu.write(in.addr(d), 2, sel);
                }
                return;
            }
            case 2: {
                requireCpl0();
                int sel = (int) in.readRm(d, 2);
                if ((sel & 0xFFFC) == 0) {
                    s.ldtr.load(sel, 0, 0, 0);
                    return;
                }
                if ((sel & 4) != 0) {
                    throw GuestFault.gp(sel & 0xFFFC);
                }
                long desc = descriptor(sel);
                int attr = descAttributes(desc);
                if ((attr & (SegmentCache.ATTR_S | 0xF)) != 2) {
                    throw GuestFault.gp(sel & 0xFFFC);
                }
                if ((attr & SegmentCache.ATTR_P) == 0) {
                    throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
                }
                long base = descBase(desc);
                if (longMode()) {
                    base |= (mmu.read64(descriptorAddress(sel) + 8) & 0xFFFFFFFFL) << 32;
                }
                s.ldtr.load(sel, base, descLimit(desc), attr);
                return;
            }
            default: {
                requireCpl0();
                int sel = (int) in.readRm(d, 2);
                if ((sel & 0xFFFC) == 0 || (sel & 4) != 0) {
                    throw GuestFault.gp(sel & 0xFFFC);
                }
                long desc = descriptor(sel);
                int attr = descAttributes(desc);
                int type = attr & 0xF;
                if ((attr & SegmentCache.ATTR_S) != 0 || (type != 9 && type != 1)) {
                    throw GuestFault.gp(sel & 0xFFFC);
                }
                if ((attr & SegmentCache.ATTR_P) == 0) {
                    throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
                }
                long base = descBase(desc);
                if (longMode()) {
                    base |= (mmu.read64(descriptorAddress(sel) + 8) & 0xFFFFFFFFL) << 32;
                }
                mmu.write(descriptorAddress(sel) + 5, 1, ((desc >>> 40) & 0xFF) | 2);
                s.tr.load(sel, base, descLimit(desc), attr | 2);
            }
        }
    }

    private void group7(Insn d, Interpreter in) {
        int r = d.reg & 7;
        boolean mode64 = d.mode == 2;
        if (d.mod == 3) {
            switch (r) {
                case 4:
                    in.setRegSized(d.rm, d.osize, s.cr0 & Interpreter.mask(d.osize));
                    return;
                case 6:
                    requireCpl0();
                    lmsw(in.getReg(d.rm, 2, d));
                    return;
                default: { // SWAPGS
                    requireCpl0();
                    long t = s.segments[CpuState.GS].base;
                    s.segments[CpuState.GS].base = cpu.msrs.kernelGsBase;
                    cpu.msrs.kernelGsBase = t;
                    return;
                }
            }
        }
        long lin = in.addr(d);
        switch (r) {
            case 0: case 1: {
                int limit = r == 0 ? s.gdtLimit : s.idtLimit;
                long base = r == 0 ? s.gdtBase : s.idtBase;
                mmu.probeWrite(lin, mode64 ? 10 : 6);
                mmu.write(lin, 2, limit);
                if (mode64) {
                    mmu.write(in.linear(d.seg, (in.ea(d) + 2) & Interpreter.mask(d.asize)), 8, base);
                } else {
                    mmu.write(in.linear(d.seg, (in.ea(d) + 2) & Interpreter.mask(d.asize)), 4,
                            d.osize == 2 ? base & 0xFFFFFF : base & 0xFFFFFFFFL);
                }
                return;
            }
            case 2: case 3: {
                requireCpl0();
                int limit = (int) mmu.read(lin, 2);
                long baseLin = in.linear(d.seg, (in.ea(d) + 2) & Interpreter.mask(d.asize));
                long base = mode64 ? mmu.read64(baseLin) : mmu.read(baseLin, 4);
                if (!mode64 && d.osize == 2) {
                    base &= 0xFFFFFF;
                }
                if (r == 2) {
                    s.gdtBase = base;
                    s.gdtLimit = limit;
                } else {
                    s.idtBase = base;
                    s.idtLimit = limit;
                }
                return;
            }
            case 4:
                mmu.write(lin, 2, s.cr0 & 0xFFFF);
                return;
            case 6:
                requireCpl0();
                lmsw(mmu.read(lin, 2));
                return;
            default:
                requireCpl0();
                mmu.invalidatePage(lin);
                return;
        }
    }

    private void lmsw(long v) {
        // LMSW changes PE, MP, EM, TS only, and cannot clear PE.
        long nv = (s.cr0 & ~0xEL) | (v & 0xF) | (s.cr0 & CpuState.CR0_PE);
        writeCr(0, nv);
    }
}
