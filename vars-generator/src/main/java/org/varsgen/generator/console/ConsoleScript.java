package org.varsgen.generator.console;

import java.util.List;

/**
 * A console dialogue: the steps in order, then a last guest-time limit within which the guest
 * must end the run itself (power off) after the last step's typing; {@code style} says how text
 * is matched and how deadlines count (see {@link Style}).
 */
public record ConsoleScript(List<ConsoleStep> steps, String finalName, long finalDeadlineNanos, Style style) {
    /**
     * The two dialogues varsgen drives. Both strip control sequences and match within one line.
     */
    public enum Style {
        /**
         * Debian's pexpect dialogue: carriage returns are dropped (a prompt redrawn after a bare CR
         * still matches), and each step's deadline counts from the moment the previous step
         * completed, wherever the guest is.
         */
        PEXPECT,
        /**
         * {@code varsgen run --input-script}: a match never spans a bare carriage return, and a
         * step's deadline counts guest time without any console output, measured at the pauses
         * between instruction batches (the {@link ConsoleScriptEngine#poll} calls), so a guest
         * that keeps printing may wait for ever.
         */
        INPUT_SCRIPT
    }

    public ConsoleScript {
        steps = List.copyOf(steps);
    }

    public ConsoleScript(List<ConsoleStep> steps, String finalName, long finalDeadlineNanos) {
        this(steps, finalName, finalDeadlineNanos, Style.PEXPECT);
    }
}
