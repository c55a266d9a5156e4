package org.varsgen.emulator.devices.ahci;

import java.nio.charset.StandardCharsets;

/**
 * The 256-word IDENTIFY DEVICE data QEMU 7.2's IDE core (hw/ide/core.c, ide_identify) gives an
 * ide-hd drive on the ICH9 AHCI controller with default properties: model "QEMU HARDDISK",
 * serial "QM0000n", firmware revision "2.5+" (QEMU's hardware version string), LBA28 and LBA48
 * capacities, multiword/Ultra DMA, 32 NCQ tags, SMART, write cache, FLUSH CACHE (EXT), and TRIM
 * (QEMU's default discard granularity of 512 for IDE). The CHS words follow QEMU's geometry
 * guess (hw/block/hd-geometry.c): from the first MBR partition that gives one, else from the size.
 */
final class AtaIdentify {
    static final String MODEL = "QEMU HARDDISK";
    static final String FIRMWARE = "2.5+";
    private static final int MAX_MULT_SECTORS = 16;
    private static final int NCQ_TAGS = 32;

    private AtaIdentify() {
    }

    /** Cylinders, heads, sectors per track. */
    record Geometry(int cylinders, int heads, int sectors) { }

    /**
     * QEMU's guess: the first MBR partition with sectors and a non-zero end head gives heads and
     * sectors, if the cylinders that leaves are 1 to 16383 and the heads at most 16 (more means
     * a translating BIOS, and QEMU falls back); else 16 heads, 63 sectors and the cylinders the
     * size gives, clamped to 2..16383.
     */
    static Geometry geometry(byte[] firstSector, long sectors) {
        if ((firstSector[510] & 0xFF) == 0x55 && (firstSector[511] & 0xFF) == 0xAA) {
            for (int i = 0; i < 4; i++) {
                int p = 0x1BE + 16 * i;
                long count = (firstSector[p + 12] & 0xFFL) | (firstSector[p + 13] & 0xFFL) << 8
                        | (firstSector[p + 14] & 0xFFL) << 16 | (firstSector[p + 15] & 0xFFL) << 24;
                int endHead = firstSector[p + 5] & 0xFF;
                if (count == 0 || endHead == 0) {
                    continue;
                }
                int heads = endHead + 1;
                int secs = firstSector[p + 6] & 63;
                if (secs == 0) {
                    continue;
                }
                long cylinders = sectors / ((long) heads * secs);
                if (cylinders < 1 || cylinders > 16383) {
                    continue;
                }
                if (heads > 16) {
                    break; // a translated geometry: QEMU uses the size-based one
                }
                return new Geometry((int) cylinders, heads, secs);
            }
        }
        return new Geometry((int) Math.max(2, Math.min(16383, sectors / (16 * 63))), 16, 63);
    }

    static int[] build(long sectors, Geometry g, String serial, boolean writeCache) {
        int[] w = new int[256];
        int cylinders = g.cylinders(), heads = g.heads(), secs = g.sectors();
        w[0] = 0x0040;
        w[1] = cylinders;
        w[3] = heads;
        w[4] = 512 * secs;
        w[5] = 512;
        w[6] = secs;
        text(w, 10, serial, 20);
        w[20] = 3;
        w[21] = 512;
        w[22] = 4;
        text(w, 23, FIRMWARE, 8);
        text(w, 27, MODEL, 40);
        w[47] = 0x8000 | MAX_MULT_SECTORS;
        w[48] = 1;
        w[49] = 1 << 11 | 1 << 9 | 1 << 8;   // IORDY, LBA, DMA
        w[51] = 0x200;
        w[52] = 0x200;
        w[53] = 1 | 1 << 1 | 1 << 2;          // words 54-58, 64-70 and 88 valid
        w[54] = cylinders;
        w[55] = heads;
        w[56] = secs;
        long oldSize = (long) cylinders * heads * secs;
        w[57] = (int) (oldSize & 0xFFFF);
        w[58] = (int) ((oldSize >> 16) & 0xFFFF);
        w[59] = 0x100 | MAX_MULT_SECTORS;
        long lba28 = Math.min(sectors, (1L << 28) - 1);
        w[60] = (int) (lba28 & 0xFFFF);
        w[61] = (int) (lba28 >> 16);
        w[62] = 0x07;
        w[63] = 0x07;
        w[64] = 0x03;
        w[65] = 120;
        w[66] = 120;
        w[67] = 120;
        w[68] = 120;
        w[69] = 1 << 14;                      // deterministic TRIM
        w[75] = NCQ_TAGS - 1;
        w[76] = 1 << 8;                       // NCQ
        w[80] = 0xF0;                         // ATA-4 to ATA-7
        w[81] = 0x16;
        w[82] = 1 << 14 | 1 << 5 | 1;         // NOP, write cache, SMART supported
        w[83] = 1 << 14 | 1 << 13 | 1 << 12 | 1 << 10; // FLUSH CACHE EXT, FLUSH CACHE, LBA48
        w[84] = 1 << 14;
        w[85] = 1 << 14 | (writeCache ? 1 << 5 : 0) | 1;
        w[86] = 1 << 13 | 1 << 12 | 1 << 10;
        w[87] = 1 << 14;
        w[88] = 0x3F | 1 << 13;               // UDMA 0-5 supported, UDMA5 selected
        w[93] = 1 | 1 << 14 | 0x2000;
        w[100] = (int) (sectors & 0xFFFF);
        w[101] = (int) ((sectors >> 16) & 0xFFFF);
        w[102] = (int) ((sectors >> 32) & 0xFFFF);
        w[103] = (int) ((sectors >> 48) & 0xFFFF);
        w[106] = 0x6000;                      // one logical sector per physical sector
        w[169] = 1;                           // TRIM supported
        return w;
    }

    /** ATA strings: space-padded, two characters per word, the first in the high byte. */
    private static void text(int[] w, int word, String s, int length) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            int c = i < b.length ? b[i] & 0xFF : ' ';
            int at = word + i / 2;
            w[at] = (i % 2 == 0) ? (w[at] & 0x00FF) | c << 8 : (w[at] & 0xFF00) | c;
        }
    }

    static byte[] bytes(int[] words) {
        byte[] b = new byte[512];
        for (int i = 0; i < 256; i++) {
            b[2 * i] = (byte) words[i];
            b[2 * i + 1] = (byte) (words[i] >> 8);
        }
        return b;
    }
}
