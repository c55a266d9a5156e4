package org.varsgen.emulator.devices;

import java.util.function.IntConsumer;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The APM control (0xB2, APM_CNT) and status (0xB3, APM_STS) ports, "apm-io" in QEMU. A write to
 * the control port hands the byte to the chipset's listener (the ICH9 LPC), which raises an SMI
 * when SMI_EN.APMC_EN is set; the status port is a plain scratch byte. Implemented byte-wise:
 * wider accesses are split by the bus.
 */
public final class ApmPorts implements RegionHandler {
    public static final int PORT = 0xB2;
    public static final AccessConstraints CONSTRAINTS = new AccessConstraints(1, 8, false, 1, 1, false);

    private final IntConsumer controlWritten;
    private int control;
    private int status;

    public ApmPorts(IntConsumer controlWritten) {
        this.controlWritten = controlWritten;
    }

    public Region region() {
        return Region.mmio("apm-io", PORT, 2, this, CONSTRAINTS);
    }

    @Override
    public long read(long offset, int size) {
        return (offset & 1) == 0 ? control : status;
    }

    @Override
    public void write(long offset, int size, long value) {
        int b = (int) (value & 0xFF);
        if ((offset & 1) == 0) {
            control = b;
            controlWritten.accept(b);
        } else {
            status = b;
        }
    }
}
