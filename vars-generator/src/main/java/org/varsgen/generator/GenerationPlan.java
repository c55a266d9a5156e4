package org.varsgen.generator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A checked job: every input read and verified, ready to boot. Built by {@link PlanValidator}
 * only; everything after it (disk, boot, checks, output) can rely on what it holds.
 *
 * @param epochSecond     the guest's wall-clock time (RTC) and the disk's file times
 * @param epochGiven      whether {@code epochSecond} came from --source-date-epoch or
 *                        SOURCE_DATE_EPOCH (then the variables' time stamps must equal it)
 * @param warnings        things to tell the user that do not stop the job
 */
public record GenerationPlan(Flavor flavor, Input code, Input varsTemplate, Input shell, Input enrollDefaultKeys,
        OemString oemString, boolean noDefault, Path outFile, long epochSecond, boolean epochGiven,
        Optional<Path> jsonReport, Duration timeout, Optional<Path> debugcon, Optional<Path> serialLog,
        boolean debug, List<String> warnings) {

    public GenerationPlan {
        warnings = List.copyOf(warnings);
    }

    /** An input file and its content, read once. */
    public record Input(Path path, byte[] bytes) {
    }
}
