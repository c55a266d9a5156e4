package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.VarsgenException;
import org.varsgen.fixtures.FirmwareFixtures;

class PlanValidatorTest {
    @TempDir
    Path temp;

    private JobOptions options() {
        return new JobOptions(temp.resolve("out.fd"));
    }

    private VarsgenException refused(Consumer<JobOptions> change, String environmentEpoch) {
        JobOptions o = options();
        change.accept(o);
        return assertThrows(VarsgenException.class, () -> PlanValidator.validate(o.build(), environmentEpoch));
    }

    private void assertRefused(Consumer<JobOptions> change, int exitCode, String... fragments) {
        VarsgenException e = refused(change, null);
        assertEquals(exitCode, e.exitCode(), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void debiansInputsMakeAPlan() {
        GenerationPlan plan = options().plan();
        assertEquals(Flavor.OVMF_4M, plan.flavor());
        assertEquals(new String(FirmwareFixtures.read("debian-trixie/oem-string-vendor"), StandardCharsets.US_ASCII),
                plan.oemString().value());
        assertEquals(PlanValidator.DEFAULT_EPOCH, plan.epochSecond());
        assertFalse(plan.epochGiven());
        assertEquals(600, plan.timeout().toSeconds());
        assertEquals(java.util.List.of(), plan.warnings());
    }

    @Test
    void certificateAsDebiansOemStringWorksToo() {
        JobOptions o = options();
        o.certificate = new String(FirmwareFixtures.read("debian-trixie/oem-string-snakeoil"), StandardCharsets.US_ASCII);
        assertEquals(o.certificate, o.plan().oemString().value());
    }

    @Test
    void epochComesFromTheFlagElseTheEnvironment() {
        JobOptions o = options();
        assertEquals(1_700_000_000L, PlanValidator.validate(o.build(), "1700000000").epochSecond());
        assertTrue(PlanValidator.validate(o.build(), "1700000000").epochGiven());
        o.epoch = "1600000000";
        assertEquals(1_600_000_000L, PlanValidator.validate(o.build(), "1700000000").epochSecond());
        assertEquals(ExitCodes.USAGE, refused(x -> x.epoch = "yesterday", null).exitCode());
        assertTrue(refused(x -> x.epoch = "0", null).getMessage().contains("in the year 1970"));
        assertTrue(refused(x -> { }, "abc").getMessage().startsWith("SOURCE_DATE_EPOCH: 'abc'"));
    }

    @Test
    void flavorsOutsideX64AreRefused() {
        assertRefused(o -> o.flavor = "AAVMF", ExitCodes.USAGE, "AAVMF", "varsgen emulates x86-64 only");
        assertRefused(o -> o.flavor = "ovmf_4m", ExitCodes.USAGE, "invalid choice 'ovmf_4m'", "OVMF_4M");
        assertRefused(o -> o.timeout = 0L, ExitCodes.USAGE, "--timeout");
    }

    @Test
    void eachBadFileIsNamed() throws IOException {
        Path missing = temp.resolve("nope.fd");
        assertRefused(o -> o.code = missing, ExitCodes.BAD_INPUT, missing.toString(), "no such file", "-c/--code");
        assertRefused(o -> o.code = o.vars, ExitCodes.BAD_INPUT, o(o -> o.vars), "is a variable store");
        assertRefused(o -> o.vars = o.code, ExitCodes.BAD_INPUT, o(o -> o.code), "-V/--vars-template");
        Path ms = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.ms.fd");
        assertRefused(o -> o.vars = ms, ExitCodes.BAD_INPUT, ms.toString(), "already has a PK");
        assertRefused(o -> o.shell = o.code, ExitCodes.BAD_INPUT, o(o -> o.code), "-s/--shell", "no MZ");
        assertRefused(o -> o.enroll = temp, ExitCodes.BAD_INPUT, temp.toString(), "is a directory");
        Path text = Files.writeString(temp.resolve("cert.pem"), "not a certificate\n");
        assertRefused(o -> o.certificate = text.toString(), ExitCodes.BAD_INPUT, text.toString(), "BEGIN CERTIFICATE");
        assertRefused(o -> o.certificate = OemString.PREFIX + "AAAA", ExitCodes.BAD_INPUT, "-C/--certificate", "X.509");
        assertRefused(o -> o.certificate = "/no/such.pem", ExitCodes.USAGE, "/no/such.pem", "neither an OEM string");
        Path noDir = temp.resolve("no/such/dir/out.fd");
        assertRefused(o -> o.out = noDir, ExitCodes.BAD_INPUT, noDir.toString(), "-o/--out-file");
        assertRefused(o -> o.json = temp, ExitCodes.BAD_INPUT, temp.toString(), "--json-report");
    }

    @Test
    void nonEmptyTemplateInSetupModeOnlyWarns() throws Exception {
        byte[] template = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd");
        var store = org.varsgen.varstore.VarStoreParser.parse(template).withVariable(
                org.varsgen.varstore.KnownGuids.EFI_GLOBAL_VARIABLE, "Timeout", 7, org.varsgen.varstore.EfiTime.zero(),
                new byte[] {5, 0});
        Path vars = Files.write(temp.resolve("vars.fd"), org.varsgen.varstore.VarStoreWriter.write(store));
        JobOptions o = options();
        o.vars = vars;
        GenerationPlan plan = o.plan();
        assertEquals(1, plan.warnings().size());
        assertTrue(plan.warnings().get(0).contains("not empty"), plan.warnings()::toString);
    }

    private String o(java.util.function.Function<JobOptions, Path> field) {
        return field.apply(options()).toString();
    }
}
