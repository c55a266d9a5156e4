package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The CPU on real firmware: the DEBUG no-SMM OVMF from its reset vector through the 16/32/64-bit
 * mode switches and page-table setup to SEC's first debug message. With
 * -Dvarsgen.cpu.ovmfLzma=true it goes on through SEC's LZMA decompression of the firmware
 * volumes (about 570 M instructions) into PEI. The platform is a stub just big enough for this:
 * RAM, the flash image at the top of 4 GiB, the q35 host bridge and LPC IDs in PCI config space,
 * the ACPI PM timer, and the debug console (port 0x402, answering 0xE9 to the probe).
 */
class OvmfSecSmokeTest {
    private static final int RAM = 256 << 20;
    private static final long FLASH = 0xFFC00000L;

    private final StringBuilder console = new StringBuilder();
    private final VirtualClock clock = new VirtualClock();

    private Cpu boot() throws IOException {
        Path dir = InventoryDecodeTest.firmwareDir();
        Assumptions.assumeTrue(dir != null, "firmware fixtures not found; set -Dvarsgen.firmware");
        Path codeFile = dir.resolve("edk2-2025.02-debug/OVMF_CODE_4M.fd");
        Path varsFile = dir.resolve("edk2-2025.02-debug/OVMF_VARS_4M.fd");
        Assumptions.assumeTrue(Files.exists(codeFile) && Files.exists(varsFile), codeFile + " not found");
        byte[] code = Files.readAllBytes(codeFile);
        byte[] vars = Files.readAllBytes(varsFile);
        byte[] mem = new byte[RAM + (4 << 20)];
        System.arraycopy(vars, 0, mem, RAM, vars.length);
        System.arraycopy(code, 0, mem, RAM + vars.length, code.length);
        PhysicalMemory pm = new PhysicalMemory() {
            private long off(long a) {
                if (a >= 0 && a < RAM) {
                    return a;
                }
                return a >= FLASH && a <= 0xFFFFFFFFL ? a - FLASH + RAM : -1;
            }

            @Override
            public long read(long a, int size, int attrs) {
                long o = off(a);
                if (o < 0) {
                    return size == 8 ? -1L : (1L << (8 * size)) - 1;
                }
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = (v << 8) | (mem[(int) o + i] & 0xFF);
                }
                return v;
            }

            @Override
            public void write(long a, int size, long v, int attrs) {
                long o = off(a);
                if (o >= 0 && o < RAM) {
                    for (int i = 0; i < size; i++) {
                        mem[(int) o + i] = (byte) (v >>> (8 * i));
                    }
                }
            }

            @Override
            public byte[] ram() {
                return mem;
            }

            @Override
            public long ramOffset(long a, int attrs, boolean write) {
                long o = off(a);
                return o < 0 || write && o >= RAM ? -1 : o & ~0xFFFL;
            }

            @Override
            public long mappingGeneration() {
                return 0;
            }
        };
        long[] cf8 = {0};
        IoBus io = new IoBus() {
            @Override
            public long read(int port, int size) {
                long ones = (1L << (8 * size)) - 1;
                if (port == 0x402) {
                    return 0xE9;
                }
                if (port >= 0xCFC && port < 0xD00) {
                    int dev = (int) (cf8[0] >> 11) & 0x1F;
                    int fn = (int) (cf8[0] >> 8) & 7;
                    int reg = (int) (cf8[0] & 0xFC) + (port - 0xCFC);
                    long id = dev == 0 && fn == 0 ? 0x29C08086L : dev == 31 && fn == 0 ? 0x29188086L : -1;
                    if (id == -1) {
                        return ones;
                    }
                    return reg < 4 ? (id >> (8 * reg)) & ones : 0;
                }
                if (port == 0x608) {
                    return (long) (clock.now() * 3.579545e-3) & 0xFFFFFF;
                }
                return ones;
            }

            @Override
            public void write(int port, int size, long v) {
                if (port == 0xCF8 && size == 4) {
                    cf8[0] = v;
                } else if (port == 0x402) {
                    console.append((char) v);
                }
            }
        };
        return new Cpu(pm, io, InterruptPins.NONE, clock);
    }

    private void runUntil(Cpu cpu, String text, long maxInstructions) {
        long done = 0;
        while (!console.toString().contains(text) && done < maxInstructions && !cpu.shutdown()) {
            done += cpu.run(100_000);
            if (cpu.state().halted) {
                break;
            }
        }
    }

    @Test
    void resetVectorToSecCore() throws IOException {
        Cpu cpu = boot();
        runUntil(cpu, "SecCoreStartupWithStack(", 5_000_000);
        assertTrue(console.toString().contains("SecCoreStartupWithStack(0xFFFCC000, 0x820000)"), console.toString());
        assertTrue(cpu.state().in64BitMode());
        assertFalse(cpu.shutdown());
    }

    @Test
    void lzmaDecompressionIntoPei() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("varsgen.cpu.ovmfLzma"),
                "slow (about 570 M instructions); enable with -Dvarsgen.cpu.ovmfLzma=true");
        Cpu cpu = boot();
        runUntil(cpu, "Platform PEIM Loaded", 800_000_000);
        assertTrue(console.toString().contains("The 0th FV start address is 0x00000820000"), console.toString());
        assertTrue(console.toString().contains("Platform PEIM Loaded"), console.toString());
    }
}
