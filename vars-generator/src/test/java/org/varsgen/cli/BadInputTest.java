package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.VariableStoreHeader;

/** Every kind of bad input ends in exit code 3 and exactly one line "varsgen: FILE: problem". */
class BadInputTest {
    private static void assertBadInput(CliRun r, String file, String problemStart) {
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertEquals("", r.out());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("varsgen: " + file + ": " + problemStart), lines[0]);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path f = dir.resolve("nope.fd");
        assertBadInput(CliRun.of("inspect", f.toString()), f.toString(), "no such file");
    }

    @Test
    void directory(@TempDir Path dir) {
        assertBadInput(CliRun.of("inspect", dir.toString()), dir.toString(), "is a directory");
    }

    @Test
    void emptyAndForeignFiles(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.fd"), new byte[0]);
        assertBadInput(CliRun.of("inspect", empty.toString()), empty.toString(), "empty file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        assertBadInput(CliRun.of("inspect", text.toString()), text.toString(), "not a variable store");
        Path code = FirmwareFixtures.require("debian-trixie/OVMF_CODE_4M.fd");
        assertBadInput(CliRun.of("inspect", code.toString()), code.toString(), "not a variable store");
    }

    @Test
    void wrongSizeAndDamage(@TempDir Path dir) throws Exception {
        byte[] ms = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd");
        Path cut = Files.write(dir.resolve("cut.fd"), Arrays.copyOf(ms, 0x20000));
        assertBadInput(CliRun.of("inspect", cut.toString()), cut.toString(), "firmware volume length 0x84000");
        byte[] sum = ms.clone();
        sum[0x10] ^= 1;
        Path bad = Files.write(dir.resolve("sum.fd"), sum);
        assertBadInput(CliRun.of("inspect", bad.toString()), bad.toString(), "not a variable store: the firmware volume at the start has file system fff12b8c-");
        byte[] attr = ms.clone();
        attr[0x2D] ^= 1;
        Path badSum = Files.write(dir.resolve("attr.fd"), attr);
        assertBadInput(CliRun.of("inspect", badSum.toString()), badSum.toString(),
                "firmware volume header checksum 0xb8af is wrong");
        byte[] plain = ms.clone();
        VariableStoreHeader.NON_AUTHENTICATED.write(plain, 0x48);
        Path na = Files.write(dir.resolve("plain.fd"), plain);
        assertBadInput(CliRun.of("inspect", na.toString()), na.toString(), "non-authenticated variable store");
        assertBadInput(CliRun.of("diff", na.toString(), FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.fd")
                .toString()), na.toString(), "non-authenticated variable store");
    }

    @Test
    void unwritableOutputLeavesNoFile(@TempDir Path dir) {
        String ms = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.ms.fd").toString();
        Path out = dir.resolve("missing-dir/out.json");
        assertBadInput(CliRun.of("inspect", "--json", "-o", out.toString(), ms), out.toString(), "cannot write");
        assertFalse(Files.exists(out.getParent()));
        assertBadInput(CliRun.of("inspect", "-o", dir.toString(), ms), dir.toString(), "is a directory");
    }

    @Test
    void unreadableFile(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("secret.fd"), new byte[] {1, 2, 3});
        assertTrue(f.toFile().setReadable(false, false));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f), "running as root: files stay readable");
        assertBadInput(CliRun.of("inspect", f.toString()), f.toString(), "permission denied");
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path dir) {
        Path f = dir.resolve("nope.fd");
        CliRun r = CliRun.of("inspect", "--debug", f.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("varsgen: " + f + ": no such file\n"), r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void usageErrorsExit2() {
        assertEquals(ExitCodes.USAGE, CliRun.of("inspect").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("diff", "onlyone").exitCode());
    }
}
