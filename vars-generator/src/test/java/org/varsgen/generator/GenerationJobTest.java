package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.VarsgenException;
import org.varsgen.fixtures.FirmwareFixtures;

/**
 * The whole path from options to output file and report, with a fake board that plays Debian's
 * serial transcript to the console session (typing back what the session asks) and hands back a
 * fixture store as the flash contents.
 */
class GenerationJobTest {
    @TempDir
    Path temp;

    /** Replays the transcript at 87 us per byte; records the request and what it was asked to type. */
    private static final class ReplayBooter implements Booter {
        final byte[] transcript;
        final byte[] vars;
        final BootResult.Outcome outcome;
        BootRequest request;
        final List<String> typed = new ArrayList<>();

        ReplayBooter(byte[] transcript, byte[] vars, BootResult.Outcome outcome) {
            this.transcript = transcript;
            this.vars = vars;
            this.outcome = outcome;
        }

        @Override
        public BootResult boot(BootRequest r) {
            request = r;
            long t = 0;
            for (int i = 0; i < transcript.length && !r.console().failed(); i++) {
                t = i * 87_000L;
                r.console().onSerialByte(transcript[i], t);
                byte[] out = r.console().poll(t);
                if (out.length > 0) {
                    typed.add(new String(out, StandardCharsets.US_ASCII));
                }
            }
            return new BootResult(outcome, outcome == BootResult.Outcome.POWER_OFF ? "ACPI S5" : "stopped", vars, t);
        }
    }

    private static byte[] transcript() {
        return FirmwareFixtures.read("qemu-reference/serial-debian-job-ms.log");
    }

    private final StringWriter errText = new StringWriter();
    private final ByteArrayOutputStream debugOut = new ByteArrayOutputStream();

    private GenerationJob job(Booter booter) {
        return new GenerationJob(booter, debugOut, new PrintWriter(errText, true));
    }

    @Test
    void fromOptionsToOutputFileAndReport() throws Exception {
        JobOptions o = new JobOptions(temp.resolve("OVMF_VARS_4M.ms.fd"));
        o.json = temp.resolve("report.json");
        o.serialLog = temp.resolve("serial.log");
        o.debug = true;
        o.debugcon = temp.resolve("debugcon.log");
        byte[] ms = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd");
        ReplayBooter booter = new ReplayBooter(transcript(), ms, BootResult.Outcome.POWER_OFF);
        GenerationPlan plan = o.plan();
        job(booter).run(plan);

        assertArrayEquals(ms, Files.readAllBytes(o.out));
        assertEquals(List.of("\u001b\n", "FS0:\r\n", "EnrollDefaultKeys.efi\r\n", "setvar BootOrder =\r\n", "reset -s\r\n"),
                booter.typed);
        BootRequest r = booter.request;
        assertArrayEquals(BootDisk.build(plan), r.disk());
        assertEquals(List.of(new String(FirmwareFixtures.read("debian-trixie/oem-string-vendor"), StandardCharsets.US_ASCII)),
                r.oemStrings());
        assertArrayEquals(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd"), r.vars());
        assertArrayEquals(plan.code().bytes(), r.code());
        assertEquals(PlanValidator.DEFAULT_EPOCH, r.rtcEpochSecond());
        assertEquals(java.util.Optional.of(o.debugcon), r.debugcon());
        assertEquals(Flavor.OVMF_4M, r.flavor());
        assertArrayEquals(transcript(), Files.readAllBytes(o.serialLog), "serial log is the console's bytes");
        // -d: the console with what was typed written in (the replayed transcript already holds
        // Debian's typing, so each command shows twice, the second copy being ours).
        String shown = debugOut.toString(StandardCharsets.ISO_8859_1);
        assertEquals(transcript().length + booter.typed.stream().mapToInt(String::length).sum(), shown.length());
        assertTrue(shown.contains("to continue\u001b\n."), "ESC typed as soon as the prompt matched");

        JsonNode report = new ObjectMapper().readTree(o.json.toFile());
        assertEquals("ok", report.get("result").asText());
        assertEquals("OVMF_4M", report.get("flavor").asText());
        assertEquals(5, report.get("console").size());
        assertEquals("reset -s\r\n", report.get("console").get(4).get("typed").asText());
        assertEquals("POWER_OFF", report.get("boot").get("outcome").asText());
        assertEquals(StoreChecks.sha256(ms), report.get("output").get("sha256").asText());
        assertTrue(report.get("sourceDateEpoch").isNull());
        assertEquals(0, report.get("storeProblems").size());
    }

    @Test
    void theReportIsTheSameForTheSameInputs() throws Exception {
        byte[] ms = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd");
        List<byte[]> reports = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            JobOptions o = new JobOptions(temp.resolve("out.fd"));
            o.json = temp.resolve("report.json");
            job(new ReplayBooter(transcript(), ms, BootResult.Outcome.POWER_OFF)).run(o.plan());
            reports.add(Files.readAllBytes(o.json));
        }
        assertArrayEquals(reports.get(0), reports.get(1));
    }

    @Test
    void aHungGuestFailsWithTheConsoleStepAndWritesNoStore() throws Exception {
        JobOptions o = new JobOptions(temp.resolve("out.fd"));
        o.json = temp.resolve("report.json");
        byte[] log = transcript();
        byte[] cut = java.util.Arrays.copyOf(log, new String(log, StandardCharsets.ISO_8859_1).indexOf("info: success"));
        ReplayBooter booter = new ReplayBooter(cut, FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd"),
                BootResult.Outcome.HANG);
        VarsgenException e = assertThrows(VarsgenException.class, () -> job(booter).run(o.plan()));
        assertEquals(ExitCodes.GUEST_FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains("HANG: stopped"), e.getMessage());
        assertTrue(e.getMessage().contains("step 'enrolment'"), e.getMessage());
        assertFalse(Files.exists(o.out));
        JsonNode report = new ObjectMapper().readTree(o.json.toFile());
        assertEquals("failed", report.get("result").asText());
        assertEquals(ExitCodes.GUEST_FAILURE, report.get("exitCode").asInt());
    }

    @Test
    void aStoreThatFailsTheChecksIsNotWritten() {
        JobOptions o = new JobOptions(temp.resolve("out.fd"));
        ReplayBooter booter = new ReplayBooter(transcript(), FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd"),
                BootResult.Outcome.POWER_OFF);
        VarsgenException e = assertThrows(VarsgenException.class, () -> job(booter).run(o.plan()));
        assertEquals(ExitCodes.GUEST_FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains("PK is missing"), e.getMessage());
        assertFalse(Files.exists(o.out));
    }

    @Test
    void theEpochCheckAppliesWhenAnEpochIsGiven() {
        JobOptions o = new JobOptions(temp.resolve("out.fd"));
        o.epoch = "1700000000";
        ReplayBooter booter = new ReplayBooter(transcript(), FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd"),
                BootResult.Outcome.POWER_OFF);
        VarsgenException e = assertThrows(VarsgenException.class, () -> job(booter).run(o.plan()));
        assertTrue(e.getMessage().contains("PK has time stamp 2026-01-04 18:19:20, expected 2023-11-14 22:13:20"),
                e.getMessage());
        assertEquals(1_700_000_000L, booter.request.rtcEpochSecond());
    }
}
