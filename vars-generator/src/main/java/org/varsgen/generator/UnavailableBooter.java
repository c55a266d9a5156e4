package org.varsgen.generator;

import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.VarsgenException;

/**
 * The {@link Booter} of a build whose emulator cannot boot firmware yet: everything up to the boot
 * has been checked and prepared when it is called, and it says plainly that the rest is missing.
 */
public final class UnavailableBooter implements Booter {
    @Override
    public BootResult boot(BootRequest request) {
        throw new VarsgenException(ExitCodes.UNSUPPORTED, "the inputs are valid and the boot disk and OEM string "
                + "are ready, but booting firmware is not available in this build of varsgen; no output written");
    }
}
