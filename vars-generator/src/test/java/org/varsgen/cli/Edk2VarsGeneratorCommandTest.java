package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.fixtures.FirmwareFixtures;

/** The subcommand as Debian's build calls it: flags, exit codes and one-line messages. */
class Edk2VarsGeneratorCommandTest {
    @TempDir
    Path temp;

    private static String fixture(String name) {
        return FirmwareFixtures.require("debian-trixie/" + name).toString();
    }

    /** Debian's call for OVMF_VARS_4M.ms.fd, short flags, -C given the OEM string itself. */
    private List<String> debianArgs() throws Exception {
        String oem = Files.readString(Path.of(fixture("oem-string-vendor")), StandardCharsets.US_ASCII);
        return new ArrayList<>(List.of("edk2-vars-generator", "-f", "OVMF_4M", "-e", fixture("EnrollDefaultKeys.efi"),
                "-s", fixture("shellx64.efi"), "-C", oem, "-c", fixture("OVMF_CODE_4M.secboot.fd"),
                "-V", fixture("OVMF_VARS_4M.fd"), "-o", temp.resolve("out.fd").toString()));
    }

    private static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * The whole job on varsgen's own machine, as Debian's build calls it: the store must equal
     * Debian's shipped OVMF_VARS_4M.ms.fd variable for variable, with every PK/KEK/db/dbx time
     * stamp equal to SOURCE_DATE_EPOCH (the job checks that itself and fails otherwise).
     */
    @Test
    void debiansCallMakesDebiansStoreWithTimeStampsAtTheEpochTheSameTwice() throws Exception {
        List<String> args = debianArgs();
        args.addAll(List.of("--source-date-epoch", "1700000000", "--timeout", "900"));
        CliRun r = run(args);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        Path out = temp.resolve("out.fd");
        // Same inputs and epoch, same bytes: the second run writes beside the first.
        Path again = temp.resolve("again.fd");
        args.set(args.indexOf(out.toString()), again.toString());
        CliRun second = run(args);
        assertEquals(ExitCodes.OK, second.exitCode(), second.err());
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again), "two runs, identical stores");
        CliRun diff = CliRun.of("diff", "--ignore-timestamps", fixture("OVMF_VARS_4M.ms.fd"), out.toString());
        assertEquals(ExitCodes.OK, diff.exitCode(), diff.out());
        CliRun inspect = CliRun.of("inspect", out.toString());
        assertEquals(4, inspect.out().lines().filter(l -> l.contains("time stamp 2023-11-14 22:13:20")).count(),
                inspect.out());
    }

    /** Debian's snakeoil call: --no-default and the snakeoil certificate's OEM string. */
    @Test
    void theSnakeoilCallMakesDebiansSnakeoilStore() throws Exception {
        List<String> args = debianArgs();
        int c = args.indexOf("-C");
        args.set(c + 1, Files.readString(Path.of(fixture("oem-string-snakeoil")), StandardCharsets.US_ASCII));
        args.addAll(List.of("--no-default", "--source-date-epoch", "1700000000", "--timeout", "900"));
        CliRun r = run(args);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        CliRun diff = CliRun.of("diff", "--ignore-timestamps", fixture("OVMF_VARS_4M.snakeoil.fd"),
                temp.resolve("out.fd").toString());
        assertEquals(ExitCodes.OK, diff.exitCode(), diff.out());
    }

    @Test
    void aRunThatCannotFinishInTimeFailsWithoutOutput() throws Exception {
        List<String> args = debianArgs();
        args.addAll(List.of("--timeout", "1"));
        CliRun r = run(args);
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("varsgen: "), r.err());
        assertFalse(Files.exists(temp.resolve("out.fd")));
    }

    @Test
    void longFlagsAndExtrasAreAccepted() throws Exception {
        List<String> args = new ArrayList<>(List.of("edk2-vars-generator", "--flavor", "OVMF_4M",
                "--enrolldefaultkeys", fixture("EnrollDefaultKeys.efi"), "--shell", fixture("shellx64.efi"),
                "--certificate", fixture("PkKek-1-snakeoil.pem"), "--code", fixture("OVMF_CODE_4M.secboot.fd"),
                "--vars-template", fixture("OVMF_VARS_4M.fd"), "--out-file", temp.resolve("o.fd").toString(),
                "--no-default", "-d", "--source-date-epoch", "1700000000", "--json-report",
                temp.resolve("r.json").toString(), "--timeout", "1", "--debugcon", temp.resolve("d.log").toString(),
                "--serial-log", temp.resolve("s.log").toString()));
        CliRun r = run(args);
        // Parsed and validated; the one-second limit then stops the boot early.
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("wall clock limit"), r.err());
        assertFalse(Files.exists(temp.resolve("o.fd")));
    }

    @Test
    void capitalVIsTheVarsTemplateNotVersion() throws Exception {
        List<String> args = debianArgs();
        int v = args.indexOf("-V");
        args.remove(v + 1);
        args.remove(v);
        CliRun missing = run(args);
        assertEquals(ExitCodes.USAGE, missing.exitCode());
        assertTrue(missing.err().contains("--vars-template"), missing.err());
        CliRun bare = CliRun.of("edk2-vars-generator", "-V");
        assertEquals(ExitCodes.USAGE, bare.exitCode());
        assertFalse(bare.out().contains("0.1"), "no version printed");
    }

    @Test
    void unsupportedFlavorAndBadFilesGiveOneLineNamingTheProblem() throws Exception {
        List<String> aavmf = debianArgs();
        aavmf.set(aavmf.indexOf("OVMF_4M"), "AAVMF");
        CliRun r = run(aavmf);
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("varsgen: -f/--flavor AAVMF: varsgen emulates x86-64 only (flavors OVMF and OVMF_4M)",
                r.err().strip());

        List<String> swapped = debianArgs();
        swapped.set(swapped.indexOf("-s") + 1, fixture("OVMF_VARS_4M.fd"));
        CliRun bad = run(swapped);
        assertEquals(ExitCodes.BAD_INPUT, bad.exitCode());
        assertTrue(bad.err().startsWith("varsgen: " + fixture("OVMF_VARS_4M.fd") + ": not an x86-64 EFI application"),
                bad.err());
        assertTrue(bad.err().strip().endsWith("(-s/--shell)"), bad.err());
        assertEquals(1, bad.err().lines().count());
    }

    @Test
    void helpListsDebiansFlags() {
        CliRun r = CliRun.of("edk2-vars-generator", "--help");
        assertEquals(ExitCodes.OK, r.exitCode());
        for (String flag : List.of("--flavor", "--enrolldefaultkeys", "--shell", "--certificate", "--code",
                "--vars-template", "--out-file", "--no-default", "--debug")) {
            assertTrue(r.out().contains(flag), flag);
        }
    }
}
