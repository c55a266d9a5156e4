package org.varsgen.varstore;

import java.util.ArrayList;
import java.util.List;

/** EFI variable attribute bits and their usual short names. */
public final class Attributes {
    public static final long NON_VOLATILE = 0x1;
    public static final long BOOTSERVICE_ACCESS = 0x2;
    public static final long RUNTIME_ACCESS = 0x4;
    public static final long HARDWARE_ERROR_RECORD = 0x8;
    public static final long AUTHENTICATED_WRITE_ACCESS = 0x10;
    public static final long TIME_BASED_AUTHENTICATED_WRITE_ACCESS = 0x20;
    public static final long APPEND_WRITE = 0x40;
    public static final long ENHANCED_AUTHENTICATED_ACCESS = 0x80;

    private static final String[] NAMES = {"NV", "BS", "RT", "HW_ERR", "AUTH_WRITE", "TIME_AUTH", "APPEND", "ENH_AUTH"};

    private Attributes() {
    }

    /** The names of the set bits, lowest first; unknown bits appear as hex. */
    public static List<String> names(long attributes) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((attributes & (1L << bit)) != 0) {
                out.add(NAMES[bit]);
            }
        }
        long unknown = attributes & ~0xFFL;
        if (unknown != 0) {
            out.add("0x" + Long.toHexString(unknown));
        }
        return out;
    }

    /** "0x00000027 (NV|BS|RT|TIME_AUTH)". */
    public static String describe(long attributes) {
        return String.format("0x%08x (%s)", attributes, String.join("|", names(attributes)));
    }

    public static boolean isTimeBasedAuthenticated(long attributes) {
        return (attributes & TIME_BASED_AUTHENTICATED_WRITE_ACCESS) != 0;
    }
}
