package org.varsgen.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.varsgen.varstore.VarStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code varsgen inspect FILE}: lists a variable store's live variables and its Secure Boot state. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows the variables, certificates and Secure Boot state of an OVMF variable store "
                + "(a VARS file or a combined image).")
final class InspectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The variable store (e.g. OVMF_VARS_4M.ms.fd).")
    private Path file;

    @Option(names = "--json", description = "Write the variable-store JSON of QEMU/libvirt/virt-firmware, "
            + "with varsgen's extra views under \"varsgen\".")
    private boolean json;

    @Option(names = "--interchange", description = "With --json: only the interchange members "
            + "(for readers that reject unknown members, such as QEMU's).")
    private boolean interchange;

    @Option(names = "--deleted", description = "Also show the records that are not live (deleted, superseded).")
    private boolean deleted;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write to OUT (complete or not at all) instead of standard output.")
    private Path output;

    @Mixin
    private DebugOption debugOption;

    @Override
    public Integer call() {
        VarStore store = StoreFiles.load(file);
        String text = json || interchange
                ? StoreJson.toText(StoreJson.store(store, !interchange, deleted))
                : InspectText.render(file.toString(), store, deleted);
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles.emit(text, output, out);
        return ExitCodes.OK;
    }
}
