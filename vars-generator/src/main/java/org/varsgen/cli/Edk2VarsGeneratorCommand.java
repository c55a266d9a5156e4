package org.varsgen.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The drop-in for Debian's edk2-vars-generator.py. Generating a store needs the emulator to
 * boot OVMF, which it cannot do yet; until then this says so plainly instead of pretending.
 */
@Command(
        name = "edk2-vars-generator",
        description = "Drop-in for Debian's edk2-vars-generator.py (not available yet: the emulator cannot boot firmware yet).")
final class Edk2VarsGeneratorCommand implements Runnable {
    @Unmatched
    private List<String> arguments;

    @Override
    public void run() {
        throw new VarsgenException(ExitCodes.UNSUPPORTED,
                "edk2-vars-generator: generating variable stores needs the emulator to boot OVMF, "
                        + "which this build cannot do yet (see README.md, status table)");
    }
}
