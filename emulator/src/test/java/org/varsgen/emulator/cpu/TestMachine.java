package org.varsgen.emulator.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.time.VirtualClock;

/**
 * A CPU on 16 MiB of RAM whose last 64 KiB also appear just below 4 GiB (so a reset vector
 * can run), with an I/O bus that records writes, and helpers to enter each CPU mode directly
 * and to assemble test code with nasm (tests skip when nasm is missing).
 */
final class TestMachine {
    static final int RAM = 16 << 20;
    static final long HIGH_ALIAS = 0xFFFF0000L;
    static final long CODE = 0x10000;
    static final long PAGE_TABLES = 0x200000;

    final byte[] ram;
    final List<long[]> ioWrites = new ArrayList<>();
    final int[] ioReadValue = {0xFF};
    final VirtualClock clock;
    final Cpu cpu;
    final CpuState s;
    final PhysicalMemory memory;
    final IoBus io;

    /** The standalone machine: 16 MiB of RAM with its high alias, I/O writes recorded, no interrupts. */
    TestMachine() {
        ram = new byte[RAM];
        clock = new VirtualClock();
        memory = aliasedRam();
        io = recordingIo();
        cpu = new Cpu(memory, io, InterruptPins.NONE, clock);
        s = cpu.state();
    }

    /** A CPU on buses the test assembles (the guest programs' machine: real bus, devices, APIC). */
    TestMachine(PhysicalMemory memory, IoBus io, InterruptPins pins, VirtualClock clock) {
        this.ram = memory.ram();
        this.clock = clock;
        this.memory = memory;
        this.io = io;
        cpu = new Cpu(memory, io, pins, clock);
        s = cpu.state();
    }

    private PhysicalMemory aliasedRam() {
        return new PhysicalMemory() {
            private long offset(long a) {
                if (a >= 0 && a < RAM) {
                    return a;
                }
                if (a >= HIGH_ALIAS && a <= 0xFFFFFFFFL) {
                    return a - HIGH_ALIAS + RAM - 0x10000;
                }
                return -1;
            }

            @Override
            public long read(long address, int size, int attrs) {
                long o = offset(address);
                if (o < 0) {
                    return size == 8 ? -1L : (1L << (8 * size)) - 1;
                }
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = (v << 8) | (ram[(int) o + i] & 0xFF);
                }
                return v;
            }

            @Override
            public void write(long address, int size, long value, int attrs) {
                long o = offset(address);
                if (o < 0) {
                    return;
                }
                for (int i = 0; i < size; i++) {
                    ram[(int) o + i] = (byte) (value >>> (8 * i));
                }
            }

            @Override
            public byte[] ram() {
                return ram;
            }

            @Override
            public long ramOffset(long address, int attrs, boolean write) {
                long o = offset(address);
                return o < 0 ? -1 : o & ~0xFFFL;
            }

            @Override
            public long mappingGeneration() {
                return 0;
            }
        };
    }

    private IoBus recordingIo() {
        return new IoBus() {
            @Override
            public long read(int port, int size) {
                return ioReadValue[0] & ((1L << (8 * size)) - 1);
            }

            @Override
            public void write(int port, int size, long value) {
                ioWrites.add(new long[] {port, size, value});
            }
        };
    }

    void load(long addr, byte[] code) {
        System.arraycopy(code, 0, ram, (int) addr, code.length);
    }

    void load(long addr, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            ram[(int) addr + i] = (byte) bytes[i];
        }
    }

    long read64(long addr) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (ram[(int) addr + i] & 0xFF);
        }
        return v;
    }

    void write64(long addr, long v) {
        for (int i = 0; i < 8; i++) {
            ram[(int) addr + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Real mode, CS = CODE / 16 and IP = 0; DS = ES = SS = 0. */
    void real() {
        s.segments[CpuState.CS].load((int) (CODE >> 4), CODE, 0xFFFF, SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB);
        for (int seg : new int[] {CpuState.DS, CpuState.ES, CpuState.SS, CpuState.FS, CpuState.GS}) {
            s.segments[seg].load(0, 0, 0xFFFF, SegmentCache.ATTR_P | SegmentCache.ATTR_S | 3);
        }
        s.rip = 0;
        s.gpr[CpuState.RSP] = 0x8000;
    }

    private void flat(int csAttr) {
        s.segments[CpuState.CS].load(0x08, 0, 0xFFFFFFFFL, csAttr);
        for (int seg : new int[] {CpuState.DS, CpuState.ES, CpuState.SS, CpuState.FS, CpuState.GS}) {
            s.segments[seg].load(0x10, 0, 0xFFFFFFFFL,
                    SegmentCache.ATTR_P | SegmentCache.ATTR_S | 3 | SegmentCache.ATTR_DB | SegmentCache.ATTR_G);
        }
    }

    /** Flat 32-bit protected mode without paging. */
    void protected32() {
        s.cr0 = 0x60000011L;
        flat(SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB | SegmentCache.ATTR_DB | SegmentCache.ATTR_G);
        s.rip = CODE;
        s.gpr[CpuState.RSP] = 0x80000;
    }

    /** 64-bit mode, identity-mapped first 1 GiB with 2 MiB pages (tables at PAGE_TABLES), SSE enabled. */
    void long64() {
        write64(PAGE_TABLES, (PAGE_TABLES + 0x1000) | 7);
        write64(PAGE_TABLES + 0x1000, (PAGE_TABLES + 0x2000) | 7);
        for (int i = 0; i < 512; i++) {
            write64(PAGE_TABLES + 0x2000 + 8L * i, ((long) i << 21) | 0x87);
        }
        s.cr3 = PAGE_TABLES;
        s.cr4 = CpuState.CR4_PAE | CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT;
        s.efer = CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_NXE;
        s.cr0 = 0xE0000011L & ~(CpuState.CR0_CD | CpuState.CR0_NW) | CpuState.CR0_PG | CpuState.CR0_WP;
        flat(SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB | SegmentCache.ATTR_L | SegmentCache.ATTR_G);
        s.rip = CODE;
        s.gpr[CpuState.RSP] = 0x80000;
        cpu.flushCaches();
    }

    /** Runs until HLT (or a step limit); fails the test on a runaway guest. */
    void runToHlt() {
        cpu.run(5_000_000);
        if (cpu.shutdown()) {
            throw new AssertionError(String.format("triple fault; rip=%x", s.rip));
        }
        if (!s.halted) {
            throw new AssertionError(String.format("guest did not halt; rip=%x", s.rip));
        }
    }

    /** Assembles {@code source} (with its own BITS/ORG lines) with nasm; skips the test if nasm is missing. */
    static byte[] nasm(String source) {
        try {
            Path dir = Files.createTempDirectory("varsgen-nasm");
            Path src = dir.resolve("t.asm");
            Path out = dir.resolve("t.bin");
            Files.writeString(src, source, StandardCharsets.UTF_8);
            Process p;
            try {
                p = new ProcessBuilder("nasm", "-f", "bin", "-o", out.toString(), src.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                Assumptions.abort("nasm is not installed: " + e.getMessage());
                return null;
            }
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("nasm failed: " + msg);
            }
            byte[] b = Files.readAllBytes(out);
            Files.delete(src);
            Files.delete(out);
            Files.delete(dir);
            return b;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run nasm", e);
        }
    }

    /** Assembles a 64-bit snippet at CODE, followed by HLT, runs it in long mode. */
    void run64(String asm) {
        long64();
        load(CODE, nasm("bits 64\norg 0x" + Long.toHexString(CODE) + "\n" + asm + "\nhlt\n"));
        runToHlt();
    }

    void run32(String asm) {
        protected32();
        load(CODE, nasm("bits 32\norg 0x" + Long.toHexString(CODE) + "\n" + asm + "\nhlt\n"));
        runToHlt();
    }

    void run16(String asm) {
        real();
        load(CODE, nasm("bits 16\norg 0\n" + asm + "\nhlt\n"));
        runToHlt();
    }

    long reg(int n) {
        return s.gpr[n];
    }
}
