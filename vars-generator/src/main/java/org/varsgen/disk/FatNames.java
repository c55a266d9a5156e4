package org.varsgen.disk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Rules for FAT names: which long (VFAT) names are legal, and how a long name maps onto the
 * 11-byte 8.3 short name. Short names use only printable ASCII; anything else makes a name
 * "lossy" and it then needs a generated short name with a numeric tail.
 */
final class FatNames {
    /** Longest long name, in UTF-16 code units (20 LFN entries of 13). */
    static final int MAX_LONG_NAME = 255;
    /** Characters that no FAT name may contain, besides controls. */
    private static final String ILLEGAL_LONG = "\"*/:<>?\\|";
    /** Further characters that a long name may contain but a short name may not. */
    private static final String ILLEGAL_SHORT_ONLY = "+,;=[] .";
    /** NT case flags in a short entry's reserved byte (0x0C): base and extension in lower case. */
    static final int CASE_LOWER_BASE = 0x08;
    static final int CASE_LOWER_EXTENSION = 0x10;

    private FatNames() {
    }

    /** Throws unless {@code name} is a legal long name; {@code path} names it in the message. */
    static void validateLongName(String name, String path) {
        if (name.isEmpty()) {
            throw new DiskImageException("empty name component in path \"" + path + "\"");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new DiskImageException("\"" + name + "\" is not allowed as a name in path \"" + path + "\"");
        }
        if (name.length() > MAX_LONG_NAME) {
            throw new DiskImageException("name \"" + name + "\" in path \"" + path + "\" is longer than "
                    + MAX_LONG_NAME + " UTF-16 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || ILLEGAL_LONG.indexOf(c) >= 0) {
                throw new DiskImageException(String.format("name \"%s\" in path \"%s\" contains the character U+%04X,"
                        + " which FAT names cannot hold (no controls and none of %s)", name, path, (int) c, ILLEGAL_LONG));
            }
            if (Character.isHighSurrogate(c) ? i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(++i))
                    : Character.isLowSurrogate(c)) {
                throw new DiskImageException("name \"" + name + "\" in path \"" + path + "\" has an unpaired UTF-16 surrogate");
            }
        }
        char last = name.charAt(name.length() - 1);
        if (last == '.' || last == ' ') {
            // Windows and Linux strip these, so the name would not read back as given.
            throw new DiskImageException("name \"" + name + "\" in path \"" + path + "\" ends with a dot or space");
        }
    }

    /**
     * The 8.3 form of a name that fits 8.3 as it is (up to case), or null. The result says how
     * the case is kept: an upper-case name needs nothing, a name whose base and extension are each
     * all lower case is kept with the NT case flags, and mixed case needs a long name entry.
     */
    static ExactShortName exactShortName(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || extension.length() > 3 || (dot >= 0 && extension.isEmpty())
                || !isShortNameText(base) || !isShortNameText(extension)) {
            return null;
        }
        Case baseCase = caseOf(base);
        Case extensionCase = caseOf(extension);
        boolean needsLongName = baseCase == Case.MIXED || extensionCase == Case.MIXED;
        int flags = (baseCase == Case.LOWER ? CASE_LOWER_BASE : 0) | (extensionCase == Case.LOWER ? CASE_LOWER_EXTENSION : 0);
        return new ExactShortName(pack(base.toUpperCase(Locale.ROOT), extension.toUpperCase(Locale.ROOT)),
                needsLongName ? 0 : flags, needsLongName);
    }

    record ExactShortName(byte[] name11, int caseFlags, boolean needsLongName) {
    }

    /** The basis of a generated short name (upper case, illegal characters replaced), before the tail. */
    record Basis(String base, String extension) {
    }

    static Basis basis(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        int start = 0;
        while (start < upper.length() && upper.charAt(start) == '.') {
            start++;
        }
        int lastDot = upper.lastIndexOf('.');
        boolean hasExtension = lastDot >= start && lastDot < upper.length() - 1;
        String basePart = hasExtension ? upper.substring(start, lastDot) : upper.substring(start);
        String extensionPart = hasExtension ? upper.substring(lastDot + 1) : "";
        String base = shortChars(basePart, 8);
        String extension = shortChars(extensionPart, 3);
        return new Basis(base.isEmpty() ? "_" : base, extension);
    }

    /** Up to {@code max} short-name characters: spaces and dots dropped, others not allowed become '_'. */
    private static String shortChars(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '.') {
                continue;
            }
            out.append(isShortNameChar(c) ? c : '_');
            if (Character.isHighSurrogate(c)) {
                i++; // one '_' for the whole code point
            }
        }
        return out.toString();
    }

    static byte[] pack(String base, String extension) {
        byte[] name11 = new byte[11];
        Arrays.fill(name11, (byte) ' ');
        for (int i = 0; i < base.length(); i++) {
            name11[i] = (byte) base.charAt(i);
        }
        for (int i = 0; i < extension.length(); i++) {
            name11[8 + i] = (byte) extension.charAt(i);
        }
        // A first byte of 0xE5 means "deleted"; the format stores it as 0x05.
        if (name11[0] == (byte) 0xE5) {
            name11[0] = 0x05;
        }
        return name11;
    }

    private static boolean isShortNameText(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isShortNameChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isShortNameChar(char c) {
        return c > 0x20 && c < 0x7F && ILLEGAL_LONG.indexOf(c) < 0 && ILLEGAL_SHORT_ONLY.indexOf(c) < 0;
    }

    private enum Case { NONE, UPPER, LOWER, MIXED }

    private static Case caseOf(String text) {
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
        }
        return upper && lower ? Case.MIXED : lower ? Case.LOWER : upper ? Case.UPPER : Case.NONE;
    }

    /** The 8.3 name as text ("BOOTX64.EFI"), for messages and the reader. */
    static String display(byte[] name11) {
        byte[] copy = name11.clone();
        if (copy[0] == 0x05) {
            copy[0] = (byte) 0xE5;
        }
        String base = new String(copy, 0, 8, StandardCharsets.ISO_8859_1).stripTrailing();
        String extension = new String(copy, 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
        return extension.isEmpty() ? base : base + "." + extension;
    }
}
