package org.varsgen.cli;

import org.varsgen.generator.console.AnsiStripper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Types lines into the guest's COM1 after given text appears on it: a list of steps
 * {@code expect TEXT} (wait until TEXT appears in the console output after the previous match;
 * ANSI escape sequences are ignored) and {@code send TEXT} (type TEXT followed by a carriage
 * return; {@code \e}, {@code \r}, {@code \n}, {@code \\} escapes allowed; {@code send-raw} types
 * without the carriage return). Blank lines and lines starting with {@code #} are ignored.
 *
 * <p>The script is driven from the emulation thread between instruction batches, so what is
 * typed and when depends only on the guest's output, never on host timing.
 */
final class ConsoleScript {
    private record Step(boolean expect, String text) { }

    private final List<Step> steps;
    private int next;
    private final StringBuilder seen = new StringBuilder();
    private final AnsiStripper filter = new AnsiStripper();
    private long outputBytes;
    private long outputBytesSeen = -1;
    private long lastOutputNanos;

    private ConsoleScript(List<Step> steps) {
        this.steps = steps;
    }

    static ConsoleScript parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, file + ": cannot read the input script: " + e.getMessage(), e);
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String verb = space < 0 ? line : line.substring(0, space);
            String arg = space < 0 ? "" : line.substring(space + 1);
            switch (verb) {
                case "expect" -> {
                    if (arg.isEmpty()) {
                        throw new VarsgenException(ExitCodes.BAD_INPUT, file + ":" + (i + 1) + ": expect needs a text");
                    }
                    steps.add(new Step(true, arg));
                }
                case "send" -> steps.add(new Step(false, unescape(arg, file, i + 1) + "\r"));
                case "send-raw" -> steps.add(new Step(false, unescape(arg, file, i + 1)));
                default -> throw new VarsgenException(ExitCodes.BAD_INPUT, file + ":" + (i + 1)
                        + ": unknown step \"" + verb + "\" (expected expect, send or send-raw)");
            }
        }
        return new ConsoleScript(steps);
    }

    private static String unescape(String s, Path file, int line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i == s.length()) {
                throw new VarsgenException(ExitCodes.BAD_INPUT, file + ":" + line + ": a lone \\ at the end");
            }
            switch (s.charAt(i)) {
                case 'e' -> b.append('\u001b');
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                case '\\' -> b.append('\\');
                default -> throw new VarsgenException(ExitCodes.BAD_INPUT, file + ":" + line
                        + ": unknown escape \\" + s.charAt(i));
            }
        }
        return b.toString();
    }

    /** Console output from the guest. */
    void observe(int b) {
        outputBytes++;
        int c = filter.feed(b & 0xFF);
        if (c >= 0 && next < steps.size()) {
            seen.append((char) c);
        }
    }

    /** The bytes to type now (possibly empty): every send step reached since the last expect matched. */
    byte[] due() {
        StringBuilder out = new StringBuilder();
        while (next < steps.size()) {
            Step s = steps.get(next);
            if (s.expect()) {
                int at = seen.indexOf(s.text());
                if (at < 0) {
                    break;
                }
                seen.delete(0, at + s.text().length());
            } else {
                out.append(s.text());
            }
            next++;
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * True when the script still waits and the guest has printed nothing on COM1 for
     * {@code budgetNanos} of guest time; called between batches with the guest clock, so the
     * verdict depends only on the guest's own progress.
     */
    boolean stalled(long nowNanos, long budgetNanos) {
        if (outputBytes != outputBytesSeen) {
            outputBytesSeen = outputBytes;
            lastOutputNanos = nowNanos;
        }
        return !finished() && nowNanos - lastOutputNanos >= budgetNanos;
    }

    boolean finished() {
        return next == steps.size();
    }

    /** What the script still waits for, for failure messages, or null when it is done. */
    String waitingFor() {
        return finished() ? null : steps.get(next).text();
    }
}
