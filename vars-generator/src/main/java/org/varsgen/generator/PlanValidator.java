package org.varsgen.generator;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.varsgen.cli.ExitCodes;
import org.varsgen.cli.VarsgenException;
import org.varsgen.varstore.KnownGuids;
import org.varsgen.varstore.VarStore;
import org.varsgen.varstore.VarStoreException;
import org.varsgen.varstore.VarStoreParser;

/**
 * Turns the command line into a {@link GenerationPlan}, checking every input for what it claims
 * to be. Each failure is one line naming the file (or flag) and the problem: exit code USAGE for a
 * wrong flag value, BAD_INPUT for a wrong file.
 */
public final class PlanValidator {
    /** The wall-clock limit when --timeout is not given; QEMU needs about 6 s for the job. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 600;
    /**
     * The RTC time when no epoch is given: 2000-01-01 00:00:00 UTC. Fixed, so that the output
     * never depends on the host's clock.
     */
    public static final long DEFAULT_EPOCH = 946_684_800L;
    /** OVMF's RTC driver (PcRtc) treats years outside PcdMinimalValidYear..PcdMaximalValidYear as invalid. */
    static final int MIN_RTC_YEAR = 1998;
    static final int MAX_RTC_YEAR = 2097;

    private PlanValidator() {
    }

    /** @param environmentEpoch the SOURCE_DATE_EPOCH environment variable, or null */
    public static GenerationPlan validate(GeneratorOptions o, String environmentEpoch) {
        List<String> warnings = new ArrayList<>();
        Flavor flavor = flavor(o.flavor());
        long timeout = o.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : o.timeoutSeconds();
        if (timeout <= 0) {
            throw usage("--timeout must be a positive number of seconds, not " + timeout);
        }
        boolean epochGiven = o.sourceDateEpoch() != null
                || environmentEpoch != null && !environmentEpoch.isBlank();
        long epoch = epochGiven ? epoch(o.sourceDateEpoch() != null ? o.sourceDateEpoch() : environmentEpoch,
                o.sourceDateEpoch() != null ? "--source-date-epoch" : "SOURCE_DATE_EPOCH") : DEFAULT_EPOCH;

        GenerationPlan.Input code = read(o.code(), "-c/--code");
        GenerationPlan.Input vars = read(o.varsTemplate(), "-V/--vars-template");
        checkTemplate(vars, warnings);
        FirmwareCodeCheck.problem(code.bytes(), vars.bytes().length, flavor)
                .ifPresent(p -> {
                    throw badInput(o.code(), p, "-c/--code");
                });
        GenerationPlan.Input shell = efiApplication(o.shell(), "-s/--shell");
        GenerationPlan.Input enroll = efiApplication(o.enrollDefaultKeys(), "-e/--enrolldefaultkeys");
        OemString oem = oemString(o.certificate());
        checkWritable(o.outFile(), "-o/--out-file");
        Optional<Path> json = Optional.ofNullable(o.jsonReport());
        json.ifPresent(p -> checkWritable(p, "--json-report"));
        Optional<Path> debugcon = Optional.ofNullable(o.debugcon());
        debugcon.ifPresent(p -> checkWritable(p, "--debugcon"));
        Optional<Path> serialLog = Optional.ofNullable(o.serialLog());
        serialLog.ifPresent(p -> checkWritable(p, "--serial-log"));
        return new GenerationPlan(flavor, code, vars, shell, enroll, oem, o.noDefault(), o.outFile(), epoch,
                epochGiven, json, Duration.ofSeconds(timeout), debugcon, serialLog, o.debug(), warnings);
    }

    static Flavor flavor(String name) {
        Flavor flavor;
        try {
            flavor = Flavor.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw usage("-f/--flavor: invalid choice '" + name + "' (choose from " + Flavor.choices() + ")");
        }
        if (!flavor.emulated()) {
            throw usage("-f/--flavor " + name + ": varsgen emulates x86-64 only (flavors OVMF and OVMF_4M)");
        }
        return flavor;
    }

    static long epoch(String text, String source) {
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw usage(source + ": '" + text + "' is not a number of seconds since 1970-01-01 UTC");
        }
        int year = value < -62_000_000_000L || value > 62_000_000_000L ? -1
                : Instant.ofEpochSecond(value).atZone(ZoneOffset.UTC).getYear();
        if (year < MIN_RTC_YEAR || year > MAX_RTC_YEAR) {
            throw usage(String.format(Locale.ROOT, "%s: %d is %s; the guest's RTC (and OVMF) accept only %d to %d",
                    source, value, year < 0 ? "out of range" : "in the year " + year, MIN_RTC_YEAR, MAX_RTC_YEAR));
        }
        return value;
    }

    private static void checkTemplate(GenerationPlan.Input vars, List<String> warnings) {
        VarStore store;
        try {
            store = VarStoreParser.parse(vars.bytes());
        } catch (VarStoreException e) {
            throw badInput(vars.path(), "not an OVMF variable store: " + e.getMessage(), "-V/--vars-template");
        }
        if (store.find(KnownGuids.EFI_GLOBAL_VARIABLE, "PK").isPresent()) {
            throw badInput(vars.path(), "already has a PK (Secure Boot user mode); EnrollDefaultKeys needs a "
                    + "template in setup mode, such as the empty OVMF_VARS_4M.fd", "-V/--vars-template");
        }
        if (!store.variables().isEmpty()) {
            warnings.add(vars.path() + ": the vars template is not empty (" + store.variables().size()
                    + " variables); they are kept and the output will differ from a run on an empty template");
        }
    }

    private static GenerationPlan.Input efiApplication(Path path, String flag) {
        GenerationPlan.Input in = read(path, flag);
        EfiApplicationCheck.problem(in.bytes())
                .ifPresent(p -> {
                    throw badInput(path, "not an x86-64 EFI application: " + p, flag);
                });
        return in;
    }

    /**
     * -C is the OEM string itself in Debian's script (debian/rules passes the content of
     * debian/oem-string-*); as an extra, varsgen also takes the path of a PEM certificate and
     * derives the string as debian/rules does.
     */
    static OemString oemString(String value) {
        if (value == null || value.isEmpty()) {
            throw usage("-C/--certificate: empty");
        }
        if (value.toLowerCase(Locale.ROOT).startsWith(OemString.PREFIX)) {
            try {
                return OemString.parse(value);
            } catch (IllegalArgumentException e) {
                throw new VarsgenException(ExitCodes.BAD_INPUT, "-C/--certificate: the OEM string " + e.getMessage());
            }
        }
        Path pem = Path.of(value);
        if (!Files.exists(pem)) {
            throw usage("-C/--certificate: neither an OEM string (" + OemString.PREFIX
                    + "<base64 DER>) nor an existing PEM file: " + value);
        }
        GenerationPlan.Input in = read(pem, "-C/--certificate");
        try {
            return OemString.fromPem(in.bytes());
        } catch (IllegalArgumentException e) {
            throw badInput(pem, e.getMessage(), "-C/--certificate");
        }
    }

    static GenerationPlan.Input read(Path path, String flag) {
        if (Files.isDirectory(path)) {
            throw badInput(path, "is a directory", flag);
        }
        try {
            return new GenerationPlan.Input(path, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw badInput(path, "no such file", flag);
        } catch (AccessDeniedException e) {
            throw badInput(path, "permission denied", flag);
        } catch (IOException | OutOfMemoryError e) {
            throw badInput(path, "cannot read: " + e.getMessage(), flag);
        }
    }

    static void checkWritable(Path path, String flag) {
        if (Files.isDirectory(path)) {
            throw badInput(path, "is a directory", flag);
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw badInput(path, "its directory does not exist", flag);
        }
        if (!Files.isWritable(dir)) {
            throw badInput(path, "its directory is not writable", flag);
        }
        if (Files.exists(path) && !Files.isWritable(path)) {
            throw badInput(path, "exists and is not writable", flag);
        }
    }

    private static VarsgenException usage(String message) {
        return new VarsgenException(ExitCodes.USAGE, message);
    }

    private static VarsgenException badInput(Path path, String problem, String flag) {
        return new VarsgenException(ExitCodes.BAD_INPUT, path + ": " + problem + " (" + flag + ")");
    }
}
