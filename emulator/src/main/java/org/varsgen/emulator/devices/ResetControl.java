package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The ICH9 reset control register at port 0xCF9 ("lpc-reset-control"). It overlaps the PCI
 * configuration address register 0xCF8-0xCFB and wins there (QEMU maps it at priority 1), so a
 * byte access to 0xCF9 comes here while a dword access to 0xCF8 reaches the PCI host.
 *
 * <p>Writing a value with RST_CPU (bit 2) resets the machine (OVMF's ResetCold writes 0x06);
 * otherwise only SYS_RST (bit 1) and FULL_RST (bit 3) are kept, and read back.
 */
public final class ResetControl implements RegionHandler {
    public static final int PORT = 0xCF9;
    /** Above the PCI host's pci-conf-idx region. */
    public static final int PRIORITY = 1;

    private final MachineControl machine;
    private int value;

    public ResetControl(MachineControl machine) {
        this.machine = machine;
    }

    public Region region() {
        return Region.mmio("lpc-reset-control", PORT, 1, this, AccessConstraints.QEMU_DEFAULT).withPriority(PRIORITY);
    }

    /** Device reset. */
    public void reset() {
        value = 0;
    }

    @Override
    public long read(long offset, int size) {
        return value;
    }

    @Override
    public void write(long offset, int size, long v) {
        if ((v & 4) != 0) {
            machine.reset();
            return;
        }
        value = (int) (v & 0xA);
    }
}
