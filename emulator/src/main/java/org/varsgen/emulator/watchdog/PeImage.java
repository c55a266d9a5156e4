package org.varsgen.emulator.watchdog;

import java.util.Optional;

/**
 * A PE/COFF image found in guest memory.
 *
 * @param base the address of its MZ header
 * @param size SizeOfImage
 * @param name the file name from its CodeView debug record (edk2 builds name the .dll or .efi
 *             there), when it has one
 */
public record PeImage(long base, long size, Optional<String> name) {
    /** e.g. {@code CpuDxe.dll (image 0x7e8c000, 0x1c000 bytes)}. */
    public String describe() {
        return String.format("%s (image 0x%x, 0x%x bytes)", name.orElse("unnamed PE image"), base, size);
    }
}
