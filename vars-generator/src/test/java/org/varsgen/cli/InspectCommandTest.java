package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.Le;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreParser;
import org.varsgen.varstore.VariableRecord;

class InspectCommandTest {
    private static final String MS = "debian-trixie/OVMF_VARS_4M.ms.fd";
    private static final Pattern SECTION = Pattern.compile("(?m)^  (\\S+)  \\S+.*$");

    /** The "subject:" lines (CN part) under the variable {@code name} in the text listing. */
    private static List<String> subjects(String text, String name) {
        Matcher m = SECTION.matcher(text);
        int start = -1;
        int end = text.length();
        while (m.find()) {
            if (start >= 0) {
                end = m.start();
                break;
            }
            if (m.group(1).equals(name)) {
                start = m.end();
            }
        }
        assertTrue(start >= 0, name + " not listed");
        List<String> out = new ArrayList<>();
        for (String line : text.substring(start, end).split("\n")) {
            if (line.trim().startsWith("subject:")) {
                Matcher cn = Pattern.compile("CN=([^,]*(?:\\\\,[^,]*)*)").matcher(line);
                out.add(cn.find() ? "CN=" + cn.group(1) : line.trim());
            }
        }
        return out;
    }

    private static String section(String text, String name) {
        int i = text.indexOf("\n  " + name + "  ");
        assertTrue(i >= 0, name + " not listed");
        int j = text.indexOf("\n\n", i + 1);
        return text.substring(i, j < 0 ? text.length() : j);
    }

    @Test
    void debianMsStoreShowsItsKeysAndState() {
        CliRun r = CliRun.of("inspect", FirmwareFixtures.require(MS).toString());
        assertEquals(0, r.exitCode(), r.err());
        String t = r.out();
        assertEquals(List.of("CN=Debian UEFI Secure Boot (PK/KEK key)"), subjects(t, "PK"));
        assertEquals(List.of("CN=Debian UEFI Secure Boot (PK/KEK key)", "CN=Microsoft Corporation KEK CA 2011"),
                subjects(t, "KEK"));
        assertEquals(List.of("CN=Microsoft Windows Production PCA 2011", "CN=Microsoft Corporation UEFI CA 2011"),
                subjects(t, "db"));
        String dbx = section(t, "dbx");
        assertTrue(dbx.contains("1 signature list, 1 entry:"), dbx);
        assertTrue(dbx.contains("SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), dbx);
        assertTrue(t.contains("Secure Boot:       user mode (PK enrolled), SecureBootEnable on, CustomMode off"), t);
        assertTrue(t.contains("39 records (21 live, 18 not live)"), t);
        assertTrue(t.contains("\n21 live variables:\n"), t);
        assertTrue(section(t, "PK").contains("time stamp 2026-01-04 18:19:20"), t);
        assertTrue(section(t, "Boot0000").contains("value: \"UiApp\" [0x109 ACTIVE|HIDDEN|CATEGORY_APP] "
                + "Fv(7cb8bdc9-f8eb-4f34-aaea-3ee4af6516a1)/FvFile(462caa21-7614-4503-836e-8ab6f4662331)"), t);
        assertFalse(t.contains("\n  BootOrder  "), "BootOrder is deleted in this store");
    }

    @Test
    void deletedRecordsOnRequest() {
        String path = FirmwareFixtures.require(MS).toString();
        String plain = CliRun.of("inspect", path).out();
        CliRun r = CliRun.of("inspect", "--deleted", path);
        assertFalse(plain.contains("records that are not live"));
        assertTrue(r.out().contains("\n18 records that are not live:\n"), r.out());
        assertTrue(r.out().contains("BootOrder  8be4df61-93ca-11d2-aa0d-00e098032b8c (EFI global variable)\n"
                + "    attributes 0x00000007 (NV|BS|RT), 4 bytes, record at 0x1348, state 0x3d (deleted)\n"
                + "    value: Boot0000, Boot0001"), r.out());
    }

    @Test
    void snakeoilStoreHasTheSnakeoilCertificateAndNoMicrosoftEntries() {
        CliRun r = CliRun.of("inspect", FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.snakeoil.fd").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("CN=SnakeOil Test Key for EFI Secure Boot"), subjects(r.out(), "PK"));
        assertEquals(List.of("CN=SnakeOil Test Key for EFI Secure Boot"), subjects(r.out(), "KEK"));
        assertFalse(r.out().contains("Microsoft"), r.out());
        assertTrue(r.out().contains("user mode (PK enrolled)"));
    }

    @Test
    void emptyTemplateIsInSetupMode() {
        CliRun r = CliRun.of("inspect", FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.fd").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Secure Boot:       setup mode (no PK), SecureBootEnable absent, CustomMode absent"),
                r.out());
        assertTrue(r.out().contains("\n0 live variables:\n"), r.out());
    }

    @Test
    void jsonParsesBackAndItsDataIsTheStoresBytes() throws Exception {
        Path f = FirmwareFixtures.require(MS);
        CliRun r = CliRun.of("inspect", "--json", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("version").asInt());
        VarStore store = VarStoreParser.parse(Files.readAllBytes(f));
        List<VariableRecord> live = store.variables();
        JsonNode vars = root.get("variables");
        assertEquals(live.size(), vars.size());
        for (int i = 0; i < live.size(); i++) {
            VariableRecord rec = live.get(i);
            JsonNode v = vars.get(i);
            assertEquals(rec.name(), v.get("name").asText());
            assertEquals(rec.vendor().toString(), v.get("guid").asText());
            assertEquals(rec.attributes(), v.get("attr").asLong());
            String hex = v.get("data").asText();
            assertEquals(hex.toLowerCase(), hex);
            assertTrue(Arrays.equals(rec.data(), Le.unhex(hex)), rec.name());
            // "time" only for time-based authenticated variables, as the 16 raw EFI_TIME bytes.
            assertEquals((rec.attributes() & 0x20) != 0, v.has("time"), rec.name());
            if (v.has("time")) {
                assertEquals(Le.hex(Arrays.copyOfRange(Files.readAllBytes(f), (int) rec.offset() + 16,
                        (int) rec.offset() + 32)), v.get("time").asText());
            }
        }
        JsonNode pk = vars.get(live.indexOf(store.find(org.varsgen.varstore.KnownGuids.EFI_GLOBAL_VARIABLE, "PK")
                .orElseThrow()));
        assertEquals("ea070104121314000000000000000000", pk.get("time").asText());
        JsonNode cert = pk.get("varsgen").get("signatureLists").get(0).get("entries").get(0);
        assertTrue(cert.get("subject").asText().contains("CN=Debian UEFI Secure Boot (PK/KEK key)"));
        JsonNode sb = root.get("varsgen").get("secureBoot");
        assertEquals("user", sb.get("mode").asText());
        assertEquals(1, sb.get("secureBootEnable").asInt());
        assertEquals(0, sb.get("customMode").asInt());
        assertEquals(39, root.get("varsgen").get("store").get("records").asInt());
        assertFalse(root.get("varsgen").has("deletedRecords"));
    }

    @Test
    void interchangeJsonHasOnlyTheSharedMembers() throws Exception {
        CliRun r = CliRun.of("inspect", "--json", "--interchange", FirmwareFixtures.require(MS).toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("version", "variables"), fieldNames(root));
        for (JsonNode v : root.get("variables")) {
            List<String> names = fieldNames(v);
            assertTrue(List.of("name", "guid", "attr", "data").equals(names)
                    || List.of("name", "guid", "attr", "data", "time").equals(names), names.toString());
        }
    }

    @Test
    void jsonDeletedRecordsOnRequest() throws Exception {
        CliRun r = CliRun.of("inspect", "--json", "--deleted", FirmwareFixtures.require(MS).toString());
        JsonNode deleted = new ObjectMapper().readTree(r.out()).get("varsgen").get("deletedRecords");
        assertEquals(18, deleted.size());
        assertEquals("CustomMode", deleted.get(0).get("name").asText());
        assertEquals("deleted", deleted.get(0).get("varsgen").get("state").asText());
    }

    @Test
    void outputFileIsWrittenWhole(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ms.json");
        String path = FirmwareFixtures.require(MS).toString();
        CliRun r = CliRun.of("inspect", "--json", "-o", out.toString(), path);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals(CliRun.of("inspect", "--json", path).out(), Files.readString(out));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(out), files.toList(), "no temporary file left behind");
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
