package org.varsgen.generator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.OutputFiles;
import org.varsgen.cli.VarsgenException;
import org.varsgen.generator.console.ConsoleScriptEngine;
import org.varsgen.generator.console.DebianJobScript;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VarStoreParser;

/**
 * The generator job after validation: build the disk and the OEM string, boot through the
 * {@link Booter}, judge the outcome and the store, write the store (atomically) and the report.
 * Any failure is a {@link VarsgenException} with a one-line message; the JSON report, when asked
 * for, is written in every case that got as far as a boot.
 */
public final class GenerationJob {
    private final Booter booter;
    private final OutputStream debugOut;
    private final PrintWriter err;

    /**
     * @param debugOut where -d writes the console transcript (Debian's script writes it to stdout)
     * @param err      where warnings go
     */
    public GenerationJob(Booter booter, OutputStream debugOut, PrintWriter err) {
        this.booter = booter;
        this.debugOut = debugOut;
        this.err = err;
    }

    /** Runs the job; returns the report of a successful run. */
    public GenerationReport run(GenerationPlan plan) {
        plan.warnings().forEach(w -> err.println("varsgen: warning: " + w));
        err.flush();
        byte[] disk = BootDisk.build(plan);
        GenerationReport report = new GenerationReport(plan, disk);
        ConsoleScriptEngine engine = new ConsoleScriptEngine(DebianJobScript.of(plan.noDefault()), 0);
        BootResult result;
        try (OutputStream serialLog = openSerialLog(plan)) {
            List<OutputStream> output = serialLog == null ? List.of() : List.of(serialLog);
            List<OutputStream> transcript = plan.debug() ? List.of(debugOut) : List.of();
            BootRequest request = new BootRequest(plan.flavor(), plan.code().bytes(), plan.varsTemplate().bytes().clone(),
                    disk, List.of(plan.oemString().value()), plan.epochSecond(),
                    new ConsoleSession(engine, output, transcript), plan.timeout(), plan.debugcon());
            result = booter.boot(request);
        } catch (IOException | UncheckedIOException e) {
            throw new VarsgenException(ExitCodes.BAD_INPUT, plan.serialLog().map(Path::toString).orElse("standard output")
                    + ": cannot write the serial console: " + e.getMessage(), e);
        } finally {
            flushQuietly(debugOut);
        }
        report.booted(result, engine.typed());
        try {
            judge(plan, engine, result, report);
            OutputFiles.writeAtomically(plan.outFile(), result.vars());
            report.written(result.vars());
            return report;
        } catch (VarsgenException e) {
            report.failed(e);
            throw e;
        } finally {
            plan.jsonReport().ifPresent(p -> OutputFiles.writeAtomically(p, report.json()));
        }
    }

    private static void judge(GenerationPlan plan, ConsoleScriptEngine engine, BootResult result,
            GenerationReport report) {
        String waiting = "the console script was at step '" + engine.currentStep() + "'";
        if (engine.failure().isPresent()) {
            throw guest(engine.failure().get().message());
        }
        if (result.outcome() != BootResult.Outcome.POWER_OFF) {
            throw guest("the guest did not finish (" + result.outcome() + ": " + result.detail() + "); " + waiting
                    + "; last console lines: " + String.join(" | ", engine.lastLines()));
        }
        if (!engine.allTyped()) {
            throw guest("the guest powered off before the job was done; " + waiting);
        }
        VarStore store;
        try {
            store = VarStoreParser.parse(result.vars());
        } catch (VarStoreException e) {
            throw guest("the variable store the guest left is damaged: " + e.getMessage());
        }
        EnrolmentExpectation expected = new EnrolmentExpectation(plan.oemString().certificateDer(), plan.noDefault(),
                plan.epochGiven() ? OptionalLong.of(plan.epochSecond()) : OptionalLong.empty());
        List<String> problems = StoreChecks.problems(store, expected);
        report.checked(problems);
        if (!problems.isEmpty()) {
            throw guest("the enrolled store is not what EnrollDefaultKeys should have made: " + String.join("; ", problems));
        }
    }

    private static VarsgenException guest(String message) {
        return new VarsgenException(ExitCodes.GUEST_FAILURE, message);
    }

    private static OutputStream openSerialLog(GenerationPlan plan) throws IOException {
        if (plan.serialLog().isEmpty()) {
            return null;
        }
        Path p = plan.serialLog().get();
        return new BufferedOutputStream(Files.newOutputStream(p));
    }

    private static void flushQuietly(OutputStream out) {
        try {
            out.flush();
        } catch (IOException e) {
            // Only the -d copy of the console; the job's result does not depend on it.
        }
    }
}
