package org.varsgen.cli;

/**
 * A failure to report to the user as one line and an exit code, without a stack trace unless
 * {@code --debug} is given.
 */
public class VarsgenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public VarsgenException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public VarsgenException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
