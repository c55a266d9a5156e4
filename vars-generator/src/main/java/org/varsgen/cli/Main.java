package org.varsgen.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code varsgen} command and its subcommands. */
@Command(
        name = "varsgen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Generates and inspects OVMF UEFI variable stores.",
        subcommands = {
            Edk2VarsGeneratorCommand.class,
            InspectCommand.class,
            DiffCommand.class,
            RunCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success (diff: the stores are the same)",
            "1:diff: the stores differ",
            "2:usage error",
            "3:bad input file or unwritable output",
            "4:the guest failed (fault, hang, time limit)",
            "70:internal error (a bug in varsgen)"
        })
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("varsgen: a subcommand is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code; used by tests too. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(t -> t instanceof VarsgenException v ? v.exitCode()
                : t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL_ERROR);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof VarsgenException v) {
                err.println("varsgen: " + v.getMessage());
                if (debug) {
                    v.printStackTrace(err);
                }
                return v.exitCode();
            }
            err.println("varsgen: internal error: " + ex);
            if (debug) {
                ex.printStackTrace(err);
            } else {
                err.println("varsgen: run again with --debug for the stack trace, and please report it");
            }
            return ExitCodes.INTERNAL_ERROR;
        });
        return cl.execute(args);
    }
}
