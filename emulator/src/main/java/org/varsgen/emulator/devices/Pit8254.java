package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The 8254 programmable interval timer at 0x40-0x43, clocked at 1.193182 MHz from the virtual
 * clock. Channel 0 drives ISA IRQ 0; channel 2's gate and output belong to port 0x61
 * ({@link SpeakerPort}). Counts are computed from the time the count was loaded, never stepped.
 *
 * <p>Modes 0 (interrupt on terminal count), 2 (rate generator) and 3 (square wave) follow the
 * datasheet; 1 and 5 (gate-triggered) start counting on a rising gate; 4 (software strobe)
 * pulses OUT low for one clock at terminal count. Counter latch, read-back (count and status),
 * and LSB, MSB and LSB-then-MSB access work as on the chip. BCD counting is recorded in the
 * status byte but counts stay binary, as in QEMU. As QEMU's PIT does at reset, channel 0 runs
 * in mode 3 with a count of 65536 (about 18.2 Hz) until the firmware reprograms it.
 */
public final class Pit8254 implements RegionHandler {
    public static final long FREQUENCY_HZ = 1_193_182;
    /** QEMU's pit_ioport_ops: bytes implemented, any access up to 4 bytes valid. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 1);

    private static final long NS_PER_S = 1_000_000_000L;
    private static final int RW_LSB = 1;
    private static final int RW_MSB = 2;
    private static final int RW_WORD0 = 3;
    private static final int RW_WORD1 = 4;

    private final VirtualClock clock;
    private final Channel[] channels = {new Channel(), new Channel(), new Channel()};
    private final VirtualClock.Timer irqTimer;
    private final IrqLine irq0;
    private Runnable timerReadHook = () -> { };

    public Pit8254(VirtualClock clock, IrqLine irq0) {
        this.clock = clock;
        this.irq0 = irq0;
        this.irqTimer = clock.newTimer("pit-ch0", this::channel0Transition);
        reset();
    }

    public void reset() {
        long now = clock.now();
        for (int i = 0; i < 3; i++) {
            Channel c = channels[i];
            c.mode = 3;
            c.bcd = false;
            c.rwMode = 0;
            c.readState = 0;
            c.writeState = 0;
            c.countLatched = 0;
            c.statusLatched = false;
            c.gate = i != 2;
            c.triggered = true;
            c.waitingForCount = false;
            c.count = 0x10000;
            c.loadTime = now;
        }
        updateChannel0Irq(now);
    }

    /** Runs before a count is read, so that the board can charge virtual time for polling. */
    public void setTimerReadHook(Runnable hook) {
        this.timerReadHook = hook;
    }

    public Region region() {
        return Region.mmio("pit", 0x40, 4, this, ACCESS);
    }

    /** Whole input-clock ticks between {@code from} and {@code to}. */
    static long ticksBetween(long from, long to) {
        long ns = to - from;
        return ns / NS_PER_S * FREQUENCY_HZ + ns % NS_PER_S * FREQUENCY_HZ / NS_PER_S;
    }

    /** The first guest time at which {@code ticks} whole ticks have elapsed since {@code from}. */
    static long timeOfTick(long from, long ticks) {
        long whole = ticks / FREQUENCY_HZ * NS_PER_S;
        long part = ticks % FREQUENCY_HZ * NS_PER_S;
        return from + whole + (part + FREQUENCY_HZ - 1) / FREQUENCY_HZ;
    }

    private final class Channel {
        int mode;
        boolean bcd;
        int rwMode;
        int readState;
        int writeState;
        int writeLatch;
        int count;            // 1..0x10000
        long loadTime;
        boolean gate;
        boolean triggered;    // modes 1 and 5 count only after a rising gate
        boolean waitingForCount;  // between a control word and the count that follows it
        int latchedCount;
        int countLatched;
        int status;
        boolean statusLatched;

        int effectiveMode() {
            return mode >= 6 ? mode - 4 : mode;
        }

        long elapsed(long now) {
            return ticksBetween(loadTime, now);
        }

        int countAt(long now) {
            long d = triggered && !waitingForCount ? elapsed(now) : 0;
            return switch (effectiveMode()) {
                case 2 -> (int) (count - d % count);
                case 3 -> (int) (count - (2 * d) % count);
                default -> (int) ((count - d) & 0xFFFF);
            };
        }

        boolean outAt(long now) {
            int m = effectiveMode();
            if (waitingForCount) {
                return m != 0;                     // a mode 0 control word drives OUT low at once
            }
            if (!triggered) {
                return true;                       // modes 1 and 5 wait for the gate with OUT high
            }
            if ((m == 2 || m == 3) && !gate) {
                return true;
            }
            long d = elapsed(now);
            return switch (m) {
                case 0, 1 -> d >= count;
                case 2 -> d % count != count - 1;
                case 3 -> d % count < (count + 1) / 2;
                default -> d != count;             // 4, 5: one clock low at terminal count
            };
        }

        /** The next tick count after {@code d} at which OUT changes, or -1. */
        long nextTransition(long d) {
            if (!triggered || waitingForCount) {
                return -1;
            }
            long r = d % count;
            return switch (effectiveMode()) {
                case 0, 1 -> d < count ? count : -1;
                case 2 -> count == 1 ? -1 : (r < count - 1 ? d - r + count - 1 : d - r + count);
                case 3 -> r < (count + 1) / 2 ? d - r + (count + 1) / 2 : d - r + count;
                default -> d < count ? count : (d == count ? count + 1 : -1);
            };
        }

        void load(int value, long now) {
            count = value == 0 ? 0x10000 : value;
            loadTime = now;
            waitingForCount = false;
            int m = effectiveMode();
            triggered = !(m == 1 || m == 5);
        }

        void latchCount(long now) {
            if (countLatched == 0) {
                latchedCount = countAt(now);
                countLatched = rwMode;
            }
        }
    }

    private void updateChannel0Irq(long now) {
        Channel c = channels[0];
        irq0.setLevel(c.outAt(now));
        long next = c.nextTransition(c.elapsed(now));
        if (next < 0) {
            irqTimer.cancel();
        } else {
            irqTimer.arm(Math.max(timeOfTick(c.loadTime, next), now + 1));
        }
    }

    private void channel0Transition() {
        updateChannel0Irq(clock.now());
    }

    /** Channel 2's gate (port 0x61 bit 0). */
    public void setChannel2Gate(boolean high) {
        setGate(2, high);
    }

    void setGate(int channel, boolean high) {
        Channel c = channels[channel];
        boolean rising = high && !c.gate;
        c.gate = high;
        if (rising) {
            int m = c.effectiveMode();
            if (m == 1 || m == 5 || m == 2 || m == 3) {
                c.loadTime = clock.now();     // a rising gate (re)starts the count
                c.triggered = true;
            }
        }
        if (channel == 0) {
            updateChannel0Irq(clock.now());
        }
    }

    public boolean channel2Gate() {
        return channels[2].gate;
    }

    /** OUT of channel {@code channel} now. */
    public boolean out(int channel) {
        return channels[channel].outAt(clock.now());
    }

    @Override
    public long read(long offset, int size) {
        int port = (int) offset & 3;
        if (port == 3) {
            return 0;   // the control word register cannot be read (QEMU answers 0)
        }
        Channel c = channels[port];
        if (c.statusLatched) {
            c.statusLatched = false;
            return c.status;
        }
        if (c.countLatched != 0) {
            switch (c.countLatched) {
                case RW_MSB -> {
                    c.countLatched = 0;
                    return (c.latchedCount >> 8) & 0xFF;
                }
                case RW_WORD0 -> {
                    c.countLatched = RW_MSB;
                    return c.latchedCount & 0xFF;
                }
                default -> {
                    c.countLatched = 0;
                    return c.latchedCount & 0xFF;
                }
            }
        }
        timerReadHook.run();
        int count = c.countAt(clock.now());
        switch (c.readState) {
            case RW_MSB:
                return (count >> 8) & 0xFF;
            case RW_WORD0:
                c.readState = RW_WORD1;
                return count & 0xFF;
            case RW_WORD1:
                c.readState = RW_WORD0;
                return (count >> 8) & 0xFF;
            default:
                return count & 0xFF;
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        int port = (int) offset & 3;
        int v = (int) value & 0xFF;
        long now = clock.now();
        if (port == 3) {
            writeControl(v, now);
            return;
        }
        Channel c = channels[port];
        switch (c.writeState) {
            case RW_MSB -> c.load(v << 8, now);
            case RW_WORD0 -> {
                c.writeLatch = v;
                c.writeState = RW_WORD1;
                return;
            }
            case RW_WORD1 -> {
                c.load(c.writeLatch | (v << 8), now);
                c.writeState = RW_WORD0;
            }
            default -> c.load(v, now);
        }
        if (port == 0) {
            updateChannel0Irq(now);
        }
    }

    private void writeControl(int v, long now) {
        int select = v >> 6;
        if (select == 3) {                         // read-back
            for (int i = 0; i < 3; i++) {
                if ((v & (2 << i)) == 0) {
                    continue;
                }
                Channel c = channels[i];
                if ((v & 0x20) == 0) {
                    c.latchCount(now);
                }
                if ((v & 0x10) == 0 && !c.statusLatched) {
                    c.status = (c.outAt(now) ? 0x80 : 0) | (c.rwMode << 4) | (c.mode << 1) | (c.bcd ? 1 : 0);
                    c.statusLatched = true;
                }
            }
            return;
        }
        Channel c = channels[select];
        int access = (v >> 4) & 3;
        if (access == 0) {
            c.latchCount(now);
            return;
        }
        c.rwMode = access;
        c.readState = access;
        c.writeState = access;
        c.mode = (v >> 1) & 7;
        c.bcd = (v & 1) != 0;
        c.waitingForCount = true;                  // the channel idles until its new count arrives
        if (select == 0) {
            updateChannel0Irq(now);
        }
    }
}
