package org.varsgen.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ManPageTest needs of a hand-written roff man page: its sections (.SH) and subsections
 * (.SS) by title, and the tags of the .TP items in each, as plain text. Only the roff that
 * src/man uses is understood; that is enough, because the test fails on anything it cannot find.
 */
final class ManPage {
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[A-Za-z0-9][\\w-]*");

    /** A .SH or .SS block: its title and the tag lines of its .TP items. */
    record Block(String title, List<String> tags) {
        /** The option names (-o, --output) in the block's item tags. */
        List<String> optionTags() {
            List<String> names = new ArrayList<>();
            for (String tag : tags) {
                Matcher m = OPTION.matcher(tag);
                while (m.find()) {
                    names.add(m.group());
                }
            }
            return names;
        }

        /** The words of the block's item tags (for positional parameters and exit codes). */
        List<String> tagWords() {
            List<String> words = new ArrayList<>();
            for (String tag : tags) {
                for (String w : tag.split("[\\s,=\\[\\]]+")) {
                    if (!w.isEmpty()) {
                        words.add(w);
                    }
                }
            }
            return words;
        }
    }

    private final Map<String, Block> sections = new LinkedHashMap<>();
    private final Map<String, Block> subsections = new LinkedHashMap<>();

    private ManPage() {
    }

    static ManPage parse(String roff) {
        ManPage page = new ManPage();
        List<String> tags = null;
        boolean tagNext = false;
        for (String raw : roff.split("\n", -1)) {
            if (raw.startsWith(".\\\"")) {
                continue;
            }
            if (raw.startsWith(".SH ") || raw.startsWith(".SS ")) {
                String title = plain(raw.substring(4));
                tags = new ArrayList<>();
                (raw.startsWith(".SH ") ? page.sections : page.subsections).put(title, new Block(title, tags));
                tagNext = false;
            } else if (raw.equals(".TP")) {
                tagNext = true;
            } else if (tagNext) {
                if (tags != null) {
                    tags.add(plain(stripMacro(raw)));
                }
                tagNext = false;
            }
        }
        return page;
    }

    /** The section titled exactly {@code title}, or null. */
    Block section(String title) {
        return sections.get(title);
    }

    /** The subsection whose title starts with {@code prefix} followed by a space or the end, or null. */
    Block subsection(String prefix) {
        for (Block b : subsections.values()) {
            if (b.title().equals(prefix) || b.title().startsWith(prefix + " ")) {
                return b;
            }
        }
        return null;
    }

    /** ".BR \-o , \-\-output" without its macro name: font macros only set fonts. */
    private static String stripMacro(String line) {
        if (line.startsWith(".")) {
            int space = line.indexOf(' ');
            return space < 0 ? "" : line.substring(space + 1);
        }
        return line;
    }

    /** Roff text as a reader sees it: no font changes, no escaped hyphens, no quotes. */
    static String plain(String roff) {
        return roff.replaceAll("\\\\f(\\[[^\\]]*]|\\(..|.)", "")
                .replace("\\-", "-")
                .replace("\\(aq", "'")
                .replace("\\&", "")
                .replace("\\e", "\\")
                .replace("\"", "")
                .trim();
    }
}
