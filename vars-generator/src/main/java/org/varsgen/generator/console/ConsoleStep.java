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

    public ConsoleStep requiring(String regex) {
        return new ConsoleStep(name, expect, type, deadlineNanos, Optional.of(Pattern.compile(regex)));
    }
}
