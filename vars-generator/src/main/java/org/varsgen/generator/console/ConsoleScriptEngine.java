package org.varsgen.generator.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Runs a {@link ConsoleScript} against a serial byte stream, independent of any emulator: the
 * board calls {@link #onSerialByte} for every byte COM1 transmits and {@link #poll} now and then
 * (at least whenever it could deliver input), both with the current guest time, and feeds what
 * {@code poll} returns into COM1's receiver at the pace the UART accepts it.
 *
 * <p>Matching works like pexpect's: each wait searches the console text after the end of the
 * previous match. The text is the stream with control sequences removed, matched one line at a
 * time (the prompts never span lines). The script's {@link ConsoleScript.Style} decides the rest:
 * whether a bare carriage return is dropped or ends the text a match may span, and whether a
 * step's deadline counts from the previous step or from the last console output.
 */
public final class ConsoleScriptEngine {
    /** How many complete console lines to keep for error messages. */
    static final int KEPT_LINES = 8;

    private final ConsoleScript script;
    private final AnsiStripper stripper = new AnsiStripper();
    private final StringBuilder line = new StringBuilder();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final List<Typed> typed = new ArrayList<>();
    private int searchFrom;
    private int stepIndex;
    /** Where the running deadline counts from: the previous step's completion, or the last output. */
    private long stepStartNanos;
    private boolean outputSincePoll;
    private boolean mustSeeFound;
    private byte[] pending = new byte[0];
    private ScriptFailure failure;

    /** One piece of typing: after which step, what, and when. */
    public record Typed(String step, byte[] bytes, long guestNanos) {
    }

    public ConsoleScriptEngine(ConsoleScript script, long startNanos) {
        this.script = script;
        this.stepStartNanos = startNanos;
        // an input script's silence clock starts at the first poll, as if output had just been seen
        this.outputSincePoll = countsSilence();
    }

    public void onSerialByte(int b, long guestNanos) {
        if (failure != null) {
            return;
        }
        if (countsSilence()) {
            // the deadline is judged at poll, as guest time since the poll that first saw output
            outputSincePoll = true;
        } else {
            checkDeadline(guestNanos);
        }
        int c = stripper.feed(b & 0xFF);
        if (c == AnsiStripper.NONE || failure != null) {
            return;
        }
        if (c == '\r') {
            if (script.style() == ConsoleScript.Style.INPUT_SCRIPT) {
                searchFrom = line.length();
            }
            return;
        }
        if (c == '\n') {
            keepLine(line.toString());
            line.setLength(0);
            searchFrom = 0;
            return;
        }
        line.append((char) c);
        if (stepIndex < script.steps().size()) {
            match(script.steps().get(stepIndex), guestNanos);
        }
    }

    /** The bytes to type now (empty when none); also notices a step's deadline passing. */
    public byte[] poll(long guestNanos) {
        if (failure != null) {
            return new byte[0];
        }
        while (stepIndex < script.steps().size() && !script.steps().get(stepIndex).waits()) {
            complete(script.steps().get(stepIndex), guestNanos);
        }
        if (outputSincePoll) {
            outputSincePoll = false;
            stepStartNanos = guestNanos;
        }
        checkDeadline(guestNanos);
        byte[] out = pending;
        pending = new byte[0];
        return out;
    }

    /** True once every step has matched and its typing has been handed out by {@link #poll}. */
    public boolean allTyped() {
        return stepIndex == script.steps().size() && pending.length == 0;
    }

    public Optional<ScriptFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** The name of the step now waiting (the final power-off wait after the last one). */
    public String currentStep() {
        return stepIndex < script.steps().size() ? script.steps().get(stepIndex).name() : script.finalName();
    }

    /** The name of the step whose text is awaited, or empty once every step has matched. */
    public Optional<String> waitingFor() {
        return stepIndex < script.steps().size() ? Optional.of(script.steps().get(stepIndex).name()) : Optional.empty();
    }

    public List<Typed> typed() {
        return List.copyOf(typed);
    }

    /** The last complete console lines and the current partial one, oldest first. */
    public List<String> lastLines() {
        List<String> out = new ArrayList<>(lastLines);
        if (!line.isEmpty()) {
            out.add(line.toString());
        }
        return out;
    }

    private void match(ConsoleStep step, long guestNanos) {
        if (step.mustSee().isPresent() && !mustSeeFound) {
            mustSeeFound = step.mustSee().get().matcher(line).region(searchFrom, line.length()).find();
        }
        Matcher m = step.expect().matcher(line).region(searchFrom, line.length());
        if (!m.find()) {
            return;
        }
        searchFrom = m.end();
        if (step.mustSee().isPresent() && !mustSeeFound) {
            fail(step.name(), "saw \"" + m.group() + "\" without \"" + step.mustSee().get().pattern()
                    + "\" before it", guestNanos);
            return;
        }
        complete(step, guestNanos);
    }

    private void complete(ConsoleStep step, long guestNanos) {
        byte[] combined = new byte[pending.length + step.type().length];
        System.arraycopy(pending, 0, combined, 0, pending.length);
        System.arraycopy(step.type(), 0, combined, pending.length, step.type().length);
        pending = combined;
        typed.add(new Typed(step.name(), step.type().clone(), guestNanos));
        stepIndex++;
        stepStartNanos = guestNanos;
        mustSeeFound = false;
    }

    private void checkDeadline(long guestNanos) {
        if (failure != null) {
            return;
        }
        boolean last = stepIndex >= script.steps().size();
        long limit = last ? script.finalDeadlineNanos() : script.steps().get(stepIndex).deadlineNanos();
        long waited = guestNanos - stepStartNanos;
        if (countsSilence() ? !last && waited >= limit : waited > limit) {
            String reason;
            if (last) {
                reason = String.format(Locale.ROOT, "the guest did not power off within %.1f s of guest time", limit / 1e9);
            } else if (countsSilence()) {
                reason = String.format(Locale.ROOT, "no console output for %.1f s of guest time while waiting for \"%s\"",
                        limit / 1e9, script.steps().get(stepIndex).expect().pattern());
            } else {
                reason = String.format(Locale.ROOT, "\"%s\" did not appear within %.1f s of guest time",
                        script.steps().get(stepIndex).expect().pattern(), limit / 1e9);
            }
            fail(currentStep(), reason, guestNanos);
        }
    }

    private boolean countsSilence() {
        return script.style() == ConsoleScript.Style.INPUT_SCRIPT;
    }

    private void fail(String step, String reason, long guestNanos) {
        failure = new ScriptFailure(step, reason, guestNanos, lastLines());
        pending = new byte[0];
    }

    private void keepLine(String text) {
        if (text.isBlank()) {
            return;
        }
        if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
        }
        lastLines.addLast(text.strip());
    }
}
