package org.varsgen.cli;

/**
 * Drops ANSI/VT100 escape sequences (ESC [ ... final byte, and two-byte ESC sequences) from a
 * byte stream, as the UEFI console's output carries colour and cursor commands.
 */
final class AnsiFilter {
    private int state;

    /** The byte to keep, or -1 when it belongs to an escape sequence. */
    int accept(int b) {
        b &= 0xFF;
        switch (state) {
            case 0:
                if (b == 0x1B) {
                    state = 1;
                    return -1;
                }
                return b;
            case 1:
                state = b == '[' ? 2 : 0;
                return -1;
            default:
                if (b >= 0x40 && b <= 0x7E) {
                    state = 0;
                }
                return -1;
        }
    }
}
