package org.varsgen.cli;

import org.varsgen.generator.console.AnsiStripper;

/** Remembers the last non-empty line of a console stream (escape sequences dropped), for failure messages. */
final class LastLine {
    private static final int MAX = 200;
    private final AnsiStripper filter = new AnsiStripper();
    private final StringBuilder current = new StringBuilder();
    private String last = "";

    void accept(int b) {
        int c = filter.feed(b & 0xFF);
        if (c < 0) {
            return;
        }
        if (c == '\n' || c == '\r') {
            if (!current.toString().isBlank()) {
                last = current.toString().strip();
            }
            current.setLength(0);
        } else if (c >= 0x20 && current.length() < MAX) {
            current.append((char) c);
        }
    }

    /** The line being written if it has text, else the last complete one. */
    String get() {
        return current.toString().isBlank() ? last : current.toString().strip();
    }
}
