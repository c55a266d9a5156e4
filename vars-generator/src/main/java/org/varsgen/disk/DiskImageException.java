package org.varsgen.disk;

import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.VarsgenException;

/** A disk or FAT image that cannot be built from the given inputs, or cannot be read. */
public class DiskImageException extends VarsgenException {
    private static final long serialVersionUID = 1L;

    public DiskImageException(String message) {
        super(ExitCodes.BAD_INPUT, message);
    }
}
