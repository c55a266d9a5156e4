package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

class DiffCommandTest {
    private static final String MS = "debian-trixie/OVMF_VARS_4M.ms.fd";
    private static final String RUN1 = "qemu-reference/OVMF_VARS_4M.ms.qemu-run1.fd";

    @Test
    void qemuRunEqualsDebiansStoreApartFromTimestamps() {
        String a = FirmwareFixtures.require(MS).toString();
        String b = FirmwareFixtures.require(RUN1).toString();
        CliRun r = CliRun.of("diff", "--ignore-timestamps", a, b);
        assertEquals(ExitCodes.OK, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().endsWith("no differences\n"), r.out());
    }

    @Test
    void withTimestampsExactlyTheFourKeyVariablesDifferInTimeOnly() throws Exception {
        String a = FirmwareFixtures.require(MS).toString();
        String b = FirmwareFixtures.require(RUN1).toString();
        CliRun r = CliRun.of("diff", "--json", a, b);
        assertEquals(ExitCodes.DIFFERENT, r.exitCode(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(false, root.get("equal").asBoolean());
        assertEquals(0, root.get("added").size());
        assertEquals(0, root.get("removed").size());
        List<String> changed = new ArrayList<>();
        for (JsonNode c : root.get("changed")) {
            changed.add(c.get("name").asText());
            assertEquals(1, c.get("fields").size(), c.toString());
            assertEquals("time", c.get("fields").get(0).get("field").asText());
        }
        assertEquals(List.of("db", "dbx", "KEK", "PK"), changed);
        CliRun text = CliRun.of("diff", a, b);
        assertEquals(ExitCodes.DIFFERENT, text.exitCode());
        assertTrue(text.out().contains("changed: PK 8be4df61-93ca-11d2-aa0d-00e098032b8c (EFI global variable)\n"
                + "    time: 2026-01-04 18:19:20 -> "), text.out());
        assertTrue(text.out().endsWith("4 variables differ\n"), text.out());
    }

    @Test
    void signatureDifferencesNameTheCertificates() throws Exception {
        String a = FirmwareFixtures.require(MS).toString();
        String b = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.snakeoil.fd").toString();
        CliRun r = CliRun.of("diff", "--json", "--ignore-timestamps", a, b);
        assertEquals(ExitCodes.DIFFERENT, r.exitCode());
        JsonNode changed = new ObjectMapper().readTree(r.out()).get("changed");
        List<String> names = new ArrayList<>();
        changed.forEach(c -> names.add(c.get("name").asText()));
        assertEquals(List.of("db", "KEK", "PK"), names);
        JsonNode kek = changed.get(1);
        assertEquals(2, kek.get("signaturesOnlyInA").size());
        assertTrue(kek.get("signaturesOnlyInA").get(1).get("subject").asText()
                .startsWith("CN=Microsoft Corporation KEK CA 2011,"));
        assertEquals(1, kek.get("signaturesOnlyInB").size());
        assertTrue(kek.get("signaturesOnlyInB").get(0).get("subject").asText()
                .startsWith("CN=SnakeOil Test Key for EFI Secure Boot,"));
    }

    @Test
    void addedAndRemovedVariables() {
        String empty = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.fd").toString();
        String ms = FirmwareFixtures.require(MS).toString();
        CliRun r = CliRun.of("diff", empty, ms);
        assertEquals(ExitCodes.DIFFERENT, r.exitCode());
        assertEquals(21, r.out().split("\nadded:   ", -1).length - 1, r.out());
        assertTrue(r.out().contains("added:   PK 8be4df61-93ca-11d2-aa0d-00e098032b8c (EFI global variable), "
                + "0x00000027 (NV|BS|RT|TIME_AUTH), 1005 bytes\n"), r.out());
        CliRun back = CliRun.of("diff", ms, empty);
        assertEquals(21, back.out().split("\nremoved: ", -1).length - 1, back.out());
        assertEquals(ExitCodes.OK, CliRun.of("diff", ms, ms).exitCode());
    }
}
