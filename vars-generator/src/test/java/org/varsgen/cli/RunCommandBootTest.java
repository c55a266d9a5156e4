package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreParser;

/**
 * End to end: Debian trixie's release OVMF (no SMM) boots in {@code varsgen run} to the UEFI
 * shell from a FAT disk built in memory; the input script presses ESC at the countdown and types
 * {@code reset -s} at {@code Shell>}; the guest powers off through ACPI S5 and the vars flash is
 * written. Skips when the firmware fixtures are missing.
 */
@Tag("boot")
class RunCommandBootTest {
    @TempDir
    Path tmp;

    @Test
    void releaseOvmfBootsToTheShellAndResetDashSPowersOff() throws Exception {
        Path code = FirmwareFixtures.require("debian-trixie/OVMF_CODE_4M.fd");
        Path vars = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.fd");
        Path shell = FirmwareFixtures.require("debian-trixie/shellx64.efi");
        Path script = tmp.resolve("input.script");
        Files.writeString(script, "expect Press ESC\nsend-raw \\e\nexpect Shell>\nsend reset -s\n");
        Path serial = tmp.resolve("serial.log");
        Path varsOut = tmp.resolve("vars-out.fd");

        CliRun run = CliRun.of("run", "--code", code.toString(), "--vars", vars.toString(),
                "--disk-file", "EFI/BOOT/BOOTX64.EFI=" + shell, "--serial", serial.toString(),
                "--input-script", script.toString(), "--vars-out", varsOut.toString(),
                "--max-instructions", "4000000000", "--timeout", "540");

        String console = new String(Files.readAllBytes(serial), StandardCharsets.ISO_8859_1)
                .replaceAll("\u001b\\[[0-9;=]*[A-Za-z]", "");
        assertEquals(0, run.exitCode(), run.err() + "\nconsole:\n" + console);
        assertInOrder(console, List.of("BdsDxe: loading Boot", "UEFI Interactive Shell", "FS0:",
                "Press ESC in 5 seconds", "Shell> reset -s"));
        byte[] written = Files.readAllBytes(varsOut);
        byte[] template = Files.readAllBytes(vars);
        assertEquals(template.length, written.length);
        assertFalse(Arrays.equals(template, written), "the firmware wrote its boot variables");
        VarStore store = VarStoreParser.parse(written);
        assertTrue(store.find(KnownGuids.EFI_GLOBAL_VARIABLE, "BootOrder").isPresent());
    }

    private static void assertInOrder(String text, List<String> milestones) {
        int at = 0;
        for (String m : milestones) {
            int found = text.indexOf(m, at);
            assertTrue(found >= 0, "\"" + m + "\" missing after offset " + at + " in:\n" + text);
            at = found + m.length();
        }
    }
}
