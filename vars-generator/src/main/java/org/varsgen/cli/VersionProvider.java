package org.varsgen.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar's manifest (or "development" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"varsgen " + (v == null ? "development build" : v)};
    }
}
