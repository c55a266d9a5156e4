package org.varsgen.disk;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes unique 8.3 names within one directory, as Linux's vfat driver does: a name that fits 8.3
 * keeps it, any other gets its basis plus the first free numeric tail "~1", "~2", ... (the base
 * shortened so that basis and tail fit eight characters). Exact names must be reserved before
 * generated ones, so that a generated "FOO~1" never takes the name a file really has.
 */
final class ShortNameGenerator {
    private static final int MAX_TAIL = 999_999;
    private final Set<String> used = new HashSet<>();

    /** Claims an exact short name; false if it is taken. */
    boolean reserve(byte[] name11) {
        return used.add(new String(name11, StandardCharsets.ISO_8859_1));
    }

    /** A free name "BASIS~N.EXT" for a long name, claimed. */
    byte[] generate(String longName, String path) {
        FatNames.Basis basis = FatNames.basis(longName);
        for (int n = 1; n <= MAX_TAIL; n++) {
            String tail = "~" + n;
            String base = basis.base().substring(0, Math.min(basis.base().length(), 8 - tail.length())) + tail;
            byte[] candidate = FatNames.pack(base, basis.extension());
            if (reserve(candidate)) {
                return candidate;
            }
        }
        throw new DiskImageException("no free 8.3 name for \"" + path + "\" (" + MAX_TAIL + " similar names)");
    }
}
