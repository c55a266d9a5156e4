package org.varsgen.emulator.cpu;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Guest MIPS of the interpreter on fixed workloads (docs/PERFORMANCE.md); run it with
 * scripts/bench-interpreter.sh. Each synthetic workload ({@link BenchWorkloads}) runs endlessly
 * repeated: first a warm-up so that HotSpot has compiled the interpreter, then several timed
 * rounds of a fixed instruction count, of which the best and the median are printed (the
 * machine is shared, so the best round is the least disturbed one). The OVMF workload boots the
 * release OVMF_CODE_4M.fd of the fixtures from its reset vector and times a fixed number of
 * instructions in SEC's LZMA decompression after a warm-up stretch; it is skipped when the
 * fixture is missing. Host time is used here only to measure, never given to a guest. Besides
 * wall-clock MIPS it prints MIPS per second of this thread's CPU time, which other processes on
 * a shared machine disturb less (JIT compiler threads are not counted in it).
 *
 * <p>Arguments: {@code [scale [workload...]]}: the scale multiplies every instruction count
 * (default 1.0; 0.1 for a quick look); named workloads (see {@link BenchWorkloads#NAMES}, and
 * {@code ovmf-sec-lzma}) restrict the run to those.
 */
public final class InterpreterBenchmark {
    private static final long ROUND = 20_000_000;
    private static final int ROUNDS = 5;
    private static final long WARMUP = 40_000_000;
    /** The OVMF run: instructions before timing (reset vector, SEC start, LZMA warm-up), then timed. */
    private static final long OVMF_SKIP = 60_000_000, OVMF_TIMED = 150_000_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private InterpreterBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<String> only = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        System.out.printf(Locale.ROOT, "%-16s %10s %10s %10s %12s%n", "workload", "best MIPS", "median", "cpu MIPS",
                "instructions");
        for (String name : BenchWorkloads.NAMES) {
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            BenchWorkloads w = new BenchWorkloads(name, 1 << 16, Long.MAX_VALUE);
            w.cpu.run((long) (WARMUP * scale));
            double[] mips = new double[ROUNDS];
            double cpuMips = 0;
            long round = (long) (ROUND * scale);
            for (int i = 0; i < ROUNDS; i++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long n = w.cpu.run(round);
                mips[i] = n * 1e3 / (System.nanoTime() - t0);
                cpuMips = Math.max(cpuMips, n * 1e3 / (THREADS.getCurrentThreadCpuTime() - c0));
            }
            Arrays.sort(mips);
            System.out.printf(Locale.ROOT, "%-16s %10.1f %10.1f %10.1f %12d%n", name, mips[ROUNDS - 1], mips[ROUNDS / 2],
                    cpuMips, round * ROUNDS);
        }
        if (only.isEmpty() || only.contains("ovmf-sec-lzma")) {
            ovmf(scale);
        }
    }

    private static void ovmf(double scale) throws IOException {
        Path dir = InventoryDecodeTest.firmwareDir();
        Path code = dir == null ? null : dir.resolve("debian-trixie/OVMF_CODE_4M.fd");
        Path vars = dir == null ? null : dir.resolve("debian-trixie/OVMF_VARS_4M.fd");
        if (code == null || !Files.exists(code) || !Files.exists(vars)) {
            System.out.println("ovmf-sec-lzma    skipped: debian-trixie/OVMF_CODE_4M.fd not found (set -Dvarsgen.firmware)");
            return;
        }
        OvmfStubPlatform p = new OvmfStubPlatform(code, vars);
        long skip = (long) (OVMF_SKIP * scale);
        long timed = (long) (OVMF_TIMED * scale);
        long t0 = System.nanoTime();
        long n0 = runChunks(p.cpu, skip);
        long t1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        long n1 = runChunks(p.cpu, timed);
        long c2 = THREADS.getCurrentThreadCpuTime();
        long t2 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "ended at rip %x", p.cpu.state().rip));
        if (p.cpu.shutdown() || p.cpu.state().halted) {
            notes.add("stopped early");
        }
        System.out.printf(Locale.ROOT, "%-16s %10.1f %10s %10.1f %12d  (first %d instructions from reset: %.1f MIPS, %.2f s)%s%n",
                "ovmf-sec-lzma", n1 * 1e3 / (t2 - t1), "-", n1 * 1e3 / (c2 - c1), n1, n0, n0 * 1e3 / (t1 - t0),
                (t1 - t0) / 1e9,
                notes.isEmpty() ? "" : "  " + notes);
    }

    /** Runs in the board's chunk size until {@code count} instructions retired or the CPU stops. */
    private static long runChunks(Cpu cpu, long count) {
        long done = 0;
        while (done < count && !cpu.shutdown() && !cpu.state().halted) {
            done += cpu.run(Math.min(100_000, count - done));
        }
        return done;
    }
}
