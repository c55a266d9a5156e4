package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * Port 0x80 ("ioport80" in QEMU): the POST-code port that firmware also uses as an I/O delay.
 * Writes are kept as the last POST code (useful in hang reports); reads answer all ones, as
 * QEMU's ioport80_read does.
 */
public final class PostPort implements RegionHandler {
    public static final int PORT = 0x80;
    public static final AccessConstraints CONSTRAINTS = new AccessConstraints(1, 8, false, 1, 1, false);

    private int lastCode = -1;

    public Region region() {
        return Region.mmio("ioport80", PORT, 1, this, CONSTRAINTS);
    }

    /** The last byte written, or -1 when none was. */
    public int lastCode() {
        return lastCode;
    }

    @Override
    public long read(long offset, int size) {
        return -1L;
    }

    @Override
    public void write(long offset, int size, long value) {
        lastCode = (int) (value & 0xFF);
    }
}
