package org.varsgen.generator;

import java.nio.file.Path;

/**
 * The command line as given, before any checking (nullable where the flag is optional).
 *
 * @param certificate      -C: the OEM string itself (Debian's form) or a PEM file (varsgen's extra)
 * @param sourceDateEpoch  --source-date-epoch as typed, or null to use the environment's
 * @param timeoutSeconds   --timeout, or null for the default
 */
public record GeneratorOptions(String flavor, Path enrollDefaultKeys, Path shell, String certificate, Path code,
        Path varsTemplate, Path outFile, boolean noDefault, boolean debug, String sourceDateEpoch, Path jsonReport,
        Long timeoutSeconds, Path debugcon, Path serialLog) {
}
