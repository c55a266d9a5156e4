package org.varsgen.emulator.devices.pci;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.bus.SystemMemory;

/**
 * The q35 host bridge's PCI function 00:00.0 (QEMU "mch", 8086:29c0; hw/pci-host/q35.c), with
 * the registers that route memory:
 *
 * <ul>
 *   <li>PCIEXBAR (0x60, 64-bit): places the ECAM window through the {@link PciHost}. Reset value
 *       0xB0000000, disabled; OVMF programs 0xE0000001.</li>
 *   <li>PAM0-6 (0x90-0x96): 13 segments of 0xC0000-0xFFFFF, each "pam-pci" (mode 0: the PCI
 *       layer, i.e. the isa-bios flash alias or nothing), "pam-rom" (1: RAM, writes dropped),
 *       mode 2 (QEMU maps RAM read-write, also named "pam-pci") or "pam-ram" (3).</li>
 *   <li>SMRAM (0x9D) and ESMRAMC (0x9E): the legacy window at 0xA0000 ("smram-region" hides RAM
 *       from non-SMM accesses unless D_OPEN; "smram-low"/"smram-high" give SMM its RAM), TSEG
 *       ("tseg-blackhole": the top TSEG-size bytes of low RAM read all ones and drop writes outside
 *       SMM while G_SMRAME and T_EN are set; TSEG_SZ 11b means the extended size) and D_LCK
 *       (clears D_OPEN, leaves only D_CLS writable, freezes ESMRAMC).</li>
 *   <li>EXT_TSEG_MBYTES (0x50, 16-bit): reads 0xFFFF at reset; writing 0xFFFF makes it read the
 *       extended TSEG size in MiB (QEMU's default 16).</li>
 *   <li>F_SMBASE (0x9C, QEMU's "SMRAM at default SMBASE"): writing 0xFF reads back 0x01 (feature
 *       present); then writing bit 1 (LCK) locks it, after which 0x30000-0x4FFFF
 *       ("smbase-blackhole") is a black hole outside SMM and plain RAM in SMM. Any other write in
 *       the reset state reads back 0.</li>
 * </ul>
 * All other device-specific registers (0x40-0xFF) are plain read/write bytes, 0 at reset, as
 * QEMU presents them (TOLUD 0xB0, TSEGMB 0xAC, GBSM/BGSM, GGC are bookkeeping OVMF writes for the
 * OS). Region priorities: RAM (the board) 0; PAM, smram-region, TSEG/SMBASE black holes 1;
 * smram-low/-high (SMM only) 2.
 */
public final class Q35Mch extends PciFunction {
    public static final int VENDOR = 0x8086, DEVICE = 0x29C0;
    public static final int EXT_TSEG_MBYTES = 0x50, PCIEXBAR = 0x60, PAM0 = 0x90, F_SMBASE = 0x9C;
    public static final int SMRAM = 0x9D, ESMRAMC = 0x9E;
    public static final long PCIEXBAR_DEFAULT = 0xB0000000L;
    public static final int DEFAULT_EXT_TSEG_MBYTES = 16;
    static final int SMRAM_D_OPEN = 0x40, SMRAM_D_CLS = 0x20, SMRAM_D_LCK = 0x10, SMRAM_G_SMRAME = 0x08;
    static final int SMRAM_DEFAULT = 0x02, SMRAM_WMASK = 0x78;
    static final int ESMRAMC_H_SMRAME = 0x80, ESMRAMC_TSEG_SZ = 0x06, ESMRAMC_T_EN = 0x01;
    static final int ESMRAMC_DEFAULT = 0x38, ESMRAMC_WMASK = 0x87;
    static final int F_SMBASE_QUERY = 0xFF, F_SMBASE_IN_RAM = 0x01, F_SMBASE_LCK = 0x02;
    static final long SMRAM_C_BASE = 0xA0000, SMRAM_C_SIZE = 0x20000, SMRAM_HIGH_BASE = 0xFEDA0000L;
    static final long SMBASE_ADDR = 0x30000, SMBASE_SIZE = 0x20000;
    static final int PRIORITY_OVERLAY = 1, PRIORITY_SMM = 2;

    private final PciHost host;
    private final long lowRamBytes;
    private final int extTsegMbytes;
    private final Region[][] pam = new Region[13][4];
    private final Region smramRegion;
    private final Region openHighSmram;
    private final Region lowSmram;
    private final Region highSmram;
    private final Region tsegBlackhole;
    private final Region smbaseBlackhole;
    private int smbaseWriteMask;

    /**
     * The MCH of a machine with {@code lowRamBytes} of RAM below 4 GiB, mapping its windows into
     * {@code memory} and placing ECAM through {@code host}.
     */
    public Q35Mch(SystemMemory memory, PciHost host, long lowRamBytes) {
        super("mch", VENDOR, DEVICE, 0, 0x060000, 0x1AF4, 0x1100);
        this.host = host;
        this.lowRamBytes = lowRamBytes;
        this.extTsegMbytes = DEFAULT_EXT_TSEG_MBYTES;
        setWriteMask8(0x0C, 0xFF);
        for (int at = 0x40; at < 0x100; at++) {
            setWriteMask8(at, 0xFF);
        }
        for (int i = 0; i < 13; i++) {
            long base = i == 0 ? 0xF0000 : 0xC0000 + (i - 1) * 0x4000L;
            long size = i == 0 ? 0x10000 : 0x4000;
            pam[i][0] = Region.pciWindow("pam-pci", base, size);
            pam[i][1] = Region.ram("pam-rom", base, size, base, true);
            pam[i][2] = Region.ram("pam-pci", base, size, base, false);
            pam[i][3] = Region.ram("pam-ram", base, size, base, false);
            for (Region r : pam[i]) {
                r.setEnabled(false);
                memory.add(r.withPriority(PRIORITY_OVERLAY));
            }
        }
        smramRegion = memory.add(Region.pciWindow("smram-region", SMRAM_C_BASE, SMRAM_C_SIZE).withPriority(PRIORITY_OVERLAY));
        openHighSmram = memory.add(Region.ram("smram-open-high", SMRAM_HIGH_BASE, SMRAM_C_SIZE, SMRAM_C_BASE, false)
                .withPriority(PRIORITY_OVERLAY));
        lowSmram = memory.add(Region.ram("smram-low", SMRAM_C_BASE, SMRAM_C_SIZE, SMRAM_C_BASE, false)
                .withPriority(PRIORITY_SMM).withVisibility(Region.Visibility.SMM_ONLY));
        highSmram = memory.add(Region.ram("smram-high", SMRAM_HIGH_BASE, SMRAM_C_SIZE, SMRAM_C_BASE, false)
                .withPriority(PRIORITY_SMM).withVisibility(Region.Visibility.SMM_ONLY));
        AccessConstraints blackholeAccess = AccessConstraints.of(1, 4, 4, 4);
        tsegBlackhole = memory.add(Region.mmio("tseg-blackhole", lowRamBytes, 0, new BlackHole(), blackholeAccess)
                .withPriority(PRIORITY_OVERLAY).withVisibility(Region.Visibility.NON_SMM_ONLY));
        smbaseBlackhole = memory.add(Region.mmio("smbase-blackhole", SMBASE_ADDR, SMBASE_SIZE, new BlackHole(), blackholeAccess)
                .withPriority(PRIORITY_OVERLAY).withVisibility(Region.Visibility.NON_SMM_ONLY));
        reset();
    }

    /** Machine reset: QEMU's mch_reset. */
    public void reset() {
        set32(PCIEXBAR, (int) PCIEXBAR_DEFAULT);
        set32(PCIEXBAR + 4, 0);
        set8(SMRAM, SMRAM_DEFAULT);
        set8(ESMRAMC, ESMRAMC_DEFAULT);
        setWriteMask8(SMRAM, SMRAM_WMASK);
        setWriteMask8(ESMRAMC, ESMRAMC_WMASK);
        set16(EXT_TSEG_MBYTES, 0xFFFF);
        set8(F_SMBASE, 0);
        setSmbaseWriteMask(0xFF);
        updatePciexbar();
        updatePam();
        updateSmram();
        updateSmbaseSmram();
    }

    @Override
    protected void configWritten(int offset, int size, int value) {
        if (overlaps(offset, size, PAM0, 7)) {
            updatePam();
        }
        if (overlaps(offset, size, PCIEXBAR, 8)) {
            updatePciexbar();
        }
        if (overlaps(offset, size, SMRAM, 2)) {
            updateSmram();
        }
        if (overlaps(offset, size, EXT_TSEG_MBYTES, 2) && get16(EXT_TSEG_MBYTES) == 0xFFFF) {
            set16(EXT_TSEG_MBYTES, extTsegMbytes);
        }
        if (overlaps(offset, size, F_SMBASE, 1)) {
            updateSmbaseSmram();
        }
    }

    private static boolean overlaps(int offset, int size, int start, int length) {
        return offset < start + length && start < offset + size;
    }

    private void updatePciexbar() {
        long bar = (get32(PCIEXBAR) & 0xFFFFFFFFL) | (long) get32(PCIEXBAR + 4) << 32;
        boolean enabled = (bar & 1) != 0;
        long addressMask = 0xF_F000_0000L;
        long length;
        switch ((int) (bar >>> 1) & 3) {
            case 0 -> length = 256L << 20;
            case 1 -> {
                length = 128L << 20;
                addressMask |= 0x0C00_0000L;
            }
            case 2 -> {
                length = 64L << 20;
                addressMask |= 0x0400_0000L;
            }
            default -> {
                // Reserved length: QEMU logs a guest error and leaves the window as it was.
                return;
            }
        }
        host.setEcam(enabled, bar & addressMask, length);
    }

    private void updatePam() {
        for (int i = 0; i < 13; i++) {
            int reg = get8(PAM0 + (i + 1) / 2);
            int mode = (i & 1) == 0 ? reg >> 4 & 3 : reg & 3;
            for (int m = 0; m < 4; m++) {
                pam[i][m].setEnabled(m == mode);
            }
        }
    }

    private void updateSmram() {
        int smram = get8(SMRAM);
        if ((smram & SMRAM_D_LCK) != 0) {
            smram &= ~SMRAM_D_OPEN;
            set8(SMRAM, smram);
            setWriteMask8(SMRAM, SMRAM_D_CLS);
            setWriteMask8(ESMRAMC, 0);
        }
        int esmramc = get8(ESMRAMC);
        boolean high = (esmramc & ESMRAMC_H_SMRAME) != 0;
        if ((smram & SMRAM_D_OPEN) != 0) {
            smramRegion.setEnabled(high);
            openHighSmram.setEnabled(high);
        } else {
            smramRegion.setEnabled(true);
            openHighSmram.setEnabled(false);
        }
        boolean global = (smram & SMRAM_G_SMRAME) != 0;
        lowSmram.setEnabled(global && !high);
        highSmram.setEnabled(global && high);
        long tsegSize = 0;
        if ((esmramc & ESMRAMC_T_EN) != 0 && global) {
            tsegSize = switch ((esmramc & ESMRAMC_TSEG_SZ) >> 1) {
                case 0 -> 1L << 20;
                case 1 -> 2L << 20;
                case 2 -> 8L << 20;
                default -> (long) extTsegMbytes << 20;
            };
        }
        tsegBlackhole.setSize(tsegSize);
        tsegBlackhole.setBase(lowRamBytes - tsegSize);
        tsegBlackhole.setEnabled(tsegSize != 0);
    }

    private void updateSmbaseSmram() {
        int reg = get8(F_SMBASE);
        if (reg == F_SMBASE_QUERY) {
            setSmbaseWriteMask(F_SMBASE_LCK);
            set8(F_SMBASE, F_SMBASE_IN_RAM);
            return;
        }
        if (smbaseWriteMask == 0xFF) {
            // Reset state: anything but the query is discarded.
            reg = 0;
            set8(F_SMBASE, 0);
        }
        boolean locked = (reg & F_SMBASE_LCK) != 0;
        if (locked) {
            setSmbaseWriteMask(smbaseWriteMask & ~F_SMBASE_LCK);
            set8(F_SMBASE, F_SMBASE_LCK);
        }
        smbaseBlackhole.setEnabled(locked);
    }

    private void setSmbaseWriteMask(int mask) {
        smbaseWriteMask = mask;
        setWriteMask8(F_SMBASE, mask);
    }

    /** The TSEG size the MCH currently hides from non-SMM accesses (0 when open or disabled). */
    public long tsegBlackholeSize() {
        return tsegBlackhole.enabled() ? tsegBlackhole.size() : 0;
    }

    /** QEMU's blackhole_ops: reads all ones, drops writes; implemented as dwords. */
    private static final class BlackHole implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            return 0xFFFFFFFFL;
        }

        @Override
        public void write(long offset, int size, long value) {
            // Dropped.
        }
    }
}
