package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.EfiTime;
import org.varsgen.varstore.Guid;
import org.varsgen.varstore.Le;
import org.varsgen.varstore.SecureBootState;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreLayout;
import org.varsgen.varstore.VarStoreParser;
import org.varsgen.varstore.VarStoreWriter;
import org.varsgen.varstore.diff.VarStoreDiff;

/** The interchange JSON carries everything the live store needs: a store rebuilt from it compares equal. */
class JsonRebuildTest {
    @Test
    void storeRebuiltFromInterchangeJsonEqualsTheOriginal() throws Exception {
        Path f = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.ms.fd");
        CliRun r = CliRun.of("inspect", "--interchange", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        VarStore rebuilt = VarStore.blank(VarStoreLayout.OVMF_4M);
        for (JsonNode v : new ObjectMapper().readTree(r.out()).get("variables")) {
            EfiTime time = v.has("time") ? EfiTime.read(Le.unhex(v.get("time").asText()), 0) : null;
            rebuilt = rebuilt.withVariable(Guid.parse(v.get("guid").asText()), v.get("name").asText(),
                    v.get("attr").asLong(), time, Le.unhex(v.get("data").asText()));
        }
        VarStore back = VarStoreParser.parse(VarStoreWriter.write(rebuilt));
        VarStore original = VarStoreParser.parse(Files.readAllBytes(f));
        assertTrue(VarStoreDiff.compare(original, back, false).isEmpty());
        assertEquals(21, back.records().size());
        assertEquals(SecureBootState.of(original), SecureBootState.of(back));
    }
}
