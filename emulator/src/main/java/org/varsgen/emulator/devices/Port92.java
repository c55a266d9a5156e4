package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * System control port A at 0x92 ("port92" in QEMU): bit 1 drives the A20 gate, a 0-to-1
 * transition of bit 0 resets the machine. Reads return the last value written (0 at reset;
 * OVMF reads 0x00 and writes 0x02).
 */
public final class Port92 implements RegionHandler {
    public static final int PORT = 0x92;
    public static final AccessConstraints CONSTRAINTS = new AccessConstraints(1, 8, false, 1, 1, false);

    private final IrqLine a20;
    private final MachineControl machine;
    private int outport;

    /** {@code a20} is driven high when the guest enables A20 through this port. */
    public Port92(IrqLine a20, MachineControl machine) {
        this.a20 = a20;
        this.machine = machine;
    }

    public Region region() {
        return Region.mmio("port92", PORT, 1, this, CONSTRAINTS);
    }

    /** Device reset: the reset bit clears, the A20 bit stays. */
    public void reset() {
        outport &= ~1;
    }

    @Override
    public long read(long offset, int size) {
        return outport;
    }

    @Override
    public void write(long offset, int size, long value) {
        int old = outport;
        outport = (int) (value & 0xFF);
        a20.setLevel((outport & 2) != 0);
        if ((outport & 1) != 0 && (old & 1) == 0) {
            machine.reset();
        }
    }
}
