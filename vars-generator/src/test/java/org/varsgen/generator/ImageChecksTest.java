package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

class ImageChecksTest {
    @Test
    void debiansShellAndEnrollDefaultKeysAreX64EfiApplications() {
        assertEquals(Optional.empty(), EfiApplicationCheck.problem(FirmwareFixtures.read("debian-trixie/shellx64.efi")));
        assertEquals(Optional.empty(),
                EfiApplicationCheck.problem(FirmwareFixtures.read("debian-trixie/EnrollDefaultKeys.efi")));
    }

    @Test
    void wrongMachineSubsystemOrHeaderIsNamed() {
        byte[] good = FirmwareFixtures.read("debian-trixie/EnrollDefaultKeys.efi");
        int pe = (good[0x3C] & 0xFF) | (good[0x3D] & 0xFF) << 8;
        byte[] arm = good.clone();
        arm[pe + 4] = 0x64;
        arm[pe + 5] = (byte) 0xAA;
        assertTrue(EfiApplicationCheck.problem(arm).orElseThrow().contains("machine 0xaa64"));
        byte[] driver = good.clone();
        driver[pe + 24 + 68] = 11;
        assertTrue(EfiApplicationCheck.problem(driver).orElseThrow().contains("subsystem 11"));
        byte[] pe32 = good.clone();
        pe32[pe + 24] = 0x0B;
        pe32[pe + 25] = 0x01;
        assertTrue(EfiApplicationCheck.problem(pe32).orElseThrow().contains("not PE32+"));
        assertTrue(EfiApplicationCheck.problem("#!/bin/sh\n".repeat(10).getBytes()).orElseThrow().contains("no MZ"));
        assertTrue(EfiApplicationCheck.problem(java.util.Arrays.copyOf(good, 0x90)).orElseThrow().contains("outside"));
    }

    @Test
    void codeImageMustHoldAVolumeAndFillTheFlavorsFlash() {
        byte[] code = FirmwareFixtures.read("debian-trixie/OVMF_CODE_4M.secboot.fd");
        long vars = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd").length;
        assertEquals(Optional.empty(), FirmwareCodeCheck.problem(code, vars, Flavor.OVMF_4M));
        assertTrue(FirmwareCodeCheck.problem(code, vars, Flavor.OVMF).orElseThrow().contains("2 MiB flash"));
        byte[] noVolume = code.clone();
        noVolume[40] = 'X';
        assertTrue(FirmwareCodeCheck.problem(noVolume, vars, Flavor.OVMF_4M).orElseThrow().contains("_FVH"));
        assertTrue(FirmwareCodeCheck.problem(java.util.Arrays.copyOf(code, code.length - 100), vars, Flavor.OVMF_4M)
                .orElseThrow().contains("multiple of 4096"));
    }
}
