package org.varsgen.emulator.cpu;

import java.util.logging.Logger;
import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;

/**
 * The system side of the CPU: segment loads (real mode, protected mode with the checks
 * firmware can trigger, long mode), descriptor tables, control/debug registers, MSR access,
 * far transfers, IRET, and delivery of exceptions and interrupts through the real-mode IVT and
 * the 32- and 64-bit IDT (double fault and triple fault included).
 *
 * <p>Not modelled (see docs/cpu.md): task switches and task gates, call gates, virtual-8086
 * mode, segment limit checks on ordinary accesses, the TSS I/O permission bitmap.
 */
final class SystemOps {
    private static final Logger LOG = Logger.getLogger(SystemOps.class.getName());
    private static final int KIND_EXCEPTION = 0, KIND_SOFTWARE = 1, KIND_EXTERNAL = 2;

    private final Cpu cpu;
    private final CpuState s;
    private final Mmu mmu;
    private final Flags f;
    private boolean pendingNmi;
    private boolean pendingSmi;
    private boolean nmiBlocked;

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

    private boolean protectedMode() {
        return (s.cr0 & CpuState.CR0_PE) != 0 && (f.other & Flags.VM) == 0;
    }

    private boolean longMode() {
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
    private void loadCode(int sel, long desc, int newCpl) {
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
        if ((sel & 0xFFFC) == 0 || rpl < cpl) {
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
            nmiBlocked = false;
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
        if ((sel & 0xFFFC) == 0 || rpl < cpl) {
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
        nmiBlocked = false;
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

    // ---- exceptions and interrupts --------------------------------------------------------

    /** True when step() would deliver an event now (for the idle check in run()). */
    boolean eventPending() {
        pollPins();
        if (pendingSmi && !s.smm || pendingNmi && !nmiBlocked && !s.smm) {
            return true;
        }
        return (f.other & Flags.IF) != 0 && cpu.pins.interruptPending();
    }

    private void pollPins() {
        if (cpu.pins.takeSmi()) {
            pendingSmi = true;
        }
        if (cpu.pins.takeNmi()) {
            pendingNmi = true;
        }
        if (cpu.pins.takeInit()) {
            LOG.warning("INIT signal ignored: INIT is not modelled yet");
        }
    }

    /** Delivers one pending SMI, NMI or interrupt; returns whether it did. */
    boolean deliverPendingEvent() {
        pollPins();
        if (pendingSmi && !s.smm) {
            if (smm != null) {
                pendingSmi = false;
                s.halted = false;
                smm.enter();
                return true;
            }
        }
        if (pendingNmi && !nmiBlocked && !s.smm) {
            pendingNmi = false;
            nmiBlocked = true;
            s.halted = false;
            deliverEvent(GuestFault.NMI, -1, KIND_EXTERNAL, s.rip);
            return true;
        }
        if ((f.other & Flags.IF) != 0 && cpu.pins.interruptPending()) {
            int vector = cpu.pins.acknowledgeInterrupt() & 0xFF;
            s.halted = false;
            deliverEvent(vector, -1, KIND_EXTERNAL, s.rip);
            return true;
        }
        return false;
    }

    /** INT n, INT3, INTO: delivered at once with the return address after the instruction. */
    void softwareInterrupt(int vector, long nextRip) {
        if (cpu.trapsExceptions()) {
            throw new GuestFault(vector, -1);
        }
        deliver(vector, -1, KIND_SOFTWARE, nextRip);
    }

    private static boolean contributory(int v) {
        return v == 0 || (v >= 10 && v <= 13);
    }

    /** Delivers an exception raised by an instruction (RIP already points at it). */
    void deliverException(int vector, int errorCode) {
        deliverEvent(vector, errorCode, KIND_EXCEPTION, s.rip);
    }

    private void deliverEvent(int vector, int errorCode, int kind, long returnRip) {
        long rip = s.rip;
        long rsp = s.gpr[CpuState.RSP];
        try {
            deliver(vector, errorCode, kind, returnRip);
        } catch (GuestFault second) {
            s.rip = rip;
            s.gpr[CpuState.RSP] = rsp;
            if (vector == GuestFault.DF) {
                cpu.enterShutdown();
                return;
            }
            boolean df = contributory(vector) && contributory(second.vector)
                    || vector == GuestFault.PF && (contributory(second.vector) || second.vector == GuestFault.PF);
            if (df) {
                deliverEvent(GuestFault.DF, 0, KIND_EXCEPTION, rip);
            } else {
                deliverEvent(second.vector, second.errorCode, KIND_EXCEPTION, rip);
            }
        }
    }

    private void deliver(int vector, int errorCode, int kind, long returnRip) {
        s.halted = false;
        if (!protectedMode()) {
            deliverReal(vector, returnRip);
        } else if (longMode()) {
            deliverLong(vector, errorCode, kind, returnRip);
        } else {
            deliverProtected(vector, errorCode, kind, returnRip);
        }
    }

    private void deliverReal(int vector, long returnRip) {
        if (vector * 4L + 3 > s.idtLimit) {
            throw GuestFault.gp(vector * 8 + 2);
        }
        long entry = mmu.read(((s.idtBase + vector * 4L) & 0xFFFFFFFFL), 4);
        long fl = f.get();
        Interpreter16 st = new Interpreter16();
        st.push(fl & 0xFFFF);
        st.push(s.segments[CpuState.CS].selector);
        st.push(returnRip & 0xFFFF);
        f.other &= ~(Flags.IF | Flags.TF | Flags.AC | Flags.RF);
        int sel = (int) (entry >>> 16) & 0xFFFF;
        SegmentCache cs = s.segments[CpuState.CS];
        cs.selector = sel;
        cs.base = (long) sel << 4;
        s.rip = entry & 0xFFFF;
    }

    /** Pushes on the real-mode stack (16-bit pushes, SS.B decides the stack pointer width). */
    private final class Interpreter16 {
        void push(long v) {
            boolean big = (s.segments[CpuState.SS].attributes & SegmentCache.ATTR_DB) != 0;
            long sp = s.gpr[CpuState.RSP] - 2;
            long off = big ? sp & 0xFFFFFFFFL : sp & 0xFFFF;
            mmu.write((s.segments[CpuState.SS].base + off) & 0xFFFFFFFFL, 2, v);
            if (big) {
                s.gpr[CpuState.RSP] = sp & 0xFFFFFFFFL;
            } else {
                s.gpr[CpuState.RSP] = (s.gpr[CpuState.RSP] & ~0xFFFFL) | (sp & 0xFFFF);
            }
        }
    }

    private int idtError(int vector, int kind) {
        return vector * 8 + 2 + (kind == KIND_EXTERNAL ? 1 : 0);
    }

    private void deliverProtected(int vector, int errorCode, int kind, long returnRip) {
        if (vector * 8L + 7 > s.idtLimit) {
            throw GuestFault.gp(idtError(vector, kind));
        }
        long gate = mmu.read64((s.idtBase + vector * 8L) & 0xFFFFFFFFL);
        int type = (int) (gate >>> 40) & 0x1F;
        int gateDpl = (int) (gate >>> 45) & 3;
        int cpl = cpl();
        if (type != 0x0E && type != 0x0F && type != 0x06 && type != 0x07) {
            throw GuestFault.gp(idtError(vector, kind));
        }
        if (kind == KIND_SOFTWARE && gateDpl < cpl) {
            throw GuestFault.gp(idtError(vector, kind));
        }
        if ((gate & (1L << 47)) == 0) {
            throw new GuestFault(GuestFault.NP, idtError(vector, kind));
        }
        boolean gate32 = (type & 8) != 0;
        int size = gate32 ? 4 : 2;
        int sel = (int) (gate >>> 16) & 0xFFFF;
        long off = (gate & 0xFFFF) | ((gate >>> 32) & 0xFFFF0000L);
        if ((sel & 0xFFFC) == 0) {
            throw GuestFault.gp(kind == KIND_EXTERNAL ? 1 : 0);
        }
        long desc = descriptor(sel);
        int attr = descAttributes(desc);
        int dpl = (attr >> SegmentCache.ATTR_DPL_SHIFT) & 3;
        if ((attr & SegmentCache.ATTR_S) == 0 || (attr & 8) == 0 || dpl > cpl) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        if ((attr & SegmentCache.ATTR_P) == 0) {
            throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
        }
        boolean conforming = (attr & 4) != 0;
        int newCpl = conforming ? cpl : dpl;
        long fl = f.get();
        int oldCs = s.segments[CpuState.CS].selector;
        int oldSs = s.segments[CpuState.SS].selector;
        long oldSp = s.gpr[CpuState.RSP];
        long ssBase;
        long sp;
        boolean big;
        if (newCpl < cpl) {
            long tss = s.tr.base;
            long newSp = mmu.read(tss + 4 + 8L * newCpl, 4);
            int newSs = (int) mmu.read(tss + 8 + 8L * newCpl, 2);
            loadCode(sel, desc, newCpl);
            loadSegment(CpuState.SS, newSs);
            ssBase = s.segments[CpuState.SS].base;
            big = (s.segments[CpuState.SS].attributes & SegmentCache.ATTR_DB) != 0;
            sp = newSp;
            sp = pushOn(ssBase, sp, big, size, oldSs);
            sp = pushOn(ssBase, sp, big, size, oldSp);
        } else {
            ssBase = s.segments[CpuState.SS].base;
            big = (s.segments[CpuState.SS].attributes & SegmentCache.ATTR_DB) != 0;
            sp = oldSp;
        }
        sp = pushOn(ssBase, sp, big, size, fl);
        sp = pushOn(ssBase, sp, big, size, oldCs);
        sp = pushOn(ssBase, sp, big, size, returnRip);
        if (errorCode >= 0) {
            sp = pushOn(ssBase, sp, big, size, errorCode);
        }
        if (newCpl == cpl) {
            loadCode(sel, desc, newCpl);
        }
        s.gpr[CpuState.RSP] = big ? sp & 0xFFFFFFFFL : (s.gpr[CpuState.RSP] & ~0xFFFFL) | (sp & 0xFFFF);
        f.other &= ~(Flags.TF | Flags.NT | Flags.RF | Flags.VM);
        if ((type & 1) == 0) {
            f.other &= ~Flags.IF;
        }
        s.rip = gate32 ? off : off & 0xFFFF;
    }

    private long pushOn(long ssBase, long sp, boolean big, int size, long v) {
        sp -= size;
        long off = big ? sp & 0xFFFFFFFFL : sp & 0xFFFF;
        mmu.write((ssBase + off) & 0xFFFFFFFFL, size, v);
        return sp;
    }

    private void deliverLong(int vector, int errorCode, int kind, long returnRip) {
        if (vector * 16L + 15 > s.idtLimit) {
            throw GuestFault.gp(idtError(vector, kind));
        }
        long addr = s.idtBase + vector * 16L;
        long lo = mmu.read64(addr);
        long hi = mmu.read64(addr + 8);
        int type = (int) (lo >>> 40) & 0x1F;
        int gateDpl = (int) (lo >>> 45) & 3;
        int cpl = cpl();
        if (type != 0x0E && type != 0x0F) {
            throw GuestFault.gp(idtError(vector, kind));
        }
        if (kind == KIND_SOFTWARE && gateDpl < cpl) {
            throw GuestFault.gp(idtError(vector, kind));
        }
        if ((lo & (1L << 47)) == 0) {
            throw new GuestFault(GuestFault.NP, idtError(vector, kind));
        }
        int sel = (int) (lo >>> 16) & 0xFFFF;
        long off = (lo & 0xFFFF) | ((lo >>> 32) & 0xFFFF0000L) | (hi << 32);
        int ist = (int) (lo >>> 32) & 7;
        if ((sel & 0xFFFC) == 0) {
            throw GuestFault.gp(kind == KIND_EXTERNAL ? 1 : 0);
        }
        long desc = descriptor(sel);
        int attr = descAttributes(desc);
        int dpl = (attr >> SegmentCache.ATTR_DPL_SHIFT) & 3;
        if ((attr & SegmentCache.ATTR_S) == 0 || (attr & 8) == 0 || dpl > cpl
                || (attr & SegmentCache.ATTR_L) == 0 || (attr & SegmentCache.ATTR_DB) != 0) {
            throw GuestFault.gp(sel & 0xFFFC);
        }
        if ((attr & SegmentCache.ATTR_P) == 0) {
            throw new GuestFault(GuestFault.NP, sel & 0xFFFC);
        }
        int newCpl = (attr & 4) != 0 ? cpl : dpl;
        long fl = f.get();
        int oldCs = s.segments[CpuState.CS].selector;
        int oldSs = s.segments[CpuState.SS].selector;
        long oldSp = s.gpr[CpuState.RSP];
        long sp;
        if (ist != 0) {
            sp = mmu.read64(s.tr.base + 0x24 + 8L * (ist - 1));
        } else if (newCpl < cpl) {
            sp = mmu.read64(s.tr.base + 4 + 8L * newCpl);
        } else {
            sp = oldSp;
        }
        sp &= ~0xFL;
        long[] frame = {oldSs, oldSp, fl, oldCs, returnRip};
        for (long v : frame) {
            sp -= 8;
            mmu.write(sp, 8, v);
        }
        if (errorCode >= 0) {
            sp -= 8;
            mmu.write(sp, 8, errorCode);
        }
        loadCode(sel, desc, newCpl);
        if (newCpl < cpl) {
            s.segments[CpuState.SS].load(newCpl, 0, 0, 0);
        }
        s.gpr[CpuState.RSP] = sp;
        f.other &= ~(Flags.TF | Flags.NT | Flags.RF | Flags.VM);
        if ((type & 1) == 0) {
            f.other &= ~Flags.IF;
        }
        s.rip = off;
    }
}
