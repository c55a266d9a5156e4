package org.varsgen.emulator.board;

/**
 * How a run ended: a value, never an exception.
 *
 * @param kind         what ended it
 * @param detail       a human-readable reason (the Java exception for {@link Kind#EMULATOR_ERROR})
 * @param rip          the guest's RIP when it ended
 * @param instructions guest instructions retired, in total across machine resets
 * @param guestNanos   guest time at the end
 * @param resets       machine resets the guest made during the run
 */
public record RunOutcome(Kind kind, String detail, long rip, long instructions, long guestNanos, int resets) {
    public enum Kind {
        /** ACPI S5 (or S4) through PM1 control: the normal end. */
        POWER_OFF,
        /** A triple fault shut the CPU down. */
        TRIPLE_FAULT,
        /** HLT with interrupts disabled and nothing that could wake the CPU, or no timer left to wait for. */
        HANG,
        INSTRUCTION_LIMIT,
        GUEST_TIME_LIMIT,
        WALL_CLOCK_LIMIT,
        /** Too many machine resets in a row (a reset loop). */
        RESET_LIMIT,
        /**
         * The watchdog saw the CPU spin in a few instructions without touching a device or
         * storing outside the stack for its whole window (edk2's CpuDeadLoop).
         */
        DEAD_LOOP,
        /**
         * The host side saw no progress it waited for (e.g. no console output for a guest-time
         * budget while an input script waits) and stopped the run through {@link Machine#stop(Kind, String)}.
         */
        NO_PROGRESS,
        /** A Java exception inside the emulator (a bug of ours, not the guest's). */
        EMULATOR_ERROR,
        /** The host side ended the run through {@link Machine#stop} (e.g. a console script gave up). */
        STOPPED
    }

    public boolean poweredOff() {
        return kind == Kind.POWER_OFF;
    }

    /** One line: the kind, the reason, RIP, instruction count and guest time. */
    public String describe() {
        return String.format("%s%s at RIP 0x%x after %,d instructions, %.3f s guest time",
                kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                detail.isEmpty() ? "" : " (" + detail + ")", rip, instructions, guestNanos / 1e9);
    }
}
