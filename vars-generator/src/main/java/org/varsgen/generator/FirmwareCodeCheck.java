package org.varsgen.generator;

import java.util.Optional;
import org.varsgen.varstore.FirmwareVolumeHeader;
import org.varsgen.varstore.Guid;

/**
 * Checks a firmware code image against its flavour before booting it: it must start with a
 * firmware volume (signature "_FVH" at offset 40 of EFI_FIRMWARE_VOLUME_HEADER) that is not the
 * variable store's (NV data file-system GUID; the usual mix-up of -c and -V), be a whole
 * number of 4 KiB flash blocks, and together with the variable store fill the flavour's flash
 * exactly. The last rule matters because the reset vector sits at the top of the flash, which QEMU
 * maps to end just below 4 GiB: a code image of the wrong size would be mapped where the firmware
 * does not expect itself.
 */
public final class FirmwareCodeCheck {
    static final int BLOCK = 4096;
    static final int SIGNATURE_OFFSET = 40;
    static final int FILE_SYSTEM_GUID_OFFSET = 16;

    private FirmwareCodeCheck() {
    }

    public static Optional<String> problem(byte[] code, long varsLength, Flavor flavor) {
        if (code.length < SIGNATURE_OFFSET + 4 || code[SIGNATURE_OFFSET] != '_' || code[SIGNATURE_OFFSET + 1] != 'F'
                || code[SIGNATURE_OFFSET + 2] != 'V' || code[SIGNATURE_OFFSET + 3] != 'H') {
            return Optional.of("not an OVMF code image (no firmware volume signature _FVH at offset 40)");
        }
        if (Guid.read(code, FILE_SYSTEM_GUID_OFFSET).equals(FirmwareVolumeHeader.NV_DATA)) {
            return Optional.of("is a variable store (NV data firmware volume), not a code image");
        }
        if (code.length % BLOCK != 0) {
            return Optional.of("size " + code.length + " is not a multiple of 4096 bytes");
        }
        if (code.length + varsLength != flavor.flashSize()) {
            return Optional.of(String.format(
                    "size %d plus the vars template's %d is %d bytes, but flavor %s has a %d MiB flash (%d bytes)",
                    code.length, varsLength, code.length + varsLength, flavor, flavor.flashSize() >> 20,
                    flavor.flashSize()));
        }
        return Optional.empty();
    }
}
