package org.varsgen.generator.console;

import java.util.List;

/**
 * Why a console dialogue stopped: the step that did not complete, what went wrong, when (guest
 * time), and the last console lines seen (control sequences removed), for the error message.
 */
public record ScriptFailure(String step, String reason, long guestNanos, List<String> lastLines) {
    public ScriptFailure {
        lastLines = List.copyOf(lastLines);
    }

    /** One line: "console step 'enrolment' failed: ...; last console lines: a | b | c". */
    public String message() {
        String tail = lastLines.isEmpty() ? "(no console output)" : String.join(" | ", lastLines);
        return "console step '" + step + "' failed: " + reason + "; last console lines: " + tail;
    }
}
