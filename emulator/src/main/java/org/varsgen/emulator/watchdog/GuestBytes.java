package org.varsgen.emulator.watchdog;

import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RomDevice;
import org.varsgen.emulator.bus.SystemMemory;

/**
 * Reads guest physical memory without side effects, for diagnostics: RAM and ROM devices in
 * ROM mode (the flash) only; a device register is never touched, so looking cannot change
 * what the guest does next.
 */
final class GuestBytes {
    private final SystemMemory memory;

    GuestBytes(SystemMemory memory) {
        this.memory = memory;
    }

    /** The byte at {@code address}, or -1 when it is not plain memory. */
    int read8(long address) {
        Region r = memory.regionAt(address, 0);
        if (r == null) {
            return -1;
        }
        long offset = address - r.base();
        byte[] bytes;
        if (r.kind() == Region.Kind.RAM) {
            bytes = memory.ram();
            offset += r.ramOffset();
        } else if (r.handler() instanceof RomDevice rom && rom.romMode()) {
            bytes = rom.romContents();
        } else {
            return -1;
        }
        return offset >= 0 && offset < bytes.length ? bytes[(int) offset] & 0xFF : -1;
    }

    /** Little-endian value of {@code size} bytes, or -1 when any of them is not plain memory. */
    long readLe(long address, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int b = read8(address + i);
            if (b < 0) {
                return -1;
            }
            v = v << 8 | b;
        }
        return v;
    }
}
