package org.varsgen.emulator.devices;

import java.util.function.IntConsumer;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * QEMU's isa-debugcon at port 0x402 (-global isa-debugcon.iobase=0x402): every byte written goes
 * to the output; a read answers 0xE9, which is how OVMF's PlatformDebugLibIoPort detects it.
 * Byte accesses only (QEMU declares valid 1..1, so wider ones are rejected and read 0).
 */
public final class DebugConsole implements RegionHandler {
    public static final int PORT = 0x402;
    public static final int READBACK = 0xE9;
    public static final AccessConstraints CONSTRAINTS = AccessConstraints.of(1, 1, 1, 1);

    private final IntConsumer output;

    /** {@code output} receives each byte (0..255) the guest writes. */
    public DebugConsole(IntConsumer output) {
        this.output = output;
    }

    public Region region() {
        return Region.mmio("isa-debugcon", PORT, 1, this, CONSTRAINTS);
    }

    @Override
    public long read(long offset, int size) {
        return READBACK;
    }

    @Override
    public void write(long offset, int size, long value) {
        output.accept((int) (value & 0xFF));
    }
}
