package org.varsgen.emulator.board;

/**
 * When the run loop gives up. Only {@code wallClockNanos} uses host time, and it never
 * influences the guest: it decides only when we stop waiting.
 *
 * @param maxInstructions guest instructions retired in total (across resets), or Long.MAX_VALUE
 * @param maxGuestNanos   guest (virtual) time, or Long.MAX_VALUE
 * @param wallClockNanos  host time spent running, or Long.MAX_VALUE
 */
public record RunLimits(long maxInstructions, long maxGuestNanos, long wallClockNanos) {
    public static final RunLimits NONE = new RunLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    public RunLimits {
        if (maxInstructions <= 0 || maxGuestNanos <= 0 || wallClockNanos <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public RunLimits withMaxInstructions(long n) {
        return new RunLimits(n, maxGuestNanos, wallClockNanos);
    }

    public RunLimits withMaxGuestNanos(long n) {
        return new RunLimits(maxInstructions, n, wallClockNanos);
    }

    public RunLimits withWallClockNanos(long n) {
        return new RunLimits(maxInstructions, maxGuestNanos, n);
    }
}
