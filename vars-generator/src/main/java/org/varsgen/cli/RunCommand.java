package org.varsgen.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;
import org.varsgen.disk.FatImageBuilder;
import org.varsgen.disk.FatType;
import org.varsgen.emulator.board.BoardConfig;
import org.varsgen.emulator.board.Machine;
import org.varsgen.emulator.board.Q35Board;
import org.varsgen.emulator.board.RunLimits;
import org.varsgen.emulator.board.RunOutcome;
import org.varsgen.emulator.watchdog.DeadLoopWatchdog;
import org.varsgen.generator.ConsoleSession;
import org.varsgen.generator.console.ConsoleScriptEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code varsgen run}: boots firmware headless on the q35 board as Debian's QEMU command line
 * builds it, with COM1 on standard output (or a file), the debug console (port 0x402) in a
 * file, and a FAT disk built in memory; ends when the guest powers off, fails or a limit hits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Boots OVMF headless on varsgen's q35 machine (as Debian's QEMU command line: "
                + "-m 256, two ISA serial ports, pflash code and vars, one SATA disk) and captures its logs.")
final class RunCommand implements Callable<Integer> {
    static final long DISK_BYTES = 64L << 20;

    @Spec
    private CommandSpec spec;

    @Option(names = "--code", required = true, paramLabel = "CODE.fd", description = "pflash unit 0, read-only (OVMF_CODE).")
    private Path code;

    @Option(names = "--vars", required = true, paramLabel = "VARS.fd", description = "pflash unit 1 (OVMF_VARS template; never written).")
    private Path vars;

    @Option(names = "--disk-file", paramLabel = "NAME=PATH",
            description = "Put PATH into the boot disk (64 MiB FAT32 built in memory) as NAME, "
                    + "e.g. EFI/BOOT/BOOTX64.EFI=shellx64.efi. Repeatable.")
    private List<String> diskFiles = new ArrayList<>();

    @Option(names = "--disk-image", paramLabel = "IMG", description = "Use IMG as the SATA disk (a copy; never written).")
    private Path diskImage;

    @Option(names = "--oem-string", paramLabel = "STRING", description = "An SMBIOS type 11 OEM string. Repeatable.")
    private List<String> oemStrings = new ArrayList<>();

    @Option(names = "--debugcon", paramLabel = "FILE", description = "Write the debug console (port 0x402) to FILE.")
    private Path debugcon;

    @Option(names = "--serial", paramLabel = "FILE|-", description = "Where COM1 goes (default -: standard output).")
    private String serial = "-";

    @Option(names = "--vars-out", paramLabel = "FILE",
            description = "After the guest powers off, write the vars flash to FILE (complete or not at all).")
    private Path varsOut;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Guest RAM, e.g. 256M or 1G (default 256M).")
    private String memory = "256M";

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write every device register access to FILE in QEMU's condensed devtrace format.")
    private Path trace;

    @Option(names = "--max-instructions", paramLabel = "N", description = "Stop after N guest instructions.")
    private long maxInstructions = Long.MAX_VALUE;

    @Option(names = "--max-guest-seconds", paramLabel = "S", description = "Stop after S seconds of guest time.")
    private double maxGuestSeconds = 0;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up after SECONDS of host time (never changes what the guest does).")
    private double timeout = 0;

    @Option(names = "--input-script", paramLabel = "FILE",
            description = "Type into COM1 as FILE says: lines 'expect TEXT', 'send LINE' (adds CR), 'send-raw TEXT' "
                    + "(\\e \\r \\n escapes). Without it, standard input goes to COM1 (newlines as CR).")
    private Path inputScript;

    @Option(names = "--expect-timeout", paramLabel = "S",
            description = "With --input-script: stop (exit 4) when the guest prints nothing on COM1 for S seconds of "
                    + "guest time while the script waits (default 60; 0: never).")
    private double expectTimeout = 60;

    @Option(names = "--dead-loop-seconds", paramLabel = "S",
            description = "Stop (exit 4) when the CPU spins in a few instructions without touching a device or storing "
                    + "outside the stack for S seconds of guest time (default 1; 0: never).")
    private double deadLoopSeconds = DeadLoopWatchdog.DEFAULT_WINDOW_NANOS / 1e9;

    @Option(names = "--no-stdin", description = "Do not forward standard input to COM1.")
    private boolean noStdin;

    @Option(names = "--cpu-1g-pages",
            description = "Advertise 1 GiB pages in CPUID (QEMU's -cpu qemu64,+pdpe1gb): much faster page-table "
                    + "building; without it CPUID is exactly QEMU's default qemu64, for comparing logs.")
    private boolean page1Gb;

    @Option(names = "--stats", description = "At the end, print the guest instruction count, guest time and host time on standard error.")
    private boolean stats;

    @Mixin
    private DebugOption debugOption;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        byte[] codeImage = read(code, "code image");
        byte[] varsImage = read(vars, "vars image");
        long ram = parseMemory(memory);
        String diskName = null;
        byte[] disk = null;
        if (diskImage != null && !diskFiles.isEmpty()) {
            throw new VarsgenException(ExitCodes.USAGE, "--disk-image and --disk-file cannot be combined");
        }
        if (diskImage != null) {
            diskName = diskImage.toString();
            disk = read(diskImage, "disk image");
        } else if (!diskFiles.isEmpty()) {
            diskName = "boot disk (built in memory)";
            disk = buildDisk();
        }
        long silenceNanos = expectTimeout > 0 ? (long) (expectTimeout * 1e9) : Long.MAX_VALUE;
        ConsoleScriptEngine engine = inputScript == null ? null
                : new ConsoleScriptEngine(InputScriptFile.parse(inputScript, silenceNanos), 0);
        ConsoleSession session = engine == null ? null : new ConsoleSession(engine, List.of(), List.of());
        Machine[] machine = new Machine[1];

        LastLine serialLast = new LastLine();
        LastLine debugLast = new LastLine();
        OutputStream serialFile = serial.equals("-") ? null : open(Path.of(serial), "serial output");
        OutputStream debugFile = debugcon == null ? null : open(debugcon, "debug console output");
        Writer traceWriter = trace == null ? null
                : new BufferedWriter(new java.io.OutputStreamWriter(open(trace, "trace"), StandardCharsets.UTF_8), 1 << 16);
        IntConsumer com1 = b -> {
            serialLast.accept(b);
            if (session != null) {
                session.onSerialByte(b & 0xFF, machine[0].board().clock.now());
            }
            if (serialFile == null) {
                out.write(b & 0xFF);
            } else {
                write(serialFile, b);
            }
        };
        IntConsumer debugSink = b -> {
            debugLast.accept(b);
            if (debugFile != null) {
                write(debugFile, b);
            }
        };
        BoardConfig.Builder builder = BoardConfig.builder(code.toString(), codeImage, vars.toString(), varsImage);
        oemStrings.forEach(builder::oemString);
        BoardConfig config = builder
                .ram(ram)
                .disk(diskName, disk)
                .rtcEpochSeconds(FatImageBuilder.sourceDateEpochOr(System.getenv("SOURCE_DATE_EPOCH"), BoardConfig.DEFAULT_EPOCH))
                .page1GbCpuid(page1Gb)
                .com1(com1).debugcon(debugSink).trace(traceWriter)
                .build();

        ConcurrentLinkedQueue<Byte> stdin = new ConcurrentLinkedQueue<>();
        if (session == null && !noStdin) {
            startStdinReader(System.in, stdin);
        }
        RunLimits limits = RunLimits.NONE.withMaxInstructions(maxInstructions > 0 ? maxInstructions : Long.MAX_VALUE);
        if (maxGuestSeconds > 0) {
            limits = limits.withMaxGuestNanos((long) (maxGuestSeconds * 1e9));
        }
        if (timeout > 0) {
            limits = limits.withWallClockNanos((long) (timeout * 1e9));
        }
        try {
            machine[0] = new Machine(config);
            machine[0].setWatchdog(deadLoopSeconds > 0 ? new DeadLoopWatchdog((long) (deadLoopSeconds * 1e9)) : null);
        } catch (IllegalArgumentException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, e.getMessage(), e);
        }
        RunOutcome outcome;
        long wallStart = System.nanoTime();
        try {
            outcome = machine[0].run(limits, board -> {
                feedInput(board, session, stdin);
                // the input script's only deadline is --expect-timeout of guest time without output
                if (session != null && session.failed()) {
                    machine[0].stop(RunOutcome.Kind.NO_PROGRESS, String.format(
                            "no console output for %.1f s of guest time while the input script waited", expectTimeout));
                }
                out.flush();
                flush(serialFile);
                flush(debugFile);
            });
        } finally {
            out.flush();
            closeQuietly(serialFile);
            closeQuietly(debugFile);
            closeQuietly(traceWriter);
        }
        if (stats) {
            spec.commandLine().getErr().printf("varsgen run: %s; %.1f s host time, %.1f guest MIPS%n", outcome.describe(),
                    (System.nanoTime() - wallStart) / 1e9, outcome.instructions() * 1e3 / (System.nanoTime() - wallStart));
            spec.commandLine().getErr().flush();
        }
        if (outcome.poweredOff()) {
            if (varsOut != null) {
                OutputFiles.writeAtomically(varsOut, machine[0].board().varsContents());
            }
            return ExitCodes.OK;
        }
        String reason = "guest " + outcome.describe()
                + "; last debug console line: \"" + debugLast.get() + "\""
                + "; last serial line: \"" + serialLast.get() + "\""
                + (engine != null ? engine.waitingFor().map(t -> "; input script waiting for \"" + t + "\"").orElse("") : "");
        int exit = outcome.kind() == RunOutcome.Kind.EMULATOR_ERROR ? ExitCodes.INTERNAL_ERROR : ExitCodes.GUEST_FAILURE;
        throw new VarsgenException(exit, reason);
    }

    private static void feedInput(Q35Board board, ConsoleSession session, ConcurrentLinkedQueue<Byte> stdin) {
        if (session != null) {
            byte[] typed = session.poll(board.clock.now());
            if (typed.length > 0) {
                board.legacy.com1.queueInput(typed);
            }
        }
        if (!stdin.isEmpty()) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (Byte x; (x = stdin.poll()) != null; ) {
                b.write(x == '\n' ? '\r' : x);
            }
            board.legacy.com1.queueInput(b.toByteArray());
        }
    }

    /** Host input arrives at host-determined moments: only the input script is reproducible. */
    private static void startStdinReader(InputStream in, ConcurrentLinkedQueue<Byte> queue) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        queue.add(buf[i]);
                    }
                }
            } catch (IOException e) {
                // standard input closed or unreadable: nothing more to type
            }
        }, "varsgen-stdin");
        t.setDaemon(true);
        t.start();
    }

    private byte[] buildDisk() {
        FatImageBuilder fat = new FatImageBuilder().size(DISK_BYTES).fatType(FatType.FAT32)
                .epochSecond(FatImageBuilder.sourceDateEpochOr(System.getenv("SOURCE_DATE_EPOCH"), BoardConfig.DEFAULT_EPOCH));
        for (String spec : diskFiles) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new VarsgenException(ExitCodes.USAGE, "--disk-file " + spec + ": expected NAME=PATH");
            }
            fat.addFile(spec.substring(0, eq), read(Path.of(spec.substring(eq + 1)), "disk file"));
        }
        return fat.build();
    }

    static long parseMemory(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1L << 20;
        if (t.endsWith("G")) {
            unit = 1L << 30;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t) * unit;
            if (v < (16L << 20) || v > (2047L << 20)) {
                throw new VarsgenException(ExitCodes.USAGE, "--memory " + s + ": must be from 16M to 2047M");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new VarsgenException(ExitCodes.USAGE, "--memory " + s + ": expected a size such as 256M or 1G");
        }
    }

    private static byte[] read(Path p, String what) {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, p + ": no such file (" + what + ")");
        } catch (IOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, p + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static OutputStream open(Path p, String what) {
        try {
            return new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
        } catch (IOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, p + ": cannot write " + what + ": " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream o, int b) {
        try {
            o.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs are flushed between batches so that they can be followed while the guest runs. */
    private static void flush(OutputStream o) {
        if (o != null) {
            try {
                o.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // the run's outcome is reported; a failing close of a log is secondary
        }
    }
}
