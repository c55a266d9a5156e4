package org.varsgen.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.varsgen.generator.console.ConsoleScriptEngine;

/**
 * The board's view of the serial console during a job: every byte COM1 transmits goes to
 * {@link #onSerialByte}, and {@link #poll} gives the bytes to put into COM1's receiver. Behind it
 * the console script engine decides what to type. Copies: the serial log gets the guest's output
 * only; the -d transcript gets the output with the typed bytes written in where they were typed,
 * like the pexpect log Debian's script prints with -d.
 */
public final class ConsoleSession {
    private final ConsoleScriptEngine engine;
    private final List<OutputStream> outputCopies;
    private final List<OutputStream> transcriptCopies;

    public ConsoleSession(ConsoleScriptEngine engine, List<OutputStream> outputCopies,
            List<OutputStream> transcriptCopies) {
        this.engine = engine;
        this.outputCopies = List.copyOf(outputCopies);
        this.transcriptCopies = List.copyOf(transcriptCopies);
    }

    public void onSerialByte(int b, long guestNanos) {
        engine.onSerialByte(b, guestNanos);
        write(outputCopies, new byte[] {(byte) b});
        write(transcriptCopies, new byte[] {(byte) b});
    }

    /** Bytes to type now; the board queues them and feeds the UART as it accepts them. */
    public byte[] poll(long guestNanos) {
        byte[] typed = engine.poll(guestNanos);
        if (typed.length > 0) {
            write(transcriptCopies, typed);
        }
        return typed;
    }

    /**
     * True when the board should end the run early: the script failed (a deadline passed or
     * EnrollDefaultKeys did not succeed), so nothing good can come of going on.
     */
    public boolean failed() {
        return engine.failure().isPresent();
    }

    private static void write(List<OutputStream> targets, byte[] bytes) {
        for (OutputStream out : targets) {
            try {
                out.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
