package org.varsgen.emulator.devices.ahci;

/**
 * One AHCI port's registers and command engine (AHCI 1.3 section 3.3 and 5), as QEMU 7.2's
 * hw/ide/ahci.c behaves: commands run to completion synchronously when PxCI is written with
 * PxCMD.ST set; the FIS receive and command list engines report running (FR, CR) as soon as FRE
 * and ST are set; the first D2H FIS (the disk signature) is posted when FIS receive is first
 * enabled. Ports without a disk read SSTS 0 and never run commands.
 */
final class AhciPort {
    static final int CLB = 0x00, CLBU = 0x04, FB = 0x08, FBU = 0x0C, IS = 0x10, IE = 0x14, CMD = 0x18,
            TFD = 0x20, SIG = 0x24, SSTS = 0x28, SCTL = 0x2C, SERR = 0x30, SACT = 0x34, CI = 0x38, SNTF = 0x3C;
    static final int CMD_ST = 1, CMD_SUD = 1 << 1, CMD_POD = 1 << 2, CMD_FRE = 1 << 4, CMD_FR = 1 << 14,
            CMD_CR = 1 << 15;
    /** PxCMD bits the guest cannot set (QEMU's PORT_CMD_RO_MASK); ICC is always written as 0. */
    private static final int CMD_READ_ONLY = 0x007DFFE0, CMD_ICC = 0xF0000000;
    static final int IS_DHRS = 1, IS_PSS = 1 << 1, IS_TFES = 1 << 30;
    /** PxIE bits that exist (QEMU's mask). */
    private static final int IE_MASK = 0xFDC000FF;
    /** SSTS for a device present with communication established at Gen1, interface active. */
    static final int SSTS_PRESENT = 0x113;
    static final int SIG_DISK = 0x00000101;
    private static final int RFIS_PSFIS = 0x20, RFIS_RFIS = 0x40;
    private static final int FIS_H2D = 0x27, FIS_D2H = 0x34, FIS_PIO_SETUP = 0x5F;

    private final AtaDisk disk;
    private final DmaAccess dma;
    private final Runnable irqCheck;

    private long clb, fb;
    int irqStatus;
    int irqMask;
    private int cmd;
    private int tfd;
    private int sig;
    private int sctl, serr, sact, ci;
    private boolean initD2hSent;

    AhciPort(AtaDisk disk, DmaAccess dma, Runnable irqCheck) {
        this.disk = disk;
        this.dma = dma;
        this.irqCheck = irqCheck;
    }

    /** HBA reset (GHC.HR): QEMU keeps CLB and FB, clears the rest. */
    void hbaReset() {
        irqStatus = 0;
        irqMask = 0;
        sctl = 0;
        cmd = CMD_SUD | CMD_POD;
        portReset();
    }

    /** COMRESET (SCTL.DET 1 to 0) and HBA reset: signature pending until FIS receive is on. */
    private void portReset() {
        serr = 0;
        sact = 0;
        tfd = 0x7F;
        sig = 0xFFFFFFFF;
        initD2hSent = false;
        if (disk != null) {
            disk.reset();
            postInitialD2h();
        }
    }

    int read(int offset) {
        return switch (offset) {
            case CLB -> (int) clb;
            case CLBU -> (int) (clb >>> 32);
            case FB -> (int) fb;
            case FBU -> (int) (fb >>> 32);
            case IS -> irqStatus;
            case IE -> irqMask;
            case CMD -> cmd;
            case TFD -> tfd;
            case SIG -> sig;
            case SSTS -> disk != null ? SSTS_PRESENT : 0;
            case SCTL -> sctl;
            case SERR -> serr;
            case SACT -> sact;
            case CI -> ci;
            default -> 0;
        };
    }

    void write(int offset, int value) {
        switch (offset) {
            case CLB -> clb = (clb & 0xFFFFFFFF00000000L) | (value & 0xFFFFFFFFL);
            case CLBU -> clb = (clb & 0xFFFFFFFFL) | (long) value << 32;
            case FB -> fb = (fb & 0xFFFFFFFF00000000L) | (value & 0xFFFFFFFFL);
            case FBU -> fb = (fb & 0xFFFFFFFFL) | (long) value << 32;
            case IS -> {
                irqStatus &= ~value;
                irqCheck.run();
            }
            case IE -> {
                irqMask = value & IE_MASK;
                irqCheck.run();
            }
            case CMD -> {
                cmd = (cmd & CMD_READ_ONLY) | (value & ~(CMD_READ_ONLY | CMD_ICC));
                cmd = (cmd & CMD_ST) != 0 ? cmd | CMD_CR : cmd & ~CMD_CR;
                if ((cmd & CMD_ST) == 0) {
                    ci = 0; // stopping the command list engine drops what is still issued
                }
                cmd = (cmd & CMD_FRE) != 0 ? cmd | CMD_FR : cmd & ~CMD_FR;
                if ((cmd & CMD_FR) != 0 && !initD2hSent) {
                    postInitialD2h();
                }
                runCommands();
            }
            case SCTL -> {
                if ((sctl & 0xF) == 1 && (value & 0xF) == 0) {
                    portReset();
                }
                sctl = value;
            }
            case SERR -> serr &= ~value;
            case SACT -> sact |= value;
            case CI -> {
                ci |= value;
                runCommands();
            }
            default -> { } // TFD, SIG, SSTS and reserved registers are read-only
        }
    }

    /** The disk's signature, once FIS receive is on: QEMU emulates the device's first D2H FIS. */
    private void postInitialD2h() {
        if (disk == null || initD2hSent || (cmd & CMD_FRE) == 0) {
            return;
        }
        initD2hSent = true;
        postD2h();
        sig = disk.hcyl << 24 | disk.lcyl << 16 | disk.sector << 8 | (disk.nsector & 0xFF);
    }

    private void runCommands() {
        if ((cmd & CMD_ST) == 0 || disk == null) {
            return;
        }
        for (int slot = 0; slot < 32 && ci != 0; slot++) {
            // A command that ends in error stays issued, as in QEMU, until ST is cleared.
            if ((ci & (1 << slot)) != 0 && execute(slot)) {
                ci &= ~(1 << slot);
            }
        }
    }

    /**
     * Runs the command in {@code slot}: header, command FIS, PRDT, data, then the result FISes.
     * Returns false when the command ended in error.
     */
    private boolean execute(int slot) {
        long header = clb + 32L * slot;
        int dw0 = dma.read32(header);
        int prdtLength = dw0 >>> 16;
        long table = (dma.read32(header + 8) & 0xFFFFFF80L) | (long) dma.read32(header + 12) << 32;
        byte[] fis = new byte[20];
        dma.read(table, fis, 0, fis.length);
        if ((fis[0] & 0xFF) != FIS_H2D || (fis[1] & 0x80) == 0) {
            // Not a command (for example a device-control FIS): nothing for the device to do.
            dma.write32(header + 4, 0);
            return true;
        }
        AtaDisk.Transfer t = disk.execute(fis[2] & 0xFF, fis[3] & 0xFF, fis[4] & 0xFF, fis[5] & 0xFF,
                fis[6] & 0xFF, fis[7] & 0xFF, fis[8] & 0xFF, fis[9] & 0xFF, fis[10] & 0xFF,
                fis[12] & 0xFF, fis[13] & 0xFF);
        int moved = 0;
        switch (t.protocol()) {
            case PIO_IN, DMA_IN -> moved = scatter(table, prdtLength, t.data(), t.bytes());
            case PIO_OUT, DMA_OUT -> {
                byte[] data = new byte[t.bytes()];
                moved = gather(table, prdtLength, data);
                disk.finishWrite(data);
            }
            case NON_DATA -> { }
        }
        if (t.protocol() == AtaDisk.Protocol.PIO_IN || t.protocol() == AtaDisk.Protocol.PIO_OUT) {
            postPioSetup(t.bytes());
        }
        dma.write32(header + 4, moved); // PRDBC: bytes transferred
        postD2h();
        return (disk.status & AtaDisk.STATUS_ERR) == 0;
    }

    /** Copies device data into the PRDT's regions; returns the bytes placed. */
    private int scatter(long table, int entries, byte[] data, int length) {
        int done = 0;
        for (int i = 0; i < entries && done < length; i++) {
            long prd = table + 0x80 + 16L * i;
            long base = (dma.read32(prd) & 0xFFFFFFFFL) | (long) dma.read32(prd + 4) << 32;
            int count = (dma.read32(prd + 12) & 0x3FFFFF) + 1;
            int n = Math.min(count, length - done);
            dma.write(base, data, done, n);
            done += n;
        }
        return done;
    }

    /** Collects host data from the PRDT's regions; returns the bytes collected. */
    private int gather(long table, int entries, byte[] data) {
        int done = 0;
        for (int i = 0; i < entries && done < data.length; i++) {
            long prd = table + 0x80 + 16L * i;
            long base = (dma.read32(prd) & 0xFFFFFFFFL) | (long) dma.read32(prd + 4) << 32;
            int count = (dma.read32(prd + 12) & 0x3FFFFF) + 1;
            int n = Math.min(count, data.length - done);
            dma.read(base, data, done, n);
            done += n;
        }
        return done;
    }

    /**
     * The D2H register FIS at RFIS offset 0x40, always with the interrupt bit (as QEMU 7.2); it
     * updates PxTFD and raises DHRS (and TFES on error).
     */
    private void postD2h() {
        if ((cmd & CMD_FRE) == 0) {
            return;
        }
        byte[] f = new byte[20];
        f[0] = FIS_D2H;
        f[1] = 1 << 6;
        taskFile(f, disk.status);
        dma.write(fb + RFIS_RFIS, f, 0, f.length);
        tfd = disk.error << 8 | disk.status;
        if ((disk.status & AtaDisk.STATUS_ERR) != 0) {
            irqStatus |= IS_TFES;
        }
        irqStatus |= IS_DHRS;
        irqCheck.run();
    }

    /**
     * The PIO setup FIS at RFIS offset 0x20, sent for PIO data commands; raises PSS. Like QEMU's,
     * it carries the interrupt bit but no direction bit, and DRQ in both status fields.
     */
    private void postPioSetup(int bytes) {
        if ((cmd & CMD_FRE) == 0) {
            return;
        }
        byte[] f = new byte[20];
        f[0] = (byte) FIS_PIO_SETUP;
        f[1] = 1 << 6;
        taskFile(f, disk.status | AtaDisk.STATUS_DRQ);
        f[15] = (byte) (disk.status | AtaDisk.STATUS_DRQ);
        f[16] = (byte) bytes;
        f[17] = (byte) (bytes >> 8);
        dma.write(fb + RFIS_PSFIS, f, 0, f.length);
        irqStatus |= IS_PSS;
        irqCheck.run();
    }

    private void taskFile(byte[] f, int status) {
        f[2] = (byte) status;
        f[3] = (byte) disk.error;
        f[4] = (byte) disk.sector;
        f[5] = (byte) disk.lcyl;
        f[6] = (byte) disk.hcyl;
        f[7] = (byte) disk.select;
        f[8] = (byte) disk.hobSector;
        f[9] = (byte) disk.hobLcyl;
        f[10] = (byte) disk.hobHcyl;
        f[12] = (byte) disk.nsector;
        f[13] = (byte) (disk.nsector >> 8);
    }
}
