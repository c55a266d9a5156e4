package org.varsgen.emulator.devices;

/**
 * The CMOS bytes QEMU's PC machines fill before power-on (hw/i386/pc.c, pc_cmos_init and
 * pc_cmos_init_late), for a q35 machine without floppy: memory sizes, the equipment byte, the
 * boot order and, when the AHCI port 0 holds a disk, its geometry. Checked against the CMOS
 * dump in the DEBUG firmware's QEMU trace (-m 256, a 64 MiB disk).
 */
public final class PcCmosLayout {
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private PcCmosLayout() {
    }

    /**
     * Fills the memory and equipment bytes.
     *
     * @param belowFourGiB RAM below 4 GiB in bytes (all of it for -m 256)
     * @param aboveFourGiB RAM above 4 GiB in bytes
     * @param bootOrder    QEMU's legacy boot order letters ("cad" when none is given)
     */
    public static void fill(Mc146818Rtc rtc, long belowFourGiB, long aboveFourGiB, String bootOrder) {
        long base = Math.min(belowFourGiB / KIB, 640);
        word(rtc, 0x15, base);
        long extended = belowFourGiB > MIB ? Math.min((belowFourGiB - MIB) / KIB, 0xFFFF) : 0;
        word(rtc, 0x17, extended);
        word(rtc, 0x30, extended);
        long above16m = belowFourGiB > 16 * MIB ? Math.min((belowFourGiB - 16 * MIB) / (64 * KIB), 0xFFFF) : 0;
        word(rtc, 0x34, above16m);
        long high = aboveFourGiB / (64 * KIB);
        rtc.setCmosByte(0x5B, (int) high);
        rtc.setCmosByte(0x5C, (int) (high >> 8));
        rtc.setCmosByte(0x5D, (int) (high >> 16));
        rtc.setCmosByte(0x5F, 0);               // number of CPUs minus one
        rtc.setCmosByte(0x14, 0x02 | 0x04);     // FPU present, PS/2 mouse present; no floppy
        rtc.setCmosByte(0x10, 0);               // no floppy drives
        bootOrder(rtc, bootOrder);
    }

    private static void bootOrder(Mc146818Rtc rtc, String order) {
        int[] nibbles = new int[3];
        for (int i = 0; i < Math.min(order.length(), 3); i++) {
            nibbles[i] = switch (order.charAt(i)) {
                case 'a', 'b' -> 1;
                case 'c' -> 2;
                case 'd' -> 3;
                case 'n' -> 4;
                default -> throw new IllegalArgumentException("boot device '" + order.charAt(i) + "' is not one of a, b, c, d, n");
            };
        }
        rtc.setCmosByte(0x3D, nibbles[1] << 4 | nibbles[0]);
        rtc.setCmosByte(0x38, nibbles[2] << 4);   // bit 0 clear: floppy boot signature check on
    }

    /**
     * The first hard disk's entry (type 47, user-defined geometry) and the translation byte,
     * with the physical geometry QEMU reports for it.
     */
    public static void hardDisk0(Mc146818Rtc rtc, int cylinders, int heads, int sectors) {
        rtc.setCmosByte(0x12, 0xF0);
        rtc.setCmosByte(0x19, 47);
        int o = 0x1B;
        rtc.setCmosByte(o, cylinders);
        rtc.setCmosByte(o + 1, cylinders >> 8);
        rtc.setCmosByte(o + 2, heads);
        rtc.setCmosByte(o + 3, 0xFF);
        rtc.setCmosByte(o + 4, 0xFF);
        rtc.setCmosByte(o + 5, 0xC0 | (heads > 8 ? 0x08 : 0));
        rtc.setCmosByte(o + 6, cylinders);
        rtc.setCmosByte(o + 7, cylinders >> 8);
        rtc.setCmosByte(o + 8, sectors);
        rtc.setCmosByte(0x39, 0);                 // no CHS translation
    }

    /**
     * QEMU's geometry guess for a disk without a partition table that implies one: 16 heads,
     * 63 sectors, as many cylinders as fit (2 to 16383). Returns {cylinders, heads, sectors}.
     */
    public static int[] guessGeometry(long sizeBytes) {
        long sectors = sizeBytes / 512;
        long cylinders = Math.max(2, Math.min(16383, sectors / (16 * 63)));
        return new int[] {(int) cylinders, 16, 63};
    }

    private static void word(Mc146818Rtc rtc, int offset, long value) {
        rtc.setCmosByte(offset, (int) value);
        rtc.setCmosByte(offset + 1, (int) (value >> 8));
    }
}
