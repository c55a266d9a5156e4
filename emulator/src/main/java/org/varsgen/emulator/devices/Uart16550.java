package org.varsgen.emulator.devices;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

/**
 * A 16550A UART as QEMU's "serial" device presents it: eight registers with the divisor latch
 * behind LCR.DLAB, 16-byte receive and transmit FIFOs with the receive trigger levels 1, 4, 8
 * and 14, the interrupt identification priorities (line status, received data or character
 * timeout, transmitter empty, modem status), loopback, and the scratch register.
 *
 * <p>The host side is a byte stream: {@link #setOutput(IntConsumer)} receives every transmitted
 * byte, and {@link #queueInput(byte[])} queues bytes for the guest. Transmission is instant (no
 * baud-rate timing): THR empties as soon as it is written. Queued input enters the receiver
 * whenever it has room, the way QEMU's character backends wait for the UART to accept, so the
 * host never causes an overrun. The only timing is the character timeout of the FIFO mode,
 * four character times at the programmed rate, on the virtual clock.
 *
 * <p>As in QEMU, MCR.OUT2 does not gate the interrupt line.
 */
public final class Uart16550 implements RegionHandler {
    /** QEMU's serial_io_ops: bytes implemented, any access up to 4 bytes valid. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 1);
    public static final int FIFO_SIZE = 16;
    /** The 1.8432 MHz crystal divided by 16: the rate for divisor 1. */
    public static final int BAUD_BASE = 115_200;

    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_BI = 0x10;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;
    static final int LSR_ERRORS = 0x1E;
    static final int IER_RDI = 0x01;
    static final int IER_THRI = 0x02;
    static final int IER_RLSI = 0x04;
    static final int IER_MSI = 0x08;
    static final int IIR_NO_INT = 0x01;
    static final int IIR_MSI = 0x00;
    static final int IIR_THRI = 0x02;
    static final int IIR_RDI = 0x04;
    static final int IIR_RLSI = 0x06;
    static final int IIR_CTI = 0x0C;
    static final int IIR_FIFO_ENABLED = 0xC0;
    static final int FCR_FE = 0x01;
    static final int FCR_RFR = 0x02;
    static final int FCR_XFR = 0x04;
    static final int MCR_LOOP = 0x10;
    static final int MCR_OUT2 = 0x08;
    static final int MSR_DELTAS = 0x0F;

    private final String name;
    private final long base;
    private final IrqLine irq;
    private final VirtualClock clock;
    private final VirtualClock.Timer timeoutTimer;
    private final ArrayDeque<Integer> hostInput = new ArrayDeque<>();
    private final ArrayDeque<Integer> rxFifo = new ArrayDeque<>();
    private IntConsumer output = b -> { };

    private int rbr;
    private int ier;
    private int iir;
    private int fcr;
    private int lcr;
    private int mcr;
    private int lsr;
    private int msr;
    private int scr;
    private int divisor;
    private int triggerLevel = 1;
    private boolean thrPending;
    private boolean timeoutPending;
    private boolean irqLevel;

    /**
     * @param name  for the trace; QEMU calls every UART's region "serial"
     * @param base  0x3F8 for COM1, 0x2F8 for COM2
     * @param irq   ISA IRQ 4 for COM1, 3 for COM2
     */
    public Uart16550(String name, long base, IrqLine irq, VirtualClock clock) {
        this.name = name;
        this.base = base;
        this.irq = irq;
        this.clock = clock;
        this.timeoutTimer = clock.newTimer(name + "-rx-timeout", this::characterTimeout);
        reset();
    }

    /** QEMU's serial_reset: 9600 8N1, OUT2 set, modem lines DCD, DSR and CTS up. */
    public void reset() {
        rbr = 0;
        ier = 0;
        iir = IIR_NO_INT;
        lcr = 0;
        lsr = LSR_TEMT | LSR_THRE;
        msr = 0xB0;
        divisor = 12;
        mcr = MCR_OUT2;
        scr = 0;
        fcr = 0;
        triggerLevel = 1;
        rxFifo.clear();
        thrPending = false;
        timeoutPending = false;
        timeoutTimer.cancel();
        irqLevel = false;
        irq.lower();
    }

    public Region region() {
        return Region.mmio("serial", base, 8, this, ACCESS);
    }

    public String name() {
        return name;
    }

    /** Where transmitted bytes go (not called in loopback mode). */
    public void setOutput(IntConsumer listener) {
        this.output = listener;
    }

    /** Queues bytes from the host for the guest to receive. */
    public void queueInput(byte[] bytes) {
        for (byte b : bytes) {
            hostInput.add(b & 0xFF);
        }
        pullInput();
    }

    /**
     * The modem status inputs as the host sets them (after reset DCD, DSR and CTS are up, RI
     * down). A change sets the matching delta bit (trailing edge only, for RI) and may raise
     * the modem status interrupt.
     */
    public void setModemInputs(boolean cts, boolean dsr, boolean ri, boolean dcd) {
        int lines = (cts ? 0x10 : 0) | (dsr ? 0x20 : 0) | (ri ? 0x40 : 0) | (dcd ? 0x80 : 0);
        int changed = (msr ^ lines) & 0xF0;
        int deltas = (changed >> 4) & 0x0B;                         // DCTS, DDSR, DDCD
        if ((changed & 0x40) != 0 && !ri) {
            deltas |= 0x04;                                         // TERI: RI went away
        }
        msr = lines | (msr & MSR_DELTAS) | deltas;
        updateIrq();
    }

    /** Bytes queued by the host that the guest has not yet taken into the receiver. */
    public int pendingInput() {
        return hostInput.size();
    }

    private boolean fifoEnabled() {
        return (fcr & FCR_FE) != 0;
    }

    private boolean loopback() {
        return (mcr & MCR_LOOP) != 0;
    }

    /** Moves host bytes into the receiver while it has room (never in loopback: the line is cut). */
    private void pullInput() {
        if (loopback()) {
            return;
        }
        boolean moved = false;
        while (!hostInput.isEmpty() && canReceive()) {
            receive(hostInput.poll());
            moved = true;
        }
        if (moved) {
            updateIrq();
        }
    }

    private boolean canReceive() {
        return fifoEnabled() ? rxFifo.size() < FIFO_SIZE : (lsr & LSR_DR) == 0;
    }

    /** One byte arriving at the receiver (from the host or the loopback). */
    private void receive(int b) {
        if (fifoEnabled()) {
            if (rxFifo.size() >= FIFO_SIZE) {
                lsr |= LSR_OE;
            } else {
                rxFifo.add(b);
            }
            armTimeout();
        } else {
            if ((lsr & LSR_DR) != 0) {
                lsr |= LSR_OE;
            }
            rbr = b;
        }
        lsr |= LSR_DR;
    }

    /** Four character times at the programmed rate and frame format. */
    long characterTimeNs() {
        int bits = 1 + (lcr & 3) + 5 + ((lcr & 0x08) != 0 ? 1 : 0) + ((lcr & 0x04) != 0 ? 2 : 1);
        long div = divisor == 0 ? 0x10000 : divisor;
        return bits * div * 1_000_000_000L / BAUD_BASE;
    }

    private void armTimeout() {
        timeoutTimer.arm(clock.now() + 4 * characterTimeNs());
    }

    private void characterTimeout() {
        if (fifoEnabled() && !rxFifo.isEmpty()) {
            timeoutPending = true;
            updateIrq();
        }
    }

    private void updateIrq() {
        int id;
        if ((ier & IER_RLSI) != 0 && (lsr & LSR_ERRORS) != 0) {
            id = IIR_RLSI;
        } else if ((ier & IER_RDI) != 0 && timeoutPending) {
            id = IIR_CTI;
        } else if ((ier & IER_RDI) != 0 && (lsr & LSR_DR) != 0
                && (!fifoEnabled() || rxFifo.size() >= triggerLevel)) {
            id = IIR_RDI;
        } else if ((ier & IER_THRI) != 0 && thrPending) {
            id = IIR_THRI;
        } else if ((ier & IER_MSI) != 0 && (msr & MSR_DELTAS) != 0) {
            id = IIR_MSI;
        } else {
            id = IIR_NO_INT;
        }
        iir = id | (iir & 0xF0);
        boolean level = id != IIR_NO_INT;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    @Override
    public long read(long offset, int size) {
        int reg = (int) offset & 7;
        switch (reg) {
            case 0:
                if ((lcr & 0x80) != 0) {
                    return divisor & 0xFF;
                }
                return readReceiver();
            case 1:
                return (lcr & 0x80) != 0 ? (divisor >> 8) & 0xFF : ier;
            case 2: {
                int value = iir;
                if ((value & 0x0F) == IIR_THRI) {
                    thrPending = false;     // reading IIR acknowledges the THRE interrupt
                    updateIrq();
                }
                return value;
            }
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5: {
                int value = lsr;
                if ((lsr & (LSR_BI | LSR_OE)) != 0) {
                    lsr &= ~(LSR_BI | LSR_OE);
                    updateIrq();
                }
                return value;
            }
            case 6: {
                if (loopback()) {
                    // The modem control outputs come back on the status inputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
                    return ((mcr & 0x0C) << 4) | ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5);
                }
                int value = msr;
                if ((msr & MSR_DELTAS) != 0) {
                    msr &= 0xF0;
                    updateIrq();
                }
                return value;
            }
            default:
                return scr;
        }
    }

    private int readReceiver() {
        int value;
        if (fifoEnabled()) {
            value = rxFifo.isEmpty() ? 0 : rxFifo.poll();
            if (rxFifo.isEmpty()) {
                lsr &= ~(LSR_DR | LSR_BI);
                timeoutTimer.cancel();
            } else {
                armTimeout();
            }
            timeoutPending = false;
        } else {
            value = rbr;
            lsr &= ~(LSR_DR | LSR_BI);
        }
        updateIrq();
        pullInput();
        return value;
    }

    @Override
    public void write(long offset, int size, long value) {
        int reg = (int) offset & 7;
        int v = (int) value & 0xFF;
        switch (reg) {
            case 0 -> {
                if ((lcr & 0x80) != 0) {
                    divisor = (divisor & 0xFF00) | v;
                } else {
                    transmit(v);
                }
            }
            case 1 -> {
                if ((lcr & 0x80) != 0) {
                    divisor = (divisor & 0x00FF) | (v << 8);
                } else {
                    int changed = (ier ^ v) & 0x0F;
                    ier = v & 0x0F;
                    if ((changed & IER_THRI) != 0) {
                        // Enabling the THRE interrupt while THR is empty interrupts at once.
                        thrPending = (ier & IER_THRI) != 0 && (lsr & LSR_THRE) != 0;
                    }
                    if (changed != 0) {
                        updateIrq();
                    }
                }
            }
            case 2 -> writeFcr(v);
            case 3 -> lcr = v;
            case 4 -> {
                boolean wasLoop = loopback();
                mcr = v & 0x1F;
                if (wasLoop && !loopback()) {
                    pullInput();
                }
            }
            case 5, 6 -> { }     // LSR and MSR are read-only here
            default -> scr = v;
        }
    }

    private void transmit(int b) {
        thrPending = false;
        if (loopback()) {
            receive(b);
        } else {
            output.accept(b);
        }
        // The byte leaves at once: THR and the shift register are empty again.
        lsr |= LSR_THRE | LSR_TEMT;
        thrPending = true;
        updateIrq();
    }

    private void writeFcr(int v) {
        if (v == fcr) {
            return;
        }
        if (((v ^ fcr) & FCR_FE) != 0) {
            v |= FCR_RFR | FCR_XFR;       // switching the FIFOs on or off flushes them
        }
        if ((v & FCR_RFR) != 0) {
            lsr &= ~(LSR_DR | LSR_BI);
            timeoutTimer.cancel();
            timeoutPending = false;
            rxFifo.clear();
        }
        if ((v & FCR_XFR) != 0) {
            lsr |= LSR_THRE;
            thrPending = true;
        }
        fcr = v & 0xC9;
        if (fifoEnabled()) {
            iir |= IIR_FIFO_ENABLED;
            triggerLevel = switch (v & 0xC0) {
                case 0x00 -> 1;
                case 0x40 -> 4;
                case 0x80 -> 8;
                default -> 14;
            };
        } else {
            iir &= ~IIR_FIFO_ENABLED;
        }
        updateIrq();
        pullInput();
    }
}
