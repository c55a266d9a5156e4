package org.varsgen.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a command's output: to stdout, or to a file that appears complete or not at all (written
 * to a temporary file in the same directory, then moved into place).
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    static void emit(String text, Path output, PrintWriter out) {
        if (output == null) {
            out.print(text);
            out.flush();
        } else {
            writeAtomically(output, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void writeAtomically(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.isDirectory(target)) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, target + ": is a directory, cannot write output there");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, target + ": cannot write: " + reason(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed and is being reported; a stray temporary file is secondary.
                }
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "directory does not exist";
        }
        return String.valueOf(e.getMessage());
    }
}
