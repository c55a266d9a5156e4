package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CPU on real firmware: the DEBUG no-SMM OVMF from its reset vector through the 16/32/64-bit
 * mode switches and page-table setup to SEC's first debug message. With
 * -Dvarsgen.cpu.ovmfLzma=true it goes on through SEC's LZMA decompression of the firmware
 * volumes (about 570 M instructions) into PEI, on the stub platform of {@link OvmfStubPlatform}.
 */
class OvmfSecSmokeTest {
    private OvmfStubPlatform platform;

    private Cpu boot() throws IOException {
        Path dir = InventoryDecodeTest.firmwareDir();
        Assumptions.assumeTrue(dir != null, "firmware fixtures not found; set -Dvarsgen.firmware");
        Path codeFile = dir.resolve("edk2-2025.02-debug/OVMF_CODE_4M.fd");
        Path varsFile = dir.resolve("edk2-2025.02-debug/OVMF_VARS_4M.fd");
        Assumptions.assumeTrue(Files.exists(codeFile) && Files.exists(varsFile), codeFile + " not found");
        platform = new OvmfStubPlatform(codeFile, varsFile);
        return platform.cpu;
    }

    @Test
    void resetVectorToSecCore() throws IOException {
        Cpu cpu = boot();
        platform.runUntil("SecCoreStartupWithStack(", 5_000_000);
        String console = platform.console.toString();
        assertTrue(console.contains("SecCoreStartupWithStack(0xFFFCC000, 0x820000)"), console);
        assertTrue(cpu.state().in64BitMode());
        assertFalse(cpu.shutdown());
    }

    @Test
    void lzmaDecompressionIntoPei() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("varsgen.cpu.ovmfLzma"),
                "slow (about 570 M instructions); enable with -Dvarsgen.cpu.ovmfLzma=true");
        Cpu cpu = boot();
        platform.runUntil("Platform PEIM Loaded", 800_000_000);
        String console = platform.console.toString();
        assertTrue(console.contains("The 0th FV start address is 0x00000820000"), console);
        assertTrue(console.contains("Platform PEIM Loaded"), console);
    }
}
