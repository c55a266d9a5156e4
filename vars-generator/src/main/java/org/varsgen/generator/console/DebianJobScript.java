package org.varsgen.generator.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The dialogue of Debian's edk2-vars-generator.py (edk2 2025.02-8): what it waits for and what it
 * types, byte for byte. The script uses pexpect's sendline, which appends a line feed to what it
 * sends, and its strings already end in a carriage return; so every command goes out as
 * "...\r\n", and the ESC as ESC "\n". Its serial transcript (serial-debian-job-ms.log) shows
 * these bytes.
 *
 * <p>Debian waits without limit; varsgen gives each wait a guest-time deadline, generous compared
 * with what QEMU needed (prompt at about 2 s, enrolment done at 4.5 s, power-off at 4.9 s of guest
 * time), so that a hung guest is reported instead of running forever. varsgen also requires
 * EnrollDefaultKeys' "info: success" line before the prompt that follows it, which Debian does not
 * check (a failed enrolment shows up there only as a wrong store).
 */
public final class DebianJobScript {
    static final long SECOND = 1_000_000_000L;
    public static final String ENROLL_COMMAND = "EnrollDefaultKeys.efi";
    public static final String NO_DEFAULT = "--no-default";

    private DebianJobScript() {
    }

    public static ConsoleScript of(boolean noDefault) {
        String enroll = noDefault ? ENROLL_COMMAND + " " + NO_DEFAULT : ENROLL_COMMAND;
        String fs0Prompt = "FS0:\\\\> ";
        List<ConsoleStep> steps = new ArrayList<>();
        steps.add(ConsoleStep.of("startup.nsh countdown", "Press .* or any other key to continue", "\u001b\n",
                120 * SECOND));
        steps.add(ConsoleStep.of("shell prompt", "Shell> ", "FS0:\r\n", 30 * SECOND));
        steps.add(ConsoleStep.of("FS0: prompt", fs0Prompt, enroll + "\r\n", 30 * SECOND));
        steps.add(ConsoleStep.of("enrolment", fs0Prompt, "setvar BootOrder =\r\n", 120 * SECOND)
                .requiring("info: success"));
        steps.add(ConsoleStep.of("setvar BootOrder", fs0Prompt, "reset -s\r\n", 30 * SECOND));
        return new ConsoleScript(steps, "power-off after reset -s", 30 * SECOND);
    }
}
