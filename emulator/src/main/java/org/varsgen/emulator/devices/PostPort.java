package org.varsgen.emulator.devices;

import java.util.function.IntConsumer;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * Port 0x80, QEMU's "ioport80": the POST-code port that firmware also writes for tiny I/O
 * delays. Reads answer all ones, as in QEMU; writes are kept (the last POST code helps when a
 * boot stops) and passed to an optional listener.
 */
public final class PostPort implements RegionHandler {
    /** QEMU's ioport80_io_ops: bytes implemented, any access up to 4 bytes valid. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 1);

    private IntConsumer listener = b -> { };
    private int lastCode = -1;

    public void setListener(IntConsumer listener) {
        this.listener = listener;
    }

    /** The last byte written, or -1 if none. */
    public int lastCode() {
        return lastCode;
    }

    public Region region() {
        return Region.mmio("ioport80", 0x80, 1, this, ACCESS);
    }

    @Override
    public long read(long offset, int size) {
        return 0xFF;
    }

    @Override
    public void write(long offset, int size, long value) {
        lastCode = (int) value & 0xFF;
        listener.accept(lastCode);
    }
}
