package org.varsgen.emulator.cpu;

import org.varsgen.emulator.mmu.Mmu;

/**
 * Events at instruction boundaries and their delivery: SMI, NMI and INTR from the interrupt
 * pins (in that order, INTR only with IF set), INT n/INT3/INTO, and exceptions, through the
 * real-mode IVT, the 32-bit IDT (interrupt and trap gates, 16- and 32-bit gates, stack switch
 * from the TSS on a privilege change) and the 64-bit IDT (IST, RSP0-2); double fault by the
 * SDM's contributory/page-fault rules and triple fault as a shutdown.
 */
final class Events {
    private static final int KIND_EXCEPTION = 0, KIND_SOFTWARE = 1, KIND_EXTERNAL = 2;

    private final Cpu cpu;
    private final CpuState s;
    private final Mmu mmu;
    private final Flags f;
    private final SystemOps sys;
    private boolean pendingNmi;
    private boolean pendingSmi;
    /** An INIT taken outside SMM, to be acted on at the next instruction boundary. */
    private boolean pendingInit;
    private boolean nmiBlocked;

    Events(Cpu cpu, SystemOps sys) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.mmu = cpu.mmu;
        this.f = cpu.flags;
        this.sys = sys;
    }

    /** IRET ends the blocking of further NMIs. */
    void nmiReturned() {
        nmiBlocked = false;
    }

    /**
     * Whether the pins are sampled at every instruction boundary. When the board promises to call
     * {@link #pinsChanged()} whenever a pin may have become active (and for pins that never
     * carry anything), they are sampled only after such a call, and for as long as an interrupt
     * stays pending, latched or masked: the same events at the same boundaries, without a poll
     * of the interrupt controllers per instruction.
     */
    private boolean pollAlways;
    /** A pin may be active: sample them at the next boundary. */
    private boolean pinsSignalled = true;

    void setPollAlways(boolean always) {
        pollAlways = always;
        pinsSignalled = true;
    }

    void pinsChanged() {
        pinsSignalled = true;
    }

    /** True when step() would deliver an event now (for the idle check in run()). */
    boolean eventPending() {
        pollPins();
        boolean pending = pendingInit || pendingSmi && !s.smm || pendingNmi && !nmiBlocked && !s.smm
                || (f.other & Flags.IF) != 0 && cpu.pins.interruptPending();
        if (pending) {
            pinsSignalled = true;
        }
        return pending;
    }

    private void pollPins() {
        if (cpu.pins.takeSmi()) {
            pendingSmi = true;
        }
        if (cpu.pins.takeNmi()) {
            pendingNmi = true;
        }
        if (!s.smm && cpu.pins.takeInit()) {
            pendingInit = true;
        }
    }

    /** Delivers one pending SMI, NMI or interrupt; returns whether it did. */
    boolean deliverPendingEvent() {
        if (!pinsSignalled && !pollAlways && !pendingSmi && !pendingNmi && !pendingInit) {
            return false;
        }
        return sampleAndDeliver();
    }

    private boolean sampleAndDeliver() {
        pollPins();
        if (pendingInit) {
            pendingInit = false;
            cpu.initReset();
            return true;
        }
        if (pendingSmi && !s.smm) {
            if (sys.smm != null) {
                pendingSmi = false;
                s.halted = false;
                sys.smm.enter();
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
        // Nothing delivered: keep sampling while an interrupt waits (masked by IF, or behind an
        // SMI/NMI that is held), else until the board signals a change.
        pinsSignalled = cpu.pins.interruptPending();
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
        if (!sys.protectedMode()) {
            deliverReal(vector, returnRip);
        } else if (sys.longMode()) {
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
        int cpl = sys.cpl();
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
        long desc = sys.descriptor(sel);
        int attr = SystemOps.descAttributes(desc);
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
            sys.loadCode(sel, desc, newCpl);
            sys.loadSegment(CpuState.SS, newSs);
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
            sys.loadCode(sel, desc, newCpl);
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
        int cpl = sys.cpl();
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
        long desc = sys.descriptor(sel);
        int attr = SystemOps.descAttributes(desc);
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
        sys.loadCode(sel, desc, newCpl);
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
