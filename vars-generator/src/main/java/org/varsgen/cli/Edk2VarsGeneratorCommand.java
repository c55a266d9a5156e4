package org.varsgen.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.varsgen.generator.BoardBooter;
import org.varsgen.generator.Booter;
import org.varsgen.generator.GenerationJob;
import org.varsgen.generator.GenerationPlan;
import org.varsgen.generator.GeneratorOptions;
import org.varsgen.generator.PlanValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The drop-in for Debian's debian/edk2-vars-generator.py: its flags, same meaning, plus varsgen's
 * extras. No standard -V/--version here: -V is Debian's --vars-template.
 */
@Command(
        name = "edk2-vars-generator",
        sortOptions = false,
        description = "Drop-in for Debian's edk2-vars-generator.py: enrol the default Secure Boot keys into an "
                + "OVMF variable store (this build validates and prepares everything, but cannot boot yet).")
final class Edk2VarsGeneratorCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--flavor"}, required = true, paramLabel = "FLAVOR",
            description = "UEFI flavor: OVMF or OVMF_4M (AAVMF is Debian's arm64 flavor; varsgen emulates x86-64 only).")
    private String flavor;

    @Option(names = {"-e", "--enrolldefaultkeys"}, required = true, paramLabel = "ENROLL_EFI",
            description = "EnrollDefaultKeys.efi to run in the shell.")
    private Path enroll;

    @Option(names = {"-s", "--shell"}, required = true, paramLabel = "SHELL_EFI",
            description = "UEFI shell, booted as EFI/BOOT/BOOTX64.EFI.")
    private Path shell;

    @Option(names = {"-C", "--certificate"}, required = true, paramLabel = "CERTIFICATE",
            description = "PK/KEK1 certificate as the SMBIOS OEM string (4e32566d-8e9e-4f52-81d3-5bb9715f9727:"
                    + "<base64 DER>), or (varsgen extra) the path of a PEM certificate.")
    private String certificate;

    @Option(names = {"-c", "--code"}, required = true, paramLabel = "CODE", description = "UEFI code image.")
    private Path code;

    @Option(names = {"-V", "--vars-template"}, required = true, paramLabel = "VARS_TEMPLATE",
            description = "UEFI vars template (setup mode; not modified).")
    private Path varsTemplate;

    @Option(names = {"-o", "--out-file"}, required = true, paramLabel = "OUT_FILE",
            description = "Output file for the generated variable store.")
    private Path outFile;

    @Option(names = "--no-default", description = "Enrol only the PK/KEK1 certificate, not the Microsoft defaults.")
    private boolean noDefault;

    @Option(names = {"-d", "--debug"}, description = "Copy the guest's serial console to standard output.")
    private boolean debug;

    @Option(names = "--source-date-epoch", paramLabel = "SECONDS",
            description = "varsgen extra: the guest's clock and the keys' time stamps (default: $SOURCE_DATE_EPOCH).")
    private String sourceDateEpoch;

    @Option(names = "--json-report", paramLabel = "FILE", description = "varsgen extra: write a JSON report.")
    private Path jsonReport;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "varsgen extra: wall-clock limit for the boot (default: 600).")
    private Long timeout;

    @Option(names = "--debugcon", paramLabel = "FILE",
            description = "varsgen extra: write the firmware's debug console (I/O port 0x402) to FILE.")
    private Path debugcon;

    @Option(names = "--serial-log", paramLabel = "FILE", description = "varsgen extra: write the serial console to FILE.")
    private Path serialLog;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show the usage and exit.")
    private boolean help;

    /** What boots the firmware: varsgen's q35 machine. */
    private final Booter booter = new BoardBooter();

    @Override
    public Integer call() {
        GeneratorOptions options = new GeneratorOptions(flavor, enroll, shell, certificate, code, varsTemplate, outFile,
                noDefault, debug, sourceDateEpoch, jsonReport, timeout, debugcon, serialLog);
        GenerationPlan plan = PlanValidator.validate(options, System.getenv("SOURCE_DATE_EPOCH"));
        PrintWriter out = spec.commandLine().getOut();
        new GenerationJob(booter, new WriterOutputStream(out), spec.commandLine().getErr()).run(plan);
        return ExitCodes.OK;
    }

    /** Debian's -d copies the console's bytes to stdout; here stdout is a PrintWriter. */
    private static final class WriterOutputStream extends OutputStream {
        private final PrintWriter out;

        WriterOutputStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write(b & 0xFF);
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
