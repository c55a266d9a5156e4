package org.varsgen.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --debug} option of the commands whose errors may carry a stack trace. Main reads
 * the flag from the arguments before picocli runs (so even a failure while parsing shows it);
 * this mixin only declares it, once, for parsing and help.
 */
final class DebugOption {
    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;
}
