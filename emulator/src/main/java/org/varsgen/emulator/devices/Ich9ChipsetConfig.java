package org.varsgen.emulator.devices;

import java.util.Arrays;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The ICH9 chipset configuration registers, the 16 KiB root complex register block that the LPC
 * bridge maps at RCBA ("lpc-rcrb-mmio"; QEMU ich9_cc_*). A plain little-endian register file with
 * QEMU's reset values: the D25-D31 interrupt routing registers and GCS. OVMF writes RCBA but
 * never touches the block.
 */
public final class Ich9ChipsetConfig implements RegionHandler {
    public static final int SIZE = 0x4000;
    static final int D31IR = 0x3140, D30IR = 0x3142, D29IR = 0x3144, D28IR = 0x3146;
    static final int D27IR = 0x3148, D26IR = 0x314C, D25IR = 0x3150, GCS = 0x3410;
    /** INTA-D to PIRQ A-D. */
    static final int DIR_DEFAULT = 0x3210;
    /** NO_REBOOT clear, boot BIOS straps as QEMU sets them. */
    static final int GCS_DEFAULT = 0x00000020;

    private final byte[] registers = new byte[SIZE];

    public Ich9ChipsetConfig() {
        reset();
    }

    public void reset() {
        Arrays.fill(registers, (byte) 0);
        for (int at : new int[] {D31IR, D29IR, D28IR, D27IR, D26IR, D25IR}) {
            put(at, 4, DIR_DEFAULT);
        }
        put(D30IR, 4, 0);
        put(GCS, 4, GCS_DEFAULT);
    }

    @Override
    public long read(long offset, int size) {
        int at = (int) offset & (SIZE - 1);
        int len = Math.min(size, SIZE - at);
        long v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = v << 8 | (registers[at + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        int at = (int) offset & (SIZE - 1);
        put(at, Math.min(size, SIZE - at), value);
    }

    private void put(int at, int len, long value) {
        for (int i = 0; i < len; i++) {
            registers[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
