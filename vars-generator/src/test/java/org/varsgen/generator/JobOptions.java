package org.varsgen.generator;

import java.nio.file.Path;
import org.varsgen.fixtures.FirmwareFixtures;

/** A valid command line for the Debian trixie fixtures, to change one field at a time in tests. */
final class JobOptions {
    String flavor = "OVMF_4M";
    Path enroll = FirmwareFixtures.require("debian-trixie/EnrollDefaultKeys.efi");
    Path shell = FirmwareFixtures.require("debian-trixie/shellx64.efi");
    String certificate = FirmwareFixtures.require("debian-trixie/PkKek-1-Debian.pem").toString();
    Path code = FirmwareFixtures.require("debian-trixie/OVMF_CODE_4M.secboot.fd");
    Path vars = FirmwareFixtures.require("debian-trixie/OVMF_VARS_4M.fd");
    Path out;
    boolean noDefault;
    boolean debug;
    String epoch;
    Path json;
    Long timeout;
    Path debugcon;
    Path serialLog;

    JobOptions(Path out) {
        this.out = out;
    }

    GeneratorOptions build() {
        return new GeneratorOptions(flavor, enroll, shell, certificate, code, vars, out, noDefault, debug, epoch, json,
                timeout, debugcon, serialLog);
    }

    GenerationPlan plan() {
        return PlanValidator.validate(build(), null);
    }
}
