package org.varsgen.generator.console;

/**
 * Removes terminal control sequences from the firmware's console output so that prompts can be
 * matched as text: the UEFI console sends colour and cursor-position sequences (ESC [ ... m,
 * ESC [ row ; col H, ESC [ = 3 h) in the middle of the words the script waits for.
 *
 * <p>Handles CSI sequences (ESC '[' parameters final byte 0x40-0x7E) and two-byte escapes (ESC
 * followed by 0x40-0x5F). A lone ESC followed by anything else is dropped and the next byte kept.
 */
public final class AnsiStripper {
    /** Returned by {@link #feed} when the byte belongs to a control sequence. */
    public static final int NONE = -1;
    private static final int ESC = 0x1B;

    private enum State { TEXT, ESCAPE, CSI }

    private State state = State.TEXT;

    /** The byte as text, or {@link #NONE} when it is (part of) a control sequence. */
    public int feed(int b) {
        switch (state) {
            case TEXT -> {
                if (b == ESC) {
                    state = State.ESCAPE;
                    return NONE;
                }
                return b;
            }
            case ESCAPE -> {
                if (b == '[') {
                    state = State.CSI;
                    return NONE;
                }
                state = State.TEXT;
                return b >= 0x40 && b <= 0x5F ? NONE : feed(b);
            }
            case CSI -> {
                if (b >= 0x40 && b <= 0x7E) {
                    state = State.TEXT;
                }
                return NONE;
            }
            default -> throw new IllegalStateException(state.toString());
        }
    }
}
