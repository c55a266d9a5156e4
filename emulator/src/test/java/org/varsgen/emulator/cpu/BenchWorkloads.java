package org.varsgen.emulator.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The interpreter benchmark's fixed 64-bit workloads (nasm sources and their assembled bytes in
 * src/test/resources/bench/, reassembled by scripts/assemble-bench-workloads.sh), each set up on
 * a {@link Cpu} over a {@link RamOnlyMemory} in 64-bit mode with the first 1 GiB identity-mapped
 * by 2 MiB pages. Input data comes from a fixed-seed generator, so every run is the same.
 */
final class BenchWorkloads {
    static final int RAM = 16 << 20;
    static final long CODE = 0x10000;
    static final long PAGE_TABLES = 0x200000;
    static final long TABLE = 0x300000;
    static final long SRC = 0x400000;
    static final long DST = 0x800000;
    static final long STACK = 0x80000;

    /** The workloads by name (the resource file name without extension). */
    static final String[] NAMES = {"dec-jnz", "crc32-bitwise", "crc32-table", "bytecopy", "rangedecoder"};

    /** The workloads use no ports: reads float high, writes go nowhere. */
    private static final IoBus NO_PORTS = new IoBus() {
        @Override
        public long read(int port, int size) {
            return (1L << (8 * size)) - 1;
        }

        @Override
        public void write(int port, int size, long value) {
        }
    };

    final String name;
    final RamOnlyMemory memory = new RamOnlyMemory(RAM);
    final byte[] ram = memory.ram();
    final Cpu cpu;

    /**
     * Sets up {@code name} over {@code length} bytes (symbols for the range decoder), repeated
     * {@code repetitions} times; with a huge repetition count the workload runs as long as asked.
     */
    BenchWorkloads(String name, int length, long repetitions) {
        this.name = name;
        cpu = new Cpu(memory, NO_PORTS, InterruptPins.NONE, new VirtualClock());
        enterLongMode();
        byte[] code = resource(name + ".bin");
        System.arraycopy(code, 0, ram, (int) CODE, code.length);
        fillRandom(SRC, (int) (DST - SRC), 0x5EED1234L);
        long[] r = cpu.state().gpr;
        r[CpuState.RSI] = SRC;
        r[CpuState.RDI] = DST;
        r[CpuState.RCX] = length;
        r[CpuState.R8] = repetitions;
        r[CpuState.R10] = TABLE;
        if (name.equals("rangedecoder")) {
            for (int i = 0; i < 8 * 256; i++) {
                ram[(int) TABLE + 2 * i] = (byte) 0x00;
                ram[(int) TABLE + 2 * i + 1] = (byte) 0x04; // 1024: probability one half
            }
            ram[(int) SRC] = 0; // an LZMA stream's first byte is always zero
        }
        cpu.physicalMemoryWritten(0, RAM);
    }

    static byte[] resource(String file) {
        try (InputStream in = BenchWorkloads.class.getResourceAsStream("/bench/" + file)) {
            if (in == null) {
                throw new IllegalStateException("benchmark workload bench/" + file + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** xorshift64 bytes: fixed, incompressible input. */
    private void fillRandom(long at, int len, long seed) {
        long x = seed;
        for (int i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            ram[(int) at + i] = (byte) x;
        }
    }

    private void write64(long addr, long v) {
        for (int i = 0; i < 8; i++) {
            ram[(int) addr + i] = (byte) (v >>> (8 * i));
        }
    }

    private void enterLongMode() {
        CpuState s = cpu.state();
        write64(PAGE_TABLES, (PAGE_TABLES + 0x1000) | 7);
        write64(PAGE_TABLES + 0x1000, (PAGE_TABLES + 0x2000) | 7);
        for (int i = 0; i < 512; i++) {
            write64(PAGE_TABLES + 0x2000 + 8L * i, ((long) i << 21) | 0x87);
        }
        s.cr3 = PAGE_TABLES;
        s.cr4 = CpuState.CR4_PAE | CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT;
        s.efer = CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_NXE;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_PG | CpuState.CR0_WP;
        s.segments[CpuState.CS].load(0x08, 0, 0xFFFFFFFFL,
                SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB | SegmentCache.ATTR_L | SegmentCache.ATTR_G);
        for (int seg : new int[] {CpuState.DS, CpuState.ES, CpuState.SS, CpuState.FS, CpuState.GS}) {
            s.segments[seg].load(0x10, 0, 0xFFFFFFFFL,
                    SegmentCache.ATTR_P | SegmentCache.ATTR_S | 3 | SegmentCache.ATTR_DB | SegmentCache.ATTR_G);
        }
        s.rip = CODE;
        s.gpr[CpuState.RSP] = STACK;
        cpu.flushCaches();
    }
}
