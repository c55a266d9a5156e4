package org.varsgen.emulator.devices;

import java.util.function.IntConsumer;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * QEMU's isa-debugcon on port 0x402 (Debian's and OVMF's choice, not the Bochs 0xE9): every
 * byte written goes to the listener; a read answers 0xE9, which is how OVMF's DEBUG builds
 * detect it before logging.
 */
public final class DebugConsole implements RegionHandler {
    public static final int PORT = 0x402;
    /** QEMU's debugcon_ops: valid for byte accesses only, so wider ones are rejected by the bus. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 1, 1, 1);
    private static final int READBACK = 0xE9;

    private IntConsumer output = b -> { };

    public void setOutput(IntConsumer listener) {
        this.output = listener;
    }

    public Region region() {
        return Region.mmio("isa-debugcon", PORT, 1, this, ACCESS);
    }

    @Override
    public long read(long offset, int size) {
        return READBACK;
    }

    @Override
    public void write(long offset, int size, long value) {
        output.accept((int) value & 0xFF);
    }
}
