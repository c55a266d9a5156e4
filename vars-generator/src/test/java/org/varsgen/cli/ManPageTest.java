package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FixtureLocator;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Keeps the man pages in src/man true: every subcommand, option, positional parameter and exit
 * code that the CLI knows must be documented there, and varsgen(1) must not document options a
 * command does not have. A new option without documentation fails the build.
 *
 * <p>edk2-vars-generator(1) is checked the same way: it lists exactly the command's options.
 */
class ManPageTest {
    private static final String EDK2 = "edk2-vars-generator";

    private static String varsgenRoff;
    private static String edk2Roff;

    @BeforeAll
    static void readPages() throws IOException {
        Path root = FixtureLocator.projectRoot();
        assumeTrue(Files.isRegularFile(root.resolve("pom.xml")), "project root not found (looked at " + root + ")");
        varsgenRoff = Files.readString(root.resolve("src/man/varsgen.1"));
        edk2Roff = Files.readString(root.resolve("src/man/" + EDK2 + ".1"));
    }

    @Test
    void manPagesDocumentEveryCommandOptionAndExitCode() {
        assertEquals(List.of(), problems(varsgenRoff, edk2Roff));
    }

    @Test
    void anUndocumentedOptionIsFound() {
        String withoutDeleted = remove(varsgenRoff, ".TP\n.B \\-\\-deleted\n");
        List<String> found = problems(withoutDeleted, edk2Roff);
        assertTrue(found.contains("varsgen.1, varsgen inspect: option --deleted is not documented"), found::toString);
    }

    @Test
    void aDocumentedOptionTheCommandLacksIsFound() {
        String withExtra = replace(varsgenRoff, ".SS \"varsgen diff [options] A B\"\n",
                ".SS \"varsgen diff [options] A B\"\n.TP\n.B \\-\\-frobnicate\nNot an option of diff.\n");
        List<String> found = problems(withExtra, edk2Roff);
        assertTrue(found.contains("varsgen.1, varsgen diff: documents --frobnicate, which the command does not have"),
                found::toString);
    }

    @Test
    void aMissingSubcommandAndExitCodeAreFound() {
        String withoutHelp = replace(varsgenRoff, ".SS \"varsgen help [COMMAND]\"", ".SS \"varsgen assistance\"");
        String withoutSeventy = remove(withoutHelp, ".TP\n.B 70\n");
        List<String> found = problems(withoutSeventy, edk2Roff);
        assertTrue(found.contains("varsgen.1: no subsection \"varsgen help ...\" for the help command"), found::toString);
        assertTrue(found.contains("varsgen.1, EXIT STATUS: exit code 70 is not documented"), found::toString);
    }

    private static String remove(String text, String item) {
        return replace(text, item, "");
    }

    /** Replaces {@code item}, which must be in the page (else the page changed and this test must follow). */
    private static String replace(String text, String item, String replacement) {
        String result = text.replace(item, replacement);
        assertNotEquals(text, result, "the man page no longer has " + item.replace("\n", "\\n") + "; update this test");
        return result;
    }

    /** Everything the man pages leave out or get wrong about the CLI, one line each; empty when they are true. */
    static List<String> problems(String varsgenRoffText, String edk2RoffText) {
        ManPage varsgen = ManPage.parse(varsgenRoffText);
        ManPage edk2 = ManPage.parse(edk2RoffText);
        CommandLine cli = new CommandLine(new Main());
        List<String> problems = new ArrayList<>();

        checkOptions("varsgen.1, OPTIONS", varsgen.section("OPTIONS"), cli.getCommandSpec(), true, problems);
        for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
            String name = sub.getKey();
            CommandSpec spec = sub.getValue().getCommandSpec();
            ManPage.Block block = varsgen.subsection("varsgen " + name);
            if (block == null) {
                problems.add("varsgen.1: no subsection \"varsgen " + name + " ...\" for the " + name + " command");
                continue;
            }
            if (name.equals(EDK2)) {
                checkOptions("edk2-vars-generator.1, OPTIONS", edk2.section("OPTIONS"), spec, true, problems);
            } else {
                checkOptions("varsgen.1, varsgen " + name, block, spec, true, problems);
            }
        }
        checkExitCodes("varsgen.1", varsgen.section("EXIT STATUS"), true, problems);
        checkExitCodes("edk2-vars-generator.1", edk2.section("EXIT STATUS"), false, problems);
        return problems;
    }

    private static void checkOptions(String where, ManPage.Block block, CommandSpec spec, boolean exact,
            List<String> problems) {
        if (block == null) {
            problems.add(where + ": section missing");
            return;
        }
        List<String> documented = block.optionTags();
        TreeSet<String> known = new TreeSet<>();
        for (OptionSpec option : spec.options()) {
            for (String optionName : option.names()) {
                known.add(optionName);
                if (!option.hidden() && !documented.contains(optionName)) {
                    problems.add(where + ": option " + optionName + " is not documented");
                }
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            String label = p.paramLabel().replaceAll("[<>]", "");
            if (!p.hidden() && !block.tagWords().contains(label)) {
                problems.add(where + ": parameter " + label + " is not documented");
            }
        }
        if (exact) {
            for (String name : documented) {
                if (!known.contains(name)) {
                    problems.add(where + ": documents " + name + ", which the command does not have");
                }
            }
        }
    }

    /** With {@code exact}, the page lists every exit code; otherwise only that it lists no unknown one. */
    private static void checkExitCodes(String where, ManPage.Block block, boolean exact, List<String> problems) {
        if (block == null) {
            problems.add(where + ": section EXIT STATUS missing");
            return;
        }
        TreeSet<Integer> codes = exitCodes();
        TreeSet<Integer> documented = new TreeSet<>();
        for (String word : block.tagWords()) {
            if (!word.matches("\\d+")) {
                problems.add(where + ", EXIT STATUS: item \"" + word + "\" is not an exit code");
            } else {
                documented.add(Integer.parseInt(word));
            }
        }
        for (int code : documented) {
            if (!codes.contains(code)) {
                problems.add(where + ", EXIT STATUS: documents exit code " + code + ", which varsgen does not use");
            }
        }
        if (exact) {
            for (int code : codes) {
                if (!documented.contains(code)) {
                    problems.add(where + ", EXIT STATUS: exit code " + code + " is not documented");
                }
            }
        }
    }

    /** The values of ExitCodes' public int constants. */
    private static TreeSet<Integer> exitCodes() {
        TreeSet<Integer> codes = new TreeSet<>();
        for (Field f : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    codes.add(f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return codes;
    }
}
