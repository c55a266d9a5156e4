package org.varsgen.emulator.watchdog;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.varsgen.emulator.bus.SystemMemory;

/**
 * Names a loaded PE image that has no CodeView record (release builds of OVMF have none) from
 * the firmware file it was loaded from: PEI leaves the decompressed DXE firmware volume in RAM,
 * where each driver is an FFS file whose PE32 section (type 0x10) is followed by a
 * user-interface section (type 0x15) holding the driver's base name in UCS-2 ("CpuDxe"). The
 * file's copy is recognised by the PE headers the loader does not change: the signature, the
 * COFF header and the optional header up to the entry point, and SizeOfImage. An image executed
 * in place (in the flash) is its own copy.
 */
final class FfsImageNamer {
    private static final int PE32_SECTION = 0x10;
    private static final int UI_SECTION = 0x15;
    /** Sections looked at after the PE32 one (edk2's order: PE32, UI, VERSION). */
    private static final int SECTIONS_AFTER = 3;
    /** PE signature, COFF header, optional header through AddressOfEntryPoint. */
    private static final int COMPARED = 4 + 20 + 20;

    private final SystemMemory memory;
    private final GuestBytes bytes;

    FfsImageNamer(SystemMemory memory) {
        this.memory = memory;
        this.bytes = new GuestBytes(memory);
    }

    Optional<String> name(long base) {
        Optional<String> inPlace = uiAfterPe32Section(base);
        if (inPlace.isPresent()) {
            return inPlace;
        }
        long lfanew = bytes.readLe(base + 0x3C, 4);
        byte[] key = new byte[COMPARED];
        for (int i = 0; i < COMPARED; i++) {
            key[i] = (byte) bytes.read8(base + lfanew + i);
        }
        long sizeOfImage = bytes.readLe(base + lfanew + 24 + 56, 4);
        byte[] ram = memory.ram();
        for (int at = 4; at + lfanew + COMPARED + 60 < ram.length; at += 4) {
            if (ram[at] != 'M' || ram[at + 1] != 'Z' || ram[at - 1] != PE32_SECTION || at == base
                    || le32(ram, at + 0x3C) != lfanew || le32(ram, at + (int) lfanew + 24 + 56) != sizeOfImage
                    || !sameBytes(ram, at + (int) lfanew, key)) {
                continue;
            }
            Optional<String> name = uiAfterPe32Section(at);
            if (name.isPresent()) {
                return name;
            }
        }
        return Optional.empty();
    }

    /** The UI section's text among the sections after the PE32 section that holds {@code image}. */
    private Optional<String> uiAfterPe32Section(long image) {
        long section = image - 4;
        if (bytes.read8(section + 3) != PE32_SECTION) {
            return Optional.empty();
        }
        for (int i = 0; i < SECTIONS_AFTER; i++) {
            long size = bytes.readLe(section, 3);
            if (size < 4 || size == 0xFFFFFF) {
                return Optional.empty();
            }
            section = (section + size + 3) & ~3L;
            long nextSize = bytes.readLe(section, 3);
            if (bytes.read8(section + 3) == UI_SECTION && nextSize > 6 && nextSize < 512) {
                return ucs2(section + 4, (int) nextSize - 4);
            }
        }
        return Optional.empty();
    }

    private Optional<String> ucs2(long at, int length) {
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            int b = bytes.read8(at + i);
            if (b < 0) {
                return Optional.empty();
            }
            text[i] = (byte) b;
        }
        String s = new String(text, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        s = nul < 0 ? s : s.substring(0, nul);
        return !s.isEmpty() && s.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? Optional.of(s) : Optional.empty();
    }

    private static long le32(byte[] a, int at) {
        if (at < 0 || at + 4 > a.length) {
            return -2;
        }
        return (a[at] & 0xFFL) | (a[at + 1] & 0xFFL) << 8 | (a[at + 2] & 0xFFL) << 16 | (a[at + 3] & 0xFFL) << 24;
    }

    private static boolean sameBytes(byte[] a, int at, byte[] key) {
        if (at < 0 || at + key.length > a.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (a[at + i] != key[i]) {
                return false;
            }
        }
        return true;
    }
}
