package org.varsgen.emulator.watchdog;

import java.util.Optional;
import org.varsgen.emulator.bus.SystemMemory;

/**
 * Finds the PE/COFF image that contains a code address: edk2 loads every image on a 4 KiB
 * boundary (and the flash's execute-in-place images that are PE32 are aligned the same way), so
 * the MZ header is the nearest one at or below the address on such a boundary whose
 * SizeOfImage reaches the address. The name comes from the CodeView record of the debug
 * directory (NB10, RSDS or MTOC), which edk2's GenFw fills with the build path of the .dll.
 * Without one (release builds), {@link FfsImageNamer} names it from its firmware file's
 * user-interface section. TE images (most PEIMs in flash) are not recognised.
 */
public final class PeImageLocator {
    /** How far below the address to look for the header: larger than any firmware image. */
    static final long MAX_SCAN = 16L << 20;
    private static final int PAGE = 4096;
    private static final int DEBUG_DIRECTORY = 6;
    private static final int CODEVIEW = 2;
    private static final int MAX_NAME = 512;

    private final GuestBytes bytes;
    private final FfsImageNamer namer;

    public PeImageLocator(SystemMemory memory) {
        this.bytes = new GuestBytes(memory);
        this.namer = new FfsImageNamer(memory);
    }

    /** The image containing physical {@code address}, if one is found. */
    public Optional<PeImage> find(long address) {
        long start = address & ~(long) (PAGE - 1);
        for (long base = start; base >= 0 && start - base <= MAX_SCAN; base -= PAGE) {
            if (bytes.readLe(base, 2) != 0x5A4D) {
                continue;
            }
            Optional<PeImage> image = parse(base);
            if (image.isPresent()) {
                PeImage pe = image.get();
                return address < pe.base() + pe.size() ? image : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Optional<PeImage> parse(long base) {
        long lfanew = bytes.readLe(base + 0x3C, 4);
        if (lfanew < 0x40 || lfanew > PAGE - 0x100) {
            return Optional.empty();
        }
        long pe = base + lfanew;
        if (bytes.readLe(pe, 4) != 0x4550) {
            return Optional.empty();
        }
        long opt = pe + 24;
        long magic = bytes.readLe(opt, 2);
        boolean plus = magic == 0x20B;
        if (!plus && magic != 0x10B) {
            return Optional.empty();
        }
        long size = bytes.readLe(opt + 56, 4);
        if (size <= 0) {
            return Optional.empty();
        }
        long directories = bytes.readLe(opt + (plus ? 108 : 92), 4);
        Optional<String> name = Optional.empty();
        if (directories > DEBUG_DIRECTORY) {
            long dir = opt + (plus ? 112 : 96) + 8L * DEBUG_DIRECTORY;
            name = codeViewName(base, size, bytes.readLe(dir, 4), bytes.readLe(dir + 4, 4));
        }
        if (name.isEmpty()) {
            name = namer.name(base);
        }
        return Optional.of(new PeImage(base, size, name));
    }

    private Optional<String> codeViewName(long base, long imageSize, long rva, long dirSize) {
        if (rva <= 0 || dirSize <= 0 || rva + dirSize > imageSize) {
            return Optional.empty();
        }
        for (long e = base + rva; e + 28 <= base + rva + dirSize; e += 28) {
            if (bytes.readLe(e + 12, 4) != CODEVIEW) {
                continue;
            }
            long data = bytes.readLe(e + 20, 4);
            if (data <= 0 || data >= imageSize) {
                continue;
            }
            long record = base + data;
            long nameOffset = switch ((int) bytes.readLe(record, 4)) {
                case 0x3031424E -> 16; // "NB10"
                case 0x53445352 -> 24; // "RSDS"
                case 0x434F544D -> 20; // "MTOC"
                default -> -1;
            };
            if (nameOffset > 0) {
                return readName(record + nameOffset);
            }
        }
        return Optional.empty();
    }

    /** The NUL-terminated path's last component (the build directory says nothing useful). */
    private Optional<String> readName(long at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < MAX_NAME; i++) {
            int b = bytes.read8(at + i);
            if (b <= 0) {
                break;
            }
            if (b < 0x20 || b > 0x7E) {
                return Optional.empty();
            }
            sb.append((char) b);
        }
        String path = sb.toString();
        String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
        return file.isEmpty() ? Optional.empty() : Optional.of(file);
    }
}
