package org.varsgen.emulator.cpu;

import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.cpu.decode.Decoder;
import org.varsgen.emulator.cpu.decode.Insn;
import org.varsgen.emulator.mmu.Mmu;
import org.varsgen.emulator.mmu.PageWalker;
import org.varsgen.emulator.time.VirtualClock;

/**
 * One x86-64 processor: the public face of the CPU core. It owns the architectural state, the
 * lazy flags, the MMU and the decode cache, and runs the interpreter one instruction at a time,
 * delivering exceptions and interrupts between instructions.
 *
 * <p>Guest time: each retired instruction advances the virtual clock by 1 ns, and due timers
 * run between instructions. A REP string instruction retires once per step it runs in (up to
 * 2^20 iterations each).
 */
public final class Cpu {
    private static final Logger LOG = Logger.getLogger(Cpu.class.getName());

    final CpuState state = new CpuState();
    final Flags flags = new Flags();
    final Mmu mmu;
    final IoBus io;
    final InterruptPins pins;
    final VirtualClock clock;
    final Msrs msrs = new Msrs();
    final CpuidModel cpuid = new CpuidModel();
    final X87 x87 = new X87();
    private final DecodeCache decodeCache;
    private final Interpreter interpreter;
    final SystemOps sys;
    final Events events;
    private final Smm smm;

    private boolean trapExceptions;
    private int lastException = -1;
    private int lastErrorCode = -1;
    private long retired;
    private long tscOffset;
    /** Set by STI (when IF was clear), MOV SS and POP SS: no interrupt before the next instruction ends. */
    boolean interruptShadow;
    /** A triple fault happened: the processor is shut down until reset. */
    private boolean shutdown;
    private final Set<String> loggedInvalid = new HashSet<>();
    /** The CS descriptor cache (the segment registers' objects are never replaced). */
    private final SegmentCache codeSegment = state.segments[CpuState.CS];

    public Cpu(PhysicalMemory memory, IoBus io, InterruptPins pins, VirtualClock clock) {
        this.io = io;
        this.pins = pins;
        this.clock = clock;
        this.mmu = new Mmu(memory, state);
        this.decodeCache = new DecodeCache(mmu);
        mmu.setCodePageListener(decodeCache);
        this.sys = new SystemOps(this);
        this.events = new Events(this, sys);
        this.smm = new Smm(this);
        sys.smm = smm;
        this.interpreter = new Interpreter(this);
        events.setPollAlways(pins != InterruptPins.NONE);
        powerOnReset();
    }

    /**
     * The board declares ({@code true}) that it calls {@link #pinsChanged()} whenever one of the
     * interrupt pins may have become active: INTR asserted or a new vector accepted by the
     * interrupt controllers, NMI, SMI or INIT raised. The CPU then samples the pins only after
     * such a call, and while an interrupt stays pending, instead of at every instruction
     * boundary; events are delivered at exactly the same boundaries. Without the declaration
     * the pins are sampled at every boundary (except {@link InterruptPins#NONE}, which never
     * has anything to sample).
     */
    public void setPinsChangeNotification(boolean notifies) {
        events.setPollAlways(!notifies && pins != InterruptPins.NONE);
    }

    /** Tells the CPU that an interrupt pin may have become active (see {@link #setPinsChangeNotification}). */
    public void pinsChanged() {
        events.pinsChanged();
    }

    public CpuState state() {
        return state;
    }

    public Mmu mmu() {
        return mmu;
    }

    /** The CPUID model, for the board to choose its options (e.g. 1 GiB pages) before the guest runs. */
    public CpuidModel cpuid() {
        return cpuid;
    }

    public Msrs msrs() {
        return msrs;
    }

    /** RFLAGS with the lazily kept arithmetic flags computed; bit 1 always set. */
    public long rflags() {
        return flags.get();
    }

    public void setRflags(long value) {
        flags.setAll(value);
    }

    /**
     * Registers the chipset's hook for SMM entry (true) and RSM (false), e.g. to switch SMRAM
     * visibility. Called after the save state is written on entry, and after it is read on exit.
     */
    public void setSmmListener(java.util.function.Consumer<Boolean> listener) {
        smm.listener = listener;
    }

    /** The local APIC that answers MSR 0x1B and CR8, or null for the CPU's own copies. */
    LocalApicRegisters localApic;

    /** Routes IA32_APIC_BASE and CR8 to the board's local APIC (as in QEMU, where they are APIC state). */
    public void setLocalApic(LocalApicRegisters apic) {
        this.localApic = apic;
    }

    /** True after a triple fault, until the next reset. */
    public boolean shutdown() {
        return shutdown;
    }

    /** The power-on state of the Intel SDM (volume 3, table 9-1), as QEMU sets it. */
    public void powerOnReset() {
        resetExecutionState();
        CpuState s = state;
        java.util.Arrays.fill(s.xmm, 0);
        s.mxcsr = 0x1F80;
        // x87 as QEMU resets it (FCW 037Fh, all registers empty) rather than the SDM's 0040h/5555h;
        // firmware runs FNINIT before any use.
        x87.reset(s);
        s.smbase = 0x30000;
        msrs.reset();
        tscOffset = -clock.now();
    }

    /**
     * The INIT signal (SDM 9.1, table 9-1): the processor restarts at the reset vector in real
     * mode like at power-on, but keeps its x87 and SSE state, the MSRs (MTRRs, PAT, APIC base,
     * ...), the TSC, SMBASE and CR0's cache bits. EFER is cleared with the rest of the mode
     * state. Taken only outside SMM: an INIT that arrives in SMM waits for RSM.
     */
    public void initReset() {
        long cacheBits = state.cr0 & (CpuState.CR0_CD | CpuState.CR0_NW);
        resetExecutionState();
        state.cr0 = (state.cr0 & ~(CpuState.CR0_CD | CpuState.CR0_NW)) | cacheBits;
    }

    /** What power-on and INIT both reset: registers, segments, descriptor tables, control and debug registers. */
    private void resetExecutionState() {
        CpuState s = state;
        java.util.Arrays.fill(s.gpr, 0);
        s.gpr[CpuState.RDX] = CpuidModel.SIGNATURE;
        s.rip = 0xFFF0;
        flags.setAll(2);
        for (int i = 0; i < 6; i++) {
            s.segments[i].load(0, 0, 0xFFFF, SegmentCache.ATTR_P | SegmentCache.ATTR_S | 3);
        }
        s.segments[CpuState.CS].load(0xF000, 0xFFFF0000L, 0xFFFF,
                SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB);
        s.ldtr.load(0, 0, 0xFFFF, SegmentCache.ATTR_P | 2);
        s.tr.load(0, 0, 0xFFFF, SegmentCache.ATTR_P | 0xB);
        s.gdtBase = 0;
        s.gdtLimit = 0xFFFF;
        s.idtBase = 0;
        s.idtLimit = 0xFFFF;
        s.cr0 = 0x60000010L;
        s.cr2 = s.cr3 = s.cr4 = s.cr8 = 0;
        s.efer = 0;
        java.util.Arrays.fill(s.dr, 0);
        s.dr[6] = 0xFFFF0FF0L;
        s.dr[7] = 0x400;
        s.smm = false;
        s.halted = false;
        interruptShadow = false;
        shutdown = false;
        mmu.user = false;
        mmu.smmChanged();
        decodeCache.clear();
    }

    public void setTrapExceptions(boolean trap) {
        this.trapExceptions = trap;
    }

    boolean trapsExceptions() {
        return trapExceptions;
    }

    public int lastException() {
        return lastException;
    }

    public int lastErrorCode() {
        return lastErrorCode;
    }

    public long retiredInstructions() {
        return retired;
    }

    /** The time-stamp counter: 1 GHz, i.e. guest nanoseconds, plus what WRMSR TSC set. */
    long tsc() {
        return clock.now() + tscOffset;
    }

    void writeTsc(long value) {
        tscOffset = value - clock.now();
    }

    /** Decode mode of the current code segment. */
    int decodeMode() {
        SegmentCache cs = codeSegment;
        if ((state.efer & CpuState.EFER_LMA) != 0 && (cs.attributes & SegmentCache.ATTR_L) != 0) {
            return Decoder.MODE64;
        }
        return (cs.attributes & SegmentCache.ATTR_DB) != 0 ? Decoder.MODE32 : Decoder.MODE16;
    }

    /**
     * Tells the CPU that something other than the CPU itself wrote guest physical memory (device
     * DMA, or a test loading code straight into the RAM array), so that decoded instructions of
     * those pages are dropped. CPU stores need no such call.
     */
    public void physicalMemoryWritten(long address, long length) {
        if (length <= 0) {
            return;
        }
        for (long page = address & ~0xFFFL; page < address + length; page += 4096) {
            if (decodeCache.isCodePage(page)) {
                decodeCache.codePageWritten(page);
            }
        }
    }

    /**
     * Drops all decoded instructions and TLB entries (the TLB is otherwise flushed only by the
     * architectural events; bus routing changes are noticed by themselves).
     */
    public void flushCaches() {
        decodeCache.clear();
        mmu.flush(false);
    }

    /** Executes one instruction, or delivers one pending event. */
    public void step() {
        lastException = -1;
        lastErrorCode = -1;
        if (shutdown) {
            return;
        }
        long gen = mmu.memory().mappingGeneration();
        if (gen != mappingGeneration) {
            mappingGeneration = gen;
            flushCaches();
        }
        boolean shadow = interruptShadow;
        interruptShadow = false;
        if (!shadow && events.deliverPendingEvent()) {
            return;
        }
        if (state.halted) {
            return;
        }
        CpuState s = state;
        long startRip = s.rip;
        long startRsp = s.gpr[CpuState.RSP];
        savedFlags.copyFrom(flags);
        try {
            Insn d = fetch();
            interpreter.execute(d);
            retired++;
            clock.advance(1);
        } catch (GuestFault f) {
            s.rip = startRip;
            s.gpr[CpuState.RSP] = startRsp;
            flags.copyFrom(savedFlags);
            interruptShadow = false;
            if (trapExceptions) {
                lastException = f.vector;
                lastErrorCode = f.errorCode;
            } else {
                events.deliverException(f.vector, f.errorCode);
            }
        }
        if (clock.timerDue()) {
            clock.runDueTimers();
        }
    }

    private long mappingGeneration = Long.MIN_VALUE;
    /** The flags before the current instruction, restored when it faults. */
    private final Flags savedFlags = new Flags();

    /**
     * Makes {@link #run} return after the current instruction: for devices that end the
     * machine's run (power-off, reset) from inside an I/O access.
     */
    public void requestStop() {
        stopRequested = true;
    }

    private boolean stopRequested;

    /**
     * Runs until HLT with nothing pending, a shutdown, {@code maxInstructions} retired, or a
     * {@link #requestStop()} made during the run.
     */
    public long run(long maxInstructions) {
        long start = retired;
        stopRequested = false;
        while (retired - start < maxInstructions && !shutdown && !stopRequested) {
            if (state.halted && !events.eventPending()) {
                break;
            }
            step();
            if (trapExceptions && lastException >= 0) {
                break;
            }
        }
        return retired - start;
    }

    /*
     * The page being executed: its linear page number, the MMU's user flag and epoch when it was
     * looked up, and its decoded instructions. While the epoch is unchanged (no TLB flush, INVLPG
     * or dropped code page) the translation is the one the fetch TLB would give, so the next
     * instruction on the page needs neither a TLB nor a decode-cache lookup. The page executed
     * before it is kept too ("other": loops and calls often span two pages), for as long as its
     * fetch-TLB entry cannot have been replaced: it is dropped when a fetch-TLB fill uses its
     * slot; both are dropped whenever an instruction is decoded (its byte fetches may fill
     * entries, also of the next page).
     */
    private long fetchPage = -1;
    private boolean fetchUser;
    private int fetchEpoch;
    private Insn[] fetchInsns;
    private long otherPage = -1;
    private boolean otherUser;
    private int otherEpoch;
    private Insn[] otherInsns;

    private Insn fetch() {
        CpuState s = state;
        int mode = decodeMode();
        long lin = mode == Decoder.MODE64 ? s.rip : (codeSegment.base + s.rip) & 0xFFFFFFFFL;
        if ((lin >>> 12) == fetchPage && mmu.epoch() == fetchEpoch && mmu.user == fetchUser) {
            Insn d = fetchInsns[(int) (lin & 0xFFF)];
            if (d != null && d.mode == mode) {
                return d;
            }
        }
        return fetchSlow(lin, mode);
    }

    private Insn fetchSlow(long lin, int mode) {
        long linPage = lin >>> 12;
        if (linPage == otherPage && mmu.epoch() == otherEpoch && mmu.user == otherUser) {
            Insn d = otherInsns[(int) (lin & 0xFFF)];
            if (d != null && d.mode == mode) {
                swapFetchPages();
                return d;
            }
        }
        long phys = mmu.translate(lin, PageWalker.EXEC);
        Insn d = decodeCache.lookup(phys, mode);
        if (d == null) {
            d = decode(lin, mode);
            if ((lin & 0xFFF) + d.len <= 4096) {
                decodeCache.store(phys, d);
            }
        }
        if (fetchPage != linPage) {
            swapFetchPages();
        }
        if (otherPage != -1 && Mmu.tlbSlot(otherPage << 12) == Mmu.tlbSlot(lin)) {
            otherPage = -1;
            otherInsns = null;
        }
        Insn[] page = decodeCache.page(phys & ~0xFFFL);
        fetchPage = page == null ? -1 : linPage;
        fetchUser = mmu.user;
        fetchEpoch = mmu.epoch();
        fetchInsns = page;
        return d;
    }

    private void swapFetchPages() {
        long page = fetchPage;
        boolean user = fetchUser;
        int epoch = fetchEpoch;
        Insn[] insns = fetchInsns;
        fetchPage = otherPage;
        fetchUser = otherUser;
        fetchEpoch = otherEpoch;
        fetchInsns = otherInsns;
        otherPage = page;
        otherUser = user;
        otherEpoch = epoch;
        otherInsns = insns;
    }

    private Insn decode(long lin, int mode) {
        // The decoder's byte fetches may fill (and so replace) fetch-TLB entries of kept pages.
        fetchPage = -1;
        otherPage = -1;
        Insn n = new Insn();
        try {
            Decoder.decode(off -> mmu.fetch8(lin + off), mode, n);
        } catch (GuestFault f) {
            if (f.vector == GuestFault.UD || f.vector == GuestFault.GP) {
                logInvalid(lin, mode);
            }
            throw f;
        }
        return n;
    }

    private void logInvalid(long lin, int mode) {
        StringBuilder bytes = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            try {
                bytes.append(String.format("%02x", mmu.fetch8(lin + i)));
            } catch (GuestFault f) {
                break;
            }
        }
        String key = lin + ":" + bytes;
        if (loggedInvalid.add(key)) {
            LOG.warning(String.format("invalid or unimplemented instruction at %x (%d-bit code): %s",
                    lin, mode == 2 ? 64 : mode == 1 ? 32 : 16, bytes));
        }
    }

    void setInterruptShadow() {
        interruptShadow = true;
    }

    void enterShutdown() {
        shutdown = true;
        state.halted = true;
        LOG.warning(String.format("triple fault at rip %x: processor shut down", state.rip));
        shutdownListener.run();
    }

    private Runnable shutdownListener = () -> { };

    /**
     * Called on a triple fault, after the CPU entered the shutdown state: the board may reset
     * the machine (as QEMU does by default) or report a failure.
     */
    public void setShutdownListener(Runnable listener) {
        this.shutdownListener = listener;
    }
}
