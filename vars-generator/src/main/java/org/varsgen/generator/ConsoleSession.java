package org.varsgen.generator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.varsgen.generator.console.ConsoleScriptEngine;

/**
 * The board's view of the serial console during a job: every byte COM1 transmits goes to
 * {@link #onSerialByte}, and {@link #poll} gives the bytes to put into COM1's receiver. Behind it
 * the console script engine decides what to type, and copies of the output go to the serial log
 * and (with -d, as Debian's script does) standard output.
 */
public final class ConsoleSession {
    private final ConsoleScriptEngine engine;
    private final List<OutputStream> copies;

    public ConsoleSession(ConsoleScriptEngine engine, List<OutputStream> copies) {
        this.engine = engine;
        this.copies = List.copyOf(copies);
    }

    public void onSerialByte(int b, long guestNanos) {
        engine.onSerialByte(b, guestNanos);
        for (OutputStream out : copies) {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Bytes to type now; the board queues them and feeds the UART as it accepts them. */
    public byte[] poll(long guestNanos) {
        return engine.poll(guestNanos);
    }

    /**
     * True when the board should end the run early: the script failed (a deadline passed or
     * EnrollDefaultKeys did not succeed), so nothing good can come of going on.
     */
    public boolean failed() {
        return engine.failure().isPresent();
    }
}
