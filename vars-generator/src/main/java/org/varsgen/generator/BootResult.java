package org.varsgen.generator;

/**
 * How a run ended and the variable store's final bytes (the whole pflash unit 1, as QEMU's vars
 * file would hold it; may be the unchanged template when the run failed early).
 *
 * @param detail one line for the user: for a fault the exception and guest RIP, for a hang where
 *               it spun, for a limit which one
 */
public record BootResult(Outcome outcome, String detail, byte[] vars, long guestNanos) {
    /** The ways a run can end. Only POWER_OFF means the guest finished on its own. */
    public enum Outcome {
        /** The guest powered the machine off (ACPI S5), as "reset -s" does. */
        POWER_OFF,
        /** The guest faulted in a way the board cannot continue from (triple fault, unknown instruction). */
        FAULT,
        /** The guest stopped making progress (halted with no interrupt pending, or spinning). */
        HANG,
        /** A limit stopped the run: the console script's deadline, the wall-clock timeout, or an instruction budget. */
        LIMIT
    }
}
