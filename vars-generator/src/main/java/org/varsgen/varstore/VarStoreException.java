package org.varsgen.varstore;

/**
 * A variable store (or a part of one) that cannot be read or built. The message names the
 * problem and, where there is one, the byte offset in the file; the CLI adds the file name.
 */
public final class VarStoreException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The problem without the offset. */
    private final String problem;
    /** File offset the problem was found at, or -1 when it concerns no single place. */
    private final long offset;

    public VarStoreException(String problem, long offset) {
        super(offset >= 0 ? problem + " (at offset 0x" + Long.toHexString(offset) + ")" : problem);
        this.problem = problem;
        this.offset = offset;
    }

    public VarStoreException(String problem) {
        this(problem, -1);
    }

    public String problem() {
        return problem;
    }

    public long offset() {
        return offset;
    }
}
