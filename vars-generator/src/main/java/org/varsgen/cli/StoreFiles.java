package org.varsgen.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VarStoreParser;

/** Reads variable-store files for the CLI, turning every failure into a one-line bad-input error. */
final class StoreFiles {
    private StoreFiles() {
    }

    static VarStore load(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, name + ": is a directory, not a variable store file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, name + ": not a regular file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, name + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, name + ": permission denied", e);
        } catch (IOException | OutOfMemoryError e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, name + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return VarStoreParser.parse(bytes);
        } catch (VarStoreException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, name + ": " + e.getMessage(), e);
        }
    }
}
