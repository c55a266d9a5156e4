package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.cpu.decode.Decoder;
import org.varsgen.emulator.cpu.decode.Insn;

/**
 * Decodes the example of every instruction form the firmware executed under QEMU
 * (qemu-reference/instruction-forms-*.tsv) and checks none is rejected. The inventory does not
 * record the mode: an example is taken as 64-bit code, else as 32- or 16-bit code (the reset
 * vector, SMM entry and AP startup code); the count of those is printed. Rows with zero executions (bytes QEMU's disassembler did not understand, never run)
 * are skipped.
 */
class InventoryDecodeTest {
    static Path firmwareDir() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("varsgen.firmware");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        String env = System.getenv("VARSGEN_FIRMWARE");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        String root = System.getProperty("varsgen.projectRoot");
        if (root != null) {
            candidates.add(Path.of(root).resolve("../shared/firmware"));
            candidates.add(Path.of(root).resolve("../../shared/firmware"));
        }
        candidates.add(Path.of("/work/shared/firmware"));
        candidates.add(Path.of("../../shared/firmware"));
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("qemu-reference"))) {
                return p;
            }
        }
        return null;
    }

    private static boolean decodes(int mode, int[] bytes) {
        try {
            Insn d = new Insn();
            Decoder.decode(off -> off < bytes.length ? bytes[off] : 0, mode, d);
            return d.len == bytes.length;
        } catch (GuestFault f) {
            return false;
        }
    }

    @Test
    void everyExecutedFormDecodes() throws IOException {
        Path dir = firmwareDir();
        Assumptions.assumeTrue(dir != null, "firmware fixtures (qemu-reference/) not found; set -Dvarsgen.firmware");
        int checked = 0;
        int legacy = 0;
        List<String> failures = new ArrayList<>();
        for (String name : new String[] {"instruction-forms-secboot-job.tsv", "instruction-forms-nosmm-shell.tsv"}) {
            Path file = dir.resolve("qemu-reference").resolve(name);
            Assumptions.assumeTrue(Files.exists(file), file + " not found");
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] col = line.split("\t");
                if (col.length < 6) {
                    throw new AssertionError(file + ": malformed line: " + line);
                }
                if (Long.parseLong(col[0]) == 0) {
                    continue;
                }
                String hex = col[3];
                int[] bytes = new int[hex.length() / 2];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
                }
                boolean ok = decodes(Decoder.MODE64, bytes);
                if (!ok) {
                    ok = decodes(Decoder.MODE32, bytes) || decodes(Decoder.MODE16, bytes);
                    legacy++;
                }
                if (!ok) {
                    failures.add(col[2] + " " + hex + " at " + col[4] + " (" + col[5] + ")");
                }
                checked++;
            }
        }
        System.out.println("InventoryDecodeTest: decoded " + checked + " instruction-form examples, "
                + legacy + " of them as 16/32-bit code, " + failures.size() + " rejected");
        assertTrue(checked > 600, "expected the two inventories, got " + checked + " rows");
        assertEquals(List.of(), failures);
    }
}
