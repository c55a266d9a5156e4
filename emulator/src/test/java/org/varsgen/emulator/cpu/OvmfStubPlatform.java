package org.varsgen.emulator.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.time.VirtualClock;

/**
 * A platform just big enough for OVMF's SEC phase: RAM, the flash image (vars then code) at the
 * top of 4 GiB, the q35 host bridge and LPC IDs in PCI config space, the ACPI PM timer at 0x608,
 * and the debug console (port 0x402, answering 0xE9 to the probe) collected in {@link #console}.
 */
final class OvmfStubPlatform {
    private static final int RAM = 256 << 20;
    private static final long FLASH = 0xFFC00000L;

    final StringBuilder console = new StringBuilder();
    final VirtualClock clock = new VirtualClock();
    final Cpu cpu;

    OvmfStubPlatform(Path codeFile, Path varsFile) throws IOException {
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
        cpu = new Cpu(pm, io, InterruptPins.NONE, clock);
    }

    /** Runs until {@code text} appears on the debug console, a halt, a shutdown or the budget. */
    void runUntil(String text, long maxInstructions) {
        long done = 0;
        while (!console.toString().contains(text) && done < maxInstructions && !cpu.shutdown()) {
            done += cpu.run(100_000);
            if (cpu.state().halted) {
                break;
            }
        }
    }
}
