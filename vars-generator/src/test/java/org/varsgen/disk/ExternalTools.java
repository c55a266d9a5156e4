package org.varsgen.disk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dosfstools and mtools for cross-checks; tests skip, saying so, when a tool is missing. */
final class ExternalTools {
    record Result(int exitCode, String output) {
    }

    private static final List<String> SEARCH_PATH = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin");

    private ExternalTools() {
    }

    static Path require(String tool, String debianPackage) {
        for (String dir : SEARCH_PATH) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, tool + " not installed (Debian package " + debianPackage + "); cross-check skipped");
        return null;
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // mtools refuses images whose geometry it cannot match unless told not to check; and keep
        // its messages in one language.
        builder.environment().put("MTOOLS_SKIP_CHECK", "1");
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
