package org.varsgen.generator.console;

import java.util.List;

/**
 * A console dialogue: the steps in order, then a last guest-time limit within which the guest
 * must end the run itself (power off) after the last step's typing.
 */
public record ConsoleScript(List<ConsoleStep> steps, String finalName, long finalDeadlineNanos) {
    public ConsoleScript {
        steps = List.copyOf(steps);
    }
}
