package org.varsgen.generator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.function.IntConsumer;
import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.VarsgenException;
import org.varsgen.emulator.board.BoardConfig;
import org.varsgen.emulator.board.Machine;
import org.varsgen.emulator.board.RunLimits;
import org.varsgen.emulator.board.RunOutcome;

/**
 * The {@link Booter} that runs the job on varsgen's own q35 machine: the code and vars images as
 * pflash, the boot disk on AHCI port 0, the OEM strings in SMBIOS, COM1 wired to the console
 * session, the RTC standing still at the job's epoch so that every time stamp the firmware
 * writes equals it, and 1 GiB pages offered in CPUID.
 */
public final class BoardBooter implements Booter {
    @Override
    public BootResult boot(BootRequest request) {
        Machine[] machine = new Machine[1];
        OutputStream debugFile = request.debugcon().map(BoardBooter::open).orElse(null);
        IntConsumer com1 = b -> request.console().onSerialByte(b & 0xFF, machine[0].board().clock.now());
        IntConsumer debugSink = debugFile == null ? b -> { } : b -> write(debugFile, b);
        BoardConfig.Builder builder = BoardConfig.builder("code image", request.code(), "vars template", request.vars())
                .disk("boot disk", request.disk())
                .rtcEpochSeconds(request.rtcEpochSecond())
                .rtcFrozen(true)
                // 1 GiB pages halve the job's guest instructions and change nothing in the store.
                .page1GbCpuid(true)
                .com1(com1)
                .debugcon(debugSink);
        request.oemStrings().forEach(builder::oemString);
        machine[0] = new Machine(builder.build());
        RunLimits limits = RunLimits.NONE.withWallClockNanos(request.wallClockLimit().toNanos());
        RunOutcome outcome;
        try {
            outcome = machine[0].run(limits, board -> {
                byte[] typed = request.console().poll(board.clock.now());
                if (typed.length > 0) {
                    board.legacy.com1.queueInput(typed);
                }
                if (request.console().failed()) {
                    machine[0].stop("the console script gave up");
                }
            });
        } finally {
            if (debugFile != null) {
                try {
                    debugFile.close();
                } catch (IOException e) {
                    // the debug log is a diagnostic; losing its tail must not fail the job
                }
            }
        }
        return new BootResult(outcomeOf(outcome.kind()), outcome.describe(), machine[0].board().varsContents(),
                outcome.guestNanos());
    }

    private static BootResult.Outcome outcomeOf(RunOutcome.Kind kind) {
        return switch (kind) {
            case POWER_OFF -> BootResult.Outcome.POWER_OFF;
            case TRIPLE_FAULT, EMULATOR_ERROR -> BootResult.Outcome.FAULT;
            case HANG, DEAD_LOOP, RESET_LIMIT -> BootResult.Outcome.HANG;
            case INSTRUCTION_LIMIT, GUEST_TIME_LIMIT, WALL_CLOCK_LIMIT, STOPPED, NO_PROGRESS -> BootResult.Outcome.LIMIT;
        };
    }

    private static OutputStream open(java.nio.file.Path p) {
        try {
            return new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
        } catch (IOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, p + ": cannot write the debug console log: " + e.getMessage(), e);
        }
    }

    private static void write(OutputStream out, int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
