package org.varsgen.generator;

import java.util.Optional;

/**
 * Checks that a file is what the UEFI shell can start on x86-64: a PE32+ image (DOS "MZ" stub,
 * "PE\0\0" at the offset in e_lfanew) for machine 0x8664 with the EFI application subsystem (10).
 * Catches the usual mistakes (an AArch64 or IA32 build, a driver, a truncated download, a text
 * file) before a boot that would otherwise just fail inside the guest.
 */
public final class EfiApplicationCheck {
    static final int MACHINE_X64 = 0x8664;
    static final int MAGIC_PE32_PLUS = 0x20B;
    static final int SUBSYSTEM_EFI_APPLICATION = 10;

    private EfiApplicationCheck() {
    }

    /** Empty when the image is an x86-64 EFI application, else what is wrong with it. */
    public static Optional<String> problem(byte[] image) {
        if (image.length < 0x40 || image[0] != 'M' || image[1] != 'Z') {
            return Optional.of("not a PE image (no MZ header)");
        }
        long peOffset = u32(image, 0x3C);
        // Signature (4) + COFF header (20) + optional header up to Subsystem (70).
        if (peOffset < 0x40 || peOffset + 4 + 20 + 70 > image.length) {
            return Optional.of("not a PE image (PE header offset " + peOffset + " outside the file)");
        }
        int pe = (int) peOffset;
        if (image[pe] != 'P' || image[pe + 1] != 'E' || image[pe + 2] != 0 || image[pe + 3] != 0) {
            return Optional.of("not a PE image (no PE signature at offset " + pe + ")");
        }
        int machine = u16(image, pe + 4);
        if (machine != MACHINE_X64) {
            return Optional.of(String.format("built for machine 0x%04x, not x86-64 (0x8664)", machine));
        }
        int magic = u16(image, pe + 24);
        if (magic != MAGIC_PE32_PLUS) {
            return Optional.of(String.format("optional header magic 0x%03x, not PE32+ (0x20b)", magic));
        }
        int subsystem = u16(image, pe + 24 + 68);
        if (subsystem != SUBSYSTEM_EFI_APPLICATION) {
            return Optional.of("subsystem " + subsystem + ", not an EFI application (10)");
        }
        return Optional.empty();
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xFFFFFFFFL;
    }
}
