package org.varsgen.generator.console;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One exchange with the guest's serial console: wait until the console text (control sequences
 * removed, within one line) matches {@code expect}, then type {@code type}. The wait may last at
 * most {@code deadlineNanos} of guest time from the moment the previous step completed.
 *
 * @param name         short name for messages and reports
 * @param expect       what to wait for (a regular expression; '.' does not cross lines)
 * @param type         the bytes to send once it is seen
 * @param deadlineNanos guest-time limit for the wait
 * @param mustSee      optional text that must have appeared before {@code expect} matches, else
 *                     the step fails at once (e.g. EnrollDefaultKeys' "info: success")
 */
public record ConsoleStep(String name, Pattern expect, byte[] type, long deadlineNanos, Optional<Pattern> mustSee) {
    public static ConsoleStep of(String name, String expectRegex, String type, long deadlineNanos) {
        return new ConsoleStep(name, Pattern.compile(expectRegex), type.getBytes(StandardCharsets.US_ASCII),
                deadlineNanos, Optional.empty());
    }

    /** A step that waits for {@code text} literally and is named by it. */
    public static ConsoleStep literal(String text, byte[] type, long deadlineNanos) {
        return new ConsoleStep(text, Pattern.compile(text, Pattern.LITERAL), type.clone(), deadlineNanos,
                Optional.empty());
    }

    /** A step that waits for nothing: its bytes are typed at the engine's first {@code poll}. */
    public static ConsoleStep immediately(String name, byte[] type) {
        return new ConsoleStep(name, Pattern.compile(""), type.clone(), Long.MAX_VALUE, Optional.empty());
    }

    /** False for a step made by {@link #immediately}, which the engine completes without looking at output. */
    public boolean waits() {
        return !expect.pattern().isEmpty();
    }

    public ConsoleStep requiring(String regex) {
        return new ConsoleStep(name, expect, type, deadlineNanos, Optional.of(Pattern.compile(regex)));
    }
}
