package org.varsgen.emulator.devices;

import java.util.function.IntConsumer;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.cpu.InterruptPins;
import org.varsgen.emulator.cpu.LocalApicRegisters;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The bootstrap processor's local APIC in xAPIC mode, as QEMU 7.2's TCG "apic" device presents
 * it: MMIO registers at the APIC base (0xFEE00000 after reset), version 0x14 with six LVT
 * entries, TPR/PPR priority, ISR/TMR/IRR, the ICR with fixed, lowest-priority, SMI, NMI, INIT
 * and STARTUP delivery, and the APIC timer counting the 1 GHz APIC bus clock (QEMU's
 * nanosecond clock) through the divide configuration, one-shot or periodic.
 *
 * <p>It is also the CPU's {@link InterruptPins}: maskable interrupts are the APIC's own vectors
 * and, through LINT0 in ExtINT mode (virtual wire), the 8259 pair's INTA cycle. SMI, NMI and
 * INIT arrive through {@link #raiseSmi()}, {@link #raiseNmi()}, {@link #raiseInit()} (the
 * chipset's APM port, for instance) or through IPIs; there is only this one CPU, so IPIs to any
 * other APIC ID reach nobody.
 *
 * <p>The CPU owns the IA32_APIC_BASE MSR (0x1B) and maps the MMIO page: it calls
 * {@link #readApicBaseMsr()}/{@link #writeApicBaseMsr(long)} and maps {@link #region()} at
 * {@link #mmioBase()} while {@link #globallyEnabled()}; it also routes CR8 to {@link #cr8()}.
 * x2APIC is not implemented: the CPU does not advertise it.
 */
public final class LocalApic implements InterruptPins, LocalApicRegisters, RegionHandler, ApicMessageSink {
    public static final long DEFAULT_BASE = 0xFEE00000L;
    /** QEMU's apic_io_ops: any 1-4 byte access, all implemented; narrower than 4 reads 0 and writes nothing. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 4);
    /** QEMU's default APIC version property, with (LVT count - 1) in bits 16-23. */
    public static final int VERSION = 0x14 | (5 << 16);

    public static final int LVT_TIMER = 0;
    public static final int LVT_THERMAL = 1;
    public static final int LVT_PERF = 2;
    public static final int LVT_LINT0 = 3;
    public static final int LVT_LINT1 = 4;
    public static final int LVT_ERROR = 5;

    private Runnable changeListener = () -> { };
    private static final int LVT_MASKED = 1 << 16;
    private static final int LVT_LEVEL = 1 << 15;
    private static final int LVT_TIMER_PERIODIC = 1 << 17;
    private static final int SVR_ENABLE = 1 << 8;
    private static final long MSR_BSP = 1 << 8;
    private static final long MSR_ENABLE = 1 << 11;
    private static final long MSR_BASE_MASK = 0xFFFFF000L;
    private static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    private static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    private static final int ESR_ILLEGAL_ADDRESS = 1 << 7;

    private final VirtualClock clock;
    private final VirtualClock.Timer timer;
    private DualPic pic;
    private IntConsumer eoiBroadcast = vector -> { };
    private Runnable timerReadHook = () -> { };

    private int id;
    private long apicBase;
    private int tpr;
    private int svr;
    private int logicalDestination;
    private int destinationFormat;
    private final int[] isr = new int[8];
    private final int[] tmr = new int[8];
    private final int[] irr = new int[8];
    private int esr;
    private int pendingErrors;
    private int icrLow;
    private int icrHigh;
    private final int[] lvt = new int[6];
    private int divideConfig;
    private int countShift;
    private long initialCount;
    private long loadTime;
    private long nextTime;

    private boolean lint0Level;
    private boolean lint1Level;
    private boolean smi;
    private boolean nmi;
    private boolean init;

    public LocalApic(VirtualClock clock, int apicId) {
        this.clock = clock;
        this.timer = clock.newTimer("apic-timer", this::timerExpired);
        this.id = apicId & 0xFF;
        reset();
    }

    /** Power-on reset: base 0xFEE00000, enabled, BSP; every LVT masked, software disabled (SVR 0xFF). */
    public void reset() {
        apicBase = DEFAULT_BASE | MSR_BSP | MSR_ENABLE;
        initReset();
    }

    /** The state an INIT signal leaves (QEMU's apic_init_reset): keeps the ID and the base MSR. */
    public void initReset() {
        try {
            tpr = 0;
            svr = 0xFF;
            logicalDestination = 0;
            destinationFormat = 0xF;
            java.util.Arrays.fill(isr, 0);
            java.util.Arrays.fill(tmr, 0);
            java.util.Arrays.fill(irr, 0);
            java.util.Arrays.fill(lvt, LVT_MASKED);
            esr = 0;
            pendingErrors = 0;
            icrLow = 0;
            icrHigh = 0;
            divideConfig = 0;
            countShift = 0;
            initialCount = 0;
            loadTime = 0;
            nextTime = 0;
            timer.cancel();
        } finally {
            changeListener.run();
        }
    }

    /** Wires the 8259 pair: its INT output becomes LINT0 and INTA goes to it. */
    public void connectPic(DualPic dualPic) {
        this.pic = dualPic;
        dualPic.setOutput(this::setLint0);
    }

    /** Called with the vector of every EOI of a level-triggered interrupt (the IOAPIC's EOI broadcast). */
    public void setEoiBroadcast(IntConsumer listener) {
        this.eoiBroadcast = listener;
    }

    /** Runs before a read of the timer's current count, so that the board can charge virtual time for polling. */
    public void setTimerReadHook(Runnable hook) {
        this.timerReadHook = hook;
    }

    public Region region() {
        return Region.mmio("apic-msi", mmioBase(), 0x1000, this, ACCESS);
    }

    // ---- what the CPU needs ----

    @Override
    public long readApicBaseMsr() {
        return apicBase;
    }

    /**
     * WRMSR IA32_APIC_BASE, as QEMU's apic_set_base: the base moves, the BSP flag is read-only,
     * and clearing the global enable also clears the SVR software enable; as in QEMU the APIC
     * cannot be re-enabled without a reset. The CPU also clears CPUID.1:EDX.APIC then.
     */
    @Override
    public void writeApicBaseMsr(long value) {
        try {
            apicBase = (value & MSR_BASE_MASK) | (apicBase & (MSR_BSP | MSR_ENABLE));
            if ((value & MSR_ENABLE) == 0) {
                apicBase &= ~MSR_ENABLE;
                svr &= ~SVR_ENABLE;
            }
        } finally {
            changeListener.run();
        }
    }

    public long mmioBase() {
        return apicBase & MSR_BASE_MASK;
    }

    public boolean globallyEnabled() {
        return (apicBase & MSR_ENABLE) != 0;
    }

    public int id() {
        return id;
    }

    /** MOV from CR8: the TPR's priority class. */
    @Override
    public int cr8() {
        return tpr >> 4;
    }

    /** MOV to CR8. */
    @Override
    public void writeCr8(long value) {
        try {
            tpr = (int) (value & 0xF) << 4;
        } finally {
            changeListener.run();
        }
    }

    /**
     * Called after every change that can make an interrupt, NMI, SMI or INIT deliverable (or stop
     * it being so), so the CPU need not poll the pins at every instruction boundary
     * ({@code Cpu.setPinsChangeNotification}).
     */
    public void setChangeListener(Runnable listener) {
        changeListener = listener;
    }

    // ---- signals from the chipset ----

    public void raiseSmi() {
        try {
            smi = true;
        } finally {
            changeListener.run();
        }
    }

    public void raiseNmi() {
        try {
            nmi = true;
        } finally {
            changeListener.run();
        }
    }

    public void raiseInit() {
        try {
            init = true;
        } finally {
            changeListener.run();
        }
    }

    /** LINT0 input level (the 8259 pair's INT output in a PC). */
    public void setLint0(boolean level) {
        try {
            boolean rising = level && !lint0Level;
            lint0Level = level;
            int entry = lvt[LVT_LINT0];
            if ((entry & LVT_MASKED) != 0) {
                return;
            }
            int mode = (entry >> 8) & 7;
            if (mode == ApicMessageSink.FIXED && (entry & LVT_LEVEL) != 0 && !level) {
                clearBit(irr, entry & 0xFF);   // a level-triggered LINT0 request goes away with the line
            } else if (rising) {
                localDeliver(LVT_LINT0);
            }
        } finally {
            changeListener.run();
        }
    }

    /** LINT1 input level (the external NMI line in a PC). */
    public void setLint1(boolean level) {
        try {
            boolean rising = level && !lint1Level;
            lint1Level = level;
            if (rising) {
                localDeliver(LVT_LINT1);
            }
        } finally {
            changeListener.run();
        }
    }

    // ---- InterruptPins ----

    private boolean extIntPending() {
        if (pic == null || !lint0Level) {
            return false;
        }
        if (!globallyEnabled()) {
            return true;   // a disabled APIC passes the PIC's INTR straight through
        }
        int entry = lvt[LVT_LINT0];
        return (entry & LVT_MASKED) == 0 && ((entry >> 8) & 7) == ApicMessageSink.EXTINT;
    }

    /** The highest IRR vector the current priority lets through, or -1. */
    private int deliverableVector() {
        if (!globallyEnabled() || (svr & SVR_ENABLE) == 0) {
            return -1;
        }
        int vector = highest(irr);
        if (vector < 0 || (vector >> 4) <= (ppr() >> 4)) {
            return -1;
        }
        return vector;
    }

    @Override
    public boolean interruptPending() {
        return extIntPending() || deliverableVector() >= 0;
    }

    @Override
    public int acknowledgeInterrupt() {
        if (extIntPending()) {
            return pic.acknowledge();
        }
        int vector = deliverableVector();
        if (vector < 0) {
            return svr & 0xFF;   // the request vanished: the spurious-interrupt vector
        }
        clearBit(irr, vector);
        setBit(isr, vector);
        return vector;
    }

    @Override
    public boolean takeNmi() {
        boolean was = nmi;
        nmi = false;
        return was;
    }

    @Override
    public boolean takeSmi() {
        boolean was = smi;
        smi = false;
        return was;
    }

    @Override
    public boolean takeInit() {
        boolean was = init;
        init = false;
        return was;
    }

    // ---- the APIC bus ----

    @Override
    public void deliver(int destination, boolean logical, int deliveryMode, int vector, boolean level) {
        if (accepts(destination & 0xFF, logical)) {
            accept(deliveryMode, vector & 0xFF, level);
        }
    }

    /** An MSI write (address in the 0xFEExxxxx window, data) from a PCI device. */
    public void deliverMsi(long address, int data) {
        int destination = (int) (address >> 12) & 0xFF;
        boolean logical = (address & (1 << 2)) != 0;
        deliver(destination, logical, (data >> 8) & 7, data & 0xFF, (data & (1 << 15)) != 0);
    }

    private boolean accepts(int destination, boolean logical) {
        if (!logical) {
            return destination == 0xFF || destination == id;
        }
        if (destinationFormat == 0xF) {      // flat model
            return (destination & logicalDestination) != 0;
        }
        return (destination & 0xF0) == (logicalDestination & 0xF0)   // cluster model
                && (destination & logicalDestination & 0x0F) != 0;
    }

    private void accept(int deliveryMode, int vector, boolean level) {
        try {
            switch (deliveryMode) {
                case ApicMessageSink.FIXED, ApicMessageSink.LOWEST_PRIORITY -> setIrr(vector, level);
                case ApicMessageSink.SMI -> smi = true;
                case ApicMessageSink.NMI -> nmi = true;
                case ApicMessageSink.INIT -> init = true;
                default -> { }   // STARTUP: a running BSP is not waiting for one; ExtINT comes through LINT0
            }
        } finally {
            changeListener.run();
        }
    }

    private void setIrr(int vector, boolean level) {
        if (vector < 16) {
            recordError(ESR_RECEIVE_ILLEGAL_VECTOR);
            return;
        }
        setBit(irr, vector);
        if (level) {
            setBit(tmr, vector);
        } else {
            clearBit(tmr, vector);
        }
    }

    private void localDeliver(int index) {
        try {
            int entry = lvt[index];
            if ((entry & LVT_MASKED) != 0) {
                return;
            }
            switch ((entry >> 8) & 7) {
                case ApicMessageSink.SMI -> smi = true;
                case ApicMessageSink.NMI -> nmi = true;
                case ApicMessageSink.FIXED -> setIrr(entry & 0xFF,
                        (index == LVT_LINT0 || index == LVT_LINT1) && (entry & LVT_LEVEL) != 0);
                default -> { }   // ExtINT is sampled by interruptPending(); INIT on an LVT is reserved
            }
        } finally {
            changeListener.run();
        }
    }

    /** Latches an error for the next ESR write and signals it through the error LVT, if unmasked. */
    private void recordError(int bit) {
        pendingErrors |= bit;
        localDeliver(LVT_ERROR);
    }

    private void sendIpi() {
        int mode = (icrLow >> 8) & 7;
        int vector = icrLow & 0xFF;
        boolean level = (icrLow & (1 << 15)) != 0;
        boolean assertLevel = (icrLow & (1 << 14)) != 0;
        if (mode == ApicMessageSink.INIT && level && !assertLevel) {
            return;   // INIT level de-assert: only synchronises arbitration IDs
        }
        if ((mode == ApicMessageSink.FIXED || mode == ApicMessageSink.LOWEST_PRIORITY) && vector < 16) {
            recordError(ESR_SEND_ILLEGAL_VECTOR);
            return;
        }
        switch ((icrLow >> 18) & 3) {
            case 0 -> deliver(icrHigh >>> 24, (icrLow & (1 << 11)) != 0, mode, vector, level);
            case 1, 2 -> accept(mode, vector, level);   // self, or all including self
            default -> { }                                // all excluding self: there is nobody else
        }
    }

    private void endOfInterrupt() {
        try {
            int vector = highest(isr);
            if (vector < 0) {
                return;
            }
            clearBit(isr, vector);
            if (testBit(tmr, vector)) {
                eoiBroadcast.accept(vector);
            }
        } finally {
            changeListener.run();
        }
    }

    /** Processor priority: the TPR or the class of the highest in-service vector, whichever is higher. */
    public int ppr() {
        int inService = highest(isr);
        int isrClass = inService < 0 ? 0 : inService >> 4;
        return (tpr >> 4) >= isrClass ? tpr : isrClass << 4;
    }

    // ---- the timer ----

    private void timerUpdate(long from) {
        if (nextTimerTime(from)) {
            timer.arm(nextTime);
        } else {
            timer.cancel();
        }
    }

    /** QEMU's apic_next_timer: the next expiry after {@code now}, one period being initial count + 1 ticks. */
    private boolean nextTimerTime(long now) {
        int entry = lvt[LVT_TIMER];
        if ((entry & LVT_MASKED) != 0) {
            return false;
        }
        long ticks = (now - loadTime) >> countShift;
        if ((entry & LVT_TIMER_PERIODIC) != 0) {
            if (initialCount == 0) {
                return false;
            }
            ticks = (ticks / (initialCount + 1) + 1) * (initialCount + 1);
        } else {
            if (ticks >= initialCount) {
                return false;
            }
            ticks = initialCount + 1;
        }
        nextTime = loadTime + (ticks << countShift);
        return true;
    }

    private void timerExpired() {
        localDeliver(LVT_TIMER);
        timerUpdate(nextTime);
    }

    private long currentCount() {
        long ticks = (clock.now() - loadTime) >> countShift;
        if ((lvt[LVT_TIMER] & LVT_TIMER_PERIODIC) != 0) {
            return initialCount - ticks % (initialCount + 1);
        }
        return ticks >= initialCount ? 0 : initialCount - ticks;
    }

    // ---- MMIO ----

    @Override
    public long read(long offset, int size) {
        if (size < 4) {
            return 0;
        }
        int index = (int) (offset >> 4) & 0xFF;
        return switch (index) {
            case 0x02 -> (long) id << 24;
            case 0x03 -> VERSION;
            case 0x08 -> tpr;
            case 0x09 -> 0;                       // arbitration priority: not modelled, as in QEMU
            case 0x0A -> ppr();
            case 0x0B -> 0;                       // EOI is write-only
            case 0x0D -> (long) logicalDestination << 24;
            case 0x0E -> ((long) destinationFormat << 28) | 0x0FFFFFFF;
            case 0x0F -> svr;
            case 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17 -> isr[index & 7] & 0xFFFFFFFFL;
            case 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F -> tmr[index & 7] & 0xFFFFFFFFL;
            case 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27 -> irr[index & 7] & 0xFFFFFFFFL;
            case 0x28 -> esr;
            case 0x30 -> icrLow & 0xFFFFFFFFL;
            case 0x31 -> icrHigh & 0xFFFFFFFFL;
            case 0x32, 0x33, 0x34, 0x35, 0x36, 0x37 -> lvt[index - 0x32] & 0xFFFFFFFFL;
            case 0x38 -> initialCount;
            case 0x39 -> {
                timerReadHook.run();
                yield currentCount();
            }
            case 0x3E -> divideConfig;
            default -> {
                recordError(ESR_ILLEGAL_ADDRESS);
                esr |= ESR_ILLEGAL_ADDRESS;     // QEMU shows this one without the ESR write
                yield 0;
            }
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        try {
            if (size < 4) {
                return;
            }
            int index = (int) (offset >> 4) & 0xFF;
            int v = (int) value;
            if (index == 0) {
                deliverMsi(mmioBase() + offset, v);   // MSI writes share the page, as in QEMU
                return;
            }
            switch (index) {
                case 0x02 -> id = v >>> 24;
                case 0x08 -> tpr = v & 0xFF;
                case 0x0B -> endOfInterrupt();
                case 0x0D -> logicalDestination = v >>> 24;
                case 0x0E -> destinationFormat = v >>> 28;
                case 0x0F -> svr = v & 0x1FF;          // no EOI-broadcast suppression: version bit 24 is clear
                case 0x28 -> {                        // a write latches the errors seen since the last one
                    esr = pendingErrors;
                    pendingErrors = 0;
                }
                case 0x30 -> {
                    icrLow = v & ~(1 << 12);          // delivery status: always idle, delivery is instant
                    sendIpi();
                }
                case 0x31 -> icrHigh = v;
                case 0x32, 0x33, 0x34, 0x35, 0x36, 0x37 -> writeLvt(index - 0x32, v);
                case 0x38 -> {
                    initialCount = value & 0xFFFFFFFFL;
                    loadTime = clock.now();
                    timerUpdate(loadTime);
                }
                case 0x3E -> {
                    divideConfig = v & 0xB;
                    int code = (divideConfig & 3) | ((divideConfig >> 1) & 4);
                    countShift = (code + 1) & 7;
                }
                case 0x03, 0x09, 0x0A, 0x39 -> { }    // read-only
                case 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                     0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
                     0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27 -> { }
                default -> {
                    recordError(ESR_ILLEGAL_ADDRESS);
                    esr |= ESR_ILLEGAL_ADDRESS;
                }
            }
        } finally {
            changeListener.run();
        }
    }

    private void writeLvt(int n, int value) {
        lvt[n] = value & ~(1 << 12);              // delivery status is read-only
        if (n == LVT_TIMER) {
            timerUpdate(clock.now());
        } else if (n == LVT_LINT0 && lint0Level && (value & LVT_MASKED) == 0) {
            localDeliver(LVT_LINT0);              // an unmasked input already high is seen at once
        }
    }

    // ---- introspection for tests and the debugger ----

    public boolean irrBit(int vector) {
        return testBit(irr, vector);
    }

    public boolean isrBit(int vector) {
        return testBit(isr, vector);
    }

    public int lvt(int index) {
        return lvt[index];
    }

    private static int highest(int[] bits) {
        for (int i = 7; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 32 + 31 - Integer.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }

    private static void setBit(int[] bits, int n) {
        bits[n >> 5] |= 1 << (n & 31);
    }

    private static void clearBit(int[] bits, int n) {
        bits[n >> 5] &= ~(1 << (n & 31));
    }

    private static boolean testBit(int[] bits, int n) {
        return (bits[n >> 5] & (1 << (n & 31))) != 0;
    }
}
