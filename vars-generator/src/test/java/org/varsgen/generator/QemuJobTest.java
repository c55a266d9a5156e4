package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.VarStoreParser;
import org.varsgen.varstore.diff.VarStoreDiff;

/**
 * The generator's whole front end against real firmware under QEMU (skipped without
 * qemu-system-x86_64; about 6 s each): our FAT32 disk, OEM string and console engine must make
 * the same store as Debian's job, apart from the time stamps (QEMU's clock is the host's).
 */
class QemuJobTest {
    @TempDir
    Path temp;

    @Test
    void debiansDefaultJobUnderQemuPassesTheChecksAndMatchesDebiansStore() throws Exception {
        runAndCompare(new JobOptions(temp.resolve("OVMF_VARS_4M.ms.fd")), "OVMF_VARS_4M.ms.fd");
    }

    @Test
    void debiansSnakeoilJobUnderQemuMatchesDebiansStore() throws Exception {
        JobOptions o = new JobOptions(temp.resolve("OVMF_VARS_4M.snakeoil.fd"));
        o.noDefault = true;
        o.certificate = FirmwareFixtures.require("debian-trixie/PkKek-1-snakeoil.pem").toString();
        runAndCompare(o, "OVMF_VARS_4M.snakeoil.fd");
    }

    private void runAndCompare(JobOptions o, String debiansStore) throws Exception {
        assumeTrue(QemuBooter.available(), "qemu-system-x86_64 is not installed");
        o.json = temp.resolve("report.json");
        o.timeout = 120L;
        new GenerationJob(new QemuBooter(temp), new ByteArrayOutputStream(), new PrintWriter(new StringWriter()))
                .run(o.plan());
        JsonNode report = new ObjectMapper().readTree(o.json.toFile());
        assertEquals("ok", report.get("result").asText(), report.toString());
        assertEquals(5, report.get("console").size());
        var ours = VarStoreParser.parse(Files.readAllBytes(o.out));
        var debians = VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/" + debiansStore));
        VarStoreDiff diff = VarStoreDiff.compare(debians, ours, true);
        assertTrue(diff.isEmpty(), diff::toString);
    }
}
