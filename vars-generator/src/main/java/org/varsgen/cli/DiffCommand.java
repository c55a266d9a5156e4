package org.varsgen.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.varsgen.varstore.diff.VarStoreDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code varsgen diff A B}: the live variables added, removed and changed between two stores. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compares the live variables of two variable stores field by field. "
                + "Exit code 0 when they are the same, 1 when they differ.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first store.")
    private Path a;

    @Parameters(index = "1", paramLabel = "B", description = "The second store.")
    private Path b;

    @Option(names = "--json", description = "Write the differences as JSON.")
    private boolean json;

    @Option(names = "--ignore-timestamps", description = "Leave the EFI_TIME stamps out of the comparison.")
    private boolean ignoreTimestamps;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Write to OUT (complete or not at all) instead of standard output.")
    private Path output;

    @Mixin
    private DebugOption debugOption;

    @Override
    public Integer call() {
        VarStoreDiff d = VarStoreDiff.compare(StoreFiles.load(a), StoreFiles.load(b), ignoreTimestamps);
        String text = json
                ? StoreJson.toText(DiffReport.json(a.toString(), b.toString(), ignoreTimestamps, d))
                : DiffReport.text(a.toString(), b.toString(), d);
        OutputFiles.emit(text, output, spec.commandLine().getOut());
        return d.isEmpty() ? ExitCodes.OK : ExitCodes.DIFFERENT;
    }
}
