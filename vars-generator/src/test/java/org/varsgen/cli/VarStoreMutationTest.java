package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.Le;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VarStoreParser;
import org.varsgen.varstore.VarStoreWriter;
import org.varsgen.varstore.VariableRecord;
import org.varsgen.varstore.diff.VarStoreDiff;

/**
 * Damaged stores (seeded random byte flips, field overwrites and truncations) must end either in
 * a parsed store that writes back to the same bytes and renders, or in the library's own
 * exception; never in anything else. The CLI must answer with exit code 3 and one line.
 */
class VarStoreMutationTest {
    private static final long SEED = 0x5EED_2026L;
    private static final int CASES = 400;

    @Test
    void damagedStoresNeverEndInAnUncaughtException() throws Exception {
        byte[] ms = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd");
        byte[] snakeoil = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.snakeoil.fd");
        VarStore msStore = VarStoreParser.parse(ms);
        Random rnd = new Random(SEED);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] base = i % 2 == 0 ? ms : snakeoil;
            byte[] m = mutate(base, msStore.records(), rnd, i);
            try {
                VarStore s = VarStoreParser.parse(m);
                parsed++;
                assertArrayEquals(m, VarStoreWriter.write(s), "case " + i + ": accepted input must write back as is");
                assertFalse(InspectText.render("x", s, true).isEmpty());
                StoreJson.toText(StoreJson.store(s, true, true));
                DiffReport.text("a", "b", VarStoreDiff.compare(msStore, s, false));
            } catch (VarStoreException e) {
                rejected++;
                assertFalse(e.getMessage().isBlank());
            } catch (Throwable t) {
                fail("case " + i + " (seed " + SEED + ") ended in " + t, t);
            }
        }
        // Both outcomes must be exercised, or the mutations are too mild or too wild to test anything.
        assertTrue(parsed > CASES / 10, "parsed " + parsed);
        assertTrue(rejected > CASES / 4, "rejected " + rejected);
    }

    @Test
    void cliAnswersDamagedFilesWithOneLineAndExitCode3(@TempDir Path dir) throws Exception {
        byte[] ms = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd");
        List<VariableRecord> records = VarStoreParser.parse(ms).records();
        Random rnd = new Random(SEED + 1);
        int bad = 0;
        for (int i = 0; i < 40; i++) {
            Path f = dir.resolve("case" + i + ".fd");
            Files.write(f, mutate(ms, records, rnd, i));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int rc = Main.execute(new String[] {"inspect", f.toString()}, new PrintWriter(out), new PrintWriter(err));
            if (rc == ExitCodes.OK) {
                assertEquals("", err.toString());
                continue;
            }
            bad++;
            assertEquals(ExitCodes.BAD_INPUT, rc, "case " + i + ": " + err);
            assertEquals("", out.toString());
            String[] lines = err.toString().split("\n");
            assertEquals(1, lines.length, err.toString());
            assertTrue(lines[0].startsWith("varsgen: " + f + ": "), lines[0]);
        }
        assertTrue(bad > 5, "only " + bad + " cases were rejected");
    }

    /** One damaged copy of {@code base}; the kind of damage cycles with {@code i}. */
    private static byte[] mutate(byte[] base, List<VariableRecord> records, Random rnd, int i) {
        byte[] m = base.clone();
        switch (i % 5) {
            case 0 -> flip(m, rnd, 0, 0x64, true); // volume and store headers
            case 1 -> flip(m, rnd, 0x64, 0x3200, false); // records
            case 2 -> flip(m, rnd, 0x41000, 0x41020, false); // FTW header
            case 3 -> {
                VariableRecord r = records.get(rnd.nextInt(records.size()));
                int field = new int[] {0, 2, 36, 40, 60}[rnd.nextInt(5)];
                long value = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextInt() & 0xFFFF_FFFFL;
                    case 1 -> rnd.nextInt(64);
                    default -> 0x3FFB8 - rnd.nextInt(16);
                };
                Le.put32(m, (int) r.offset() + field, value);
            }
            default -> m = Arrays.copyOf(m, rnd.nextInt(base.length));
        }
        return m;
    }

    /** Flips 1-4 bytes in [from, to); for header damage, half the time repairs the volume checksum too. */
    private static void flip(byte[] m, Random rnd, int from, int to, boolean fixChecksum) {
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            m[from + rnd.nextInt(to - from)] ^= (byte) (1 + rnd.nextInt(255));
        }
        if (fixChecksum && rnd.nextBoolean()) {
            int hl = Math.min(Le.u16(m, 0x30) & ~1, 0x48);
            Le.put16(m, 0x32, 0);
            int sum = 0;
            for (int j = 0; j < hl; j += 2) {
                sum += Le.u16(m, j);
            }
            Le.put16(m, 0x32, -sum & 0xFFFF);
        }
    }
}
