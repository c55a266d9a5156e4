package org.varsgen.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.varsgen.generator.console.ConsoleScript;
import org.varsgen.generator.console.ConsoleStep;

/**
 * Reads the {@code --input-script} file into a console script for the generator's engine: a list
 * of lines {@code expect TEXT} (wait until TEXT appears literally in the console output after the
 * previous match; ANSI escape sequences are ignored) and {@code send TEXT} (type TEXT followed by a
 * carriage return; {@code \e}, {@code \r}, {@code \n}, {@code \\} escapes allowed; {@code send-raw}
 * types without the carriage return). Blank lines and lines starting with {@code #} are ignored.
 *
 * <p>Each {@code expect} becomes one step typing every {@code send} that follows it; sends before
 * the first {@code expect} become a step that waits for nothing. Every wait gets the same deadline:
 * guest time without console output ({@link ConsoleScript.Style#INPUT_SCRIPT}).
 */
final class InputScriptFile {
    private InputScriptFile() {
    }

    /** The script in {@code file}; {@code silenceNanos} bounds each wait (Long.MAX_VALUE: no bound). */
    static ConsoleScript parse(Path file, long silenceNanos) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, file + ": cannot read the input script: " + e.getMessage(), e);
        }
        List<ConsoleStep> steps = new ArrayList<>();
        String expect = null;
        ByteArrayOutputStream typing = new ByteArrayOutputStream();
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
                    addStep(steps, expect, typing, silenceNanos);
                    expect = arg;
                }
                case "send" -> typing.writeBytes(bytes(unescape(arg, file, i + 1) + "\r"));
                case "send-raw" -> typing.writeBytes(bytes(unescape(arg, file, i + 1)));
                default -> throw new VarsgenException(ExitCodes.BAD_INPUT, file + ":" + (i + 1)
                        + ": unknown step \"" + verb + "\" (expected expect, send or send-raw)");
            }
        }
        addStep(steps, expect, typing, silenceNanos);
        // after the last step the run ends when the guest or a limit ends it, not the script
        return new ConsoleScript(steps, "end of the input script", Long.MAX_VALUE, ConsoleScript.Style.INPUT_SCRIPT);
    }

    /** Closes the step being collected: {@code expect} null means the sends before any expect. */
    private static void addStep(List<ConsoleStep> steps, String expect, ByteArrayOutputStream typing, long silenceNanos) {
        if (expect != null) {
            steps.add(ConsoleStep.literal(expect, typing.toByteArray(), silenceNanos));
        } else if (typing.size() > 0) {
            steps.add(ConsoleStep.immediately("start of the input script", typing.toByteArray()));
        }
        typing.reset();
    }

    /** One byte per character: the UART takes bytes (characters above U+00FF go out as '?'). */
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
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
}
