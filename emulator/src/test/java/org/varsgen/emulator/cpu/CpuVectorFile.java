package org.varsgen.emulator.cpu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Reads the gzip'd vector files under the test resource folder cpu-vectors/. */
public final class CpuVectorFile {
    /** Every group the generator writes, in file-name order. */
    public static final List<String> GROUPS = List.of("alu", "bit", "branch", "cond", "flags", "fxsave", "io", "misc",
            "mov", "muldiv", "shift", "shxd", "sse", "stack", "string", "unary", "x87", "x87arith", "xchg");
    public static final int GENERATOR_VERSION = 1;

    private static final Pattern HEADER = Pattern.compile(
            "# varsgen cpu vectors: group (\\w+); generator (\\d+); unicorn ([\\w.]+); seed (\\d+)");

    public record Header(String group, int generatorVersion, String unicornVersion, long seed) {
    }

    public record Contents(Header header, List<CpuVector> vectors) {
    }

    private CpuVectorFile() {
    }

    public static String resourceName(String group) {
        return "/cpu-vectors/" + group + ".vec.gz";
    }

    /** Loads one group; a missing or malformed file fails with the file and line named. */
    public static Contents load(String group) {
        String name = resourceName(group);
        try (InputStream raw = CpuVectorFile.class.getResourceAsStream(name)) {
            if (raw == null) {
                throw new IllegalStateException("test resource " + name + " is missing; run scripts/gen-cpu-vectors.py");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
            String first = r.readLine();
            Matcher m = first == null ? null : HEADER.matcher(first);
            if (m == null || !m.matches()) {
                throw new IllegalStateException(name + ": first line is not a vector-file header: " + first);
            }
            Header header = new Header(m.group(1), Integer.parseInt(m.group(2)), m.group(3), Long.parseLong(m.group(4)));
            List<CpuVector> vectors = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                try {
                    vectors.add(CpuVector.parse(group, vectors.size(), line));
                } catch (RuntimeException e) {
                    throw new IllegalStateException(name + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
            return new Contents(header, vectors);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name, e);
        }
    }
}
