package org.varsgen.generator;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The firmware flavours Debian's script knows (its {@code -f} choices). Debian runs OVMF and
 * OVMF_4M on an x86-64 q35 machine and AAVMF on an arm64 "virt" machine; varsgen emulates x86-64
 * only, so AAVMF is named (to give a precise error) but not supported.
 */
public enum Flavor {
    /** x86-64, 2 MiB flash: code + vars template together are 2 MiB. */
    OVMF(true, 2L << 20, "BOOTX64.EFI"),
    /** x86-64, 4 MiB flash: code + vars template together are 4 MiB. */
    OVMF_4M(true, 4L << 20, "BOOTX64.EFI"),
    /** arm64 (qemu-system-aarch64 -machine virt); not emulated by varsgen. */
    AAVMF(false, 0, "BOOTAA64.EFI");

    private final boolean emulated;
    private final long flashSize;
    private final String removableMediaName;

    Flavor(boolean emulated, long flashSize, String removableMediaName) {
        this.emulated = emulated;
        this.flashSize = flashSize;
        this.removableMediaName = removableMediaName;
    }

    public boolean emulated() {
        return emulated;
    }

    /** Size of the whole flash device (code image + variable store), for the emulated flavours. */
    public long flashSize() {
        return flashSize;
    }

    /** The UEFI removable-media boot path for this architecture, where the shell goes. */
    public String bootPath() {
        return "EFI/BOOT/" + removableMediaName;
    }

    /** The names as Debian's script spells them (case-sensitive, as argparse's choices are). */
    public static String choices() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
