package org.varsgen.cli;

/** The process exit codes of every varsgen command; documented in the man page and README. */
public final class ExitCodes {
    /** Success; for {@code diff}, the stores are the same. */
    public static final int OK = 0;
    /** {@code diff}: the stores differ. */
    public static final int DIFFERENT = 1;
    /** The command line is wrong (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** An input file is missing, unreadable or not what it should be, or an output cannot be written. */
    public static final int BAD_INPUT = 3;
    /** The guest failed: it faulted, hung, or never reached what the job waits for. */
    public static final int GUEST_FAILURE = 4;
    /** A bug in varsgen itself. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
