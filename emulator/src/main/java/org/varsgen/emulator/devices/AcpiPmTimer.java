package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The ACPI PM timer ("acpi-tmr", PMBASE+8): a 24-bit counter at 3.579545 MHz derived from the
 * virtual clock, as QEMU derives it from its virtual clock (ticks = ns * 3579545 / 10^9).
 *
 * <p>The polling rule: every read first advances the virtual clock by a fixed quantum
 * ({@link #DEFAULT_READ_QUANTUM_NANOS}, 1 microsecond, about 3.6 ticks). OVMF's Stall() and
 * MicroSecondDelay() busy-poll this register (2.5 million reads in a boot); with the quantum a
 * delay of d microseconds costs at most d reads however few instructions each poll takes, and
 * consecutive reads always differ, so no polling loop can spin forever. The rule depends only on
 * the guest's own actions, so runs stay reproducible. Valid 1..4, implemented 4 (QEMU since 5.1):
 * a narrower read gets the low bytes of the counter whatever the offset, as in QEMU.
 */
public final class AcpiPmTimer implements RegionHandler {
    public static final long FREQUENCY_HZ = 3_579_545L;
    public static final long DEFAULT_READ_QUANTUM_NANOS = 1_000L;
    public static final AccessConstraints CONSTRAINTS = new AccessConstraints(1, 4, false, 4, 4, false);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final VirtualClock clock;
    private final long readQuantumNanos;

    public AcpiPmTimer(VirtualClock clock, long readQuantumNanos) {
        if (readQuantumNanos < 0) {
            throw new IllegalArgumentException("negative PM timer read quantum: " + readQuantumNanos);
        }
        this.clock = clock;
        this.readQuantumNanos = readQuantumNanos;
    }

    /** The full (unwrapped) tick count at the clock's current time. */
    public long ticks() {
        return ticksAt(clock.now());
    }

    /** Ticks elapsed by guest time {@code nanos}. */
    public static long ticksAt(long nanos) {
        return nanos / NANOS_PER_SECOND * FREQUENCY_HZ + nanos % NANOS_PER_SECOND * FREQUENCY_HZ / NANOS_PER_SECOND;
    }

    /** The first guest time at which {@code ticks} have elapsed. */
    public static long nanosAt(long ticks) {
        long whole = ticks / FREQUENCY_HZ;
        long rest = ticks % FREQUENCY_HZ;
        return whole * NANOS_PER_SECOND + (rest * NANOS_PER_SECOND + FREQUENCY_HZ - 1) / FREQUENCY_HZ;
    }

    @Override
    public long read(long offset, int size) {
        clock.advance(readQuantumNanos);
        return ticks() & 0xFFFFFF;
    }

    @Override
    public void write(long offset, int size, long value) {
        // Read-only counter.
    }
}
