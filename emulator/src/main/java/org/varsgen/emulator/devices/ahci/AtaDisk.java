package org.varsgen.emulator.devices.ahci;

/**
 * An ATA hard disk of 512-byte sectors backed by an in-memory image, with the command set of
 * QEMU's IDE core as OVMF uses it through AHCI: IDENTIFY DEVICE, SET FEATURES, SMART (enable,
 * disable, return status), READ/WRITE DMA (EXT), READ/WRITE SECTORS (EXT), READ VERIFY
 * SECTORS (EXT), FLUSH CACHE (EXT), CHECK POWER MODE and the idle/standby commands. Anything
 * else is aborted as QEMU aborts it: status DRDY|ERR, error ABRT.
 *
 * <p>The disk works on its own copy of the image. A read-only disk aborts writes (a
 * write-protected medium); a writable one keeps them in the copy ({@link #contents()}).
 * The task-file registers after each command feed the controller's D2H register FIS.
 */
public final class AtaDisk {
    public static final int SECTOR = 512;
    public static final int STATUS_ERR = 0x01, STATUS_DRQ = 0x08, STATUS_DSC = 0x10, STATUS_DF = 0x20,
            STATUS_DRDY = 0x40, STATUS_BSY = 0x80;
    public static final int ERROR_ABRT = 0x04;

    /** How a command moves data. */
    public enum Protocol { NON_DATA, PIO_IN, PIO_OUT, DMA_IN, DMA_OUT }

    /** What the controller must do: move {@code bytes} bytes; for reads, {@code data} holds them. */
    public record Transfer(Protocol protocol, int bytes, byte[] data) {
        static final Transfer NONE = new Transfer(Protocol.NON_DATA, 0, null);
    }

    private final String name;
    private final byte[] image;
    private final boolean writable;
    private final String serial;
    private final long sectors;
    private final AtaIdentify.Geometry geometry;
    private int[] identify;
    private boolean identifySet;
    private boolean writeCache = true;
    private boolean smartEnabled = true;

    // The task file, as QEMU's IDEState keeps it.
    int status;
    int error;
    int nsector;
    int sector, lcyl, hcyl, hobSector, hobLcyl, hobHcyl;
    int select;

    private long pendingLba;
    private int pendingCount;
    private boolean pendingLba48;

    /**
     * @param name     the image's file name, for error messages
     * @param image    the disk contents, a whole number of sectors; copied
     * @param writable whether write commands change the (copied) contents
     * @param unit     QEMU's drive serial number n, giving serial "QM0000n" (1 for the first disk)
     */
    public AtaDisk(String name, byte[] image, boolean writable, int unit) {
        if (image.length == 0 || image.length % SECTOR != 0) {
            throw new IllegalArgumentException(name + ": a disk image must be a non-empty multiple of "
                    + SECTOR + " bytes, but has " + image.length);
        }
        this.name = name;
        this.image = image.clone();
        this.writable = writable;
        this.serial = String.format("QM%05d", unit);
        this.sectors = image.length / SECTOR;
        this.geometry = AtaIdentify.geometry(image, sectors); // QEMU guesses once, at start-up
        reset();
    }

    public String name() {
        return name;
    }

    public long sectors() {
        return sectors;
    }

    /** A copy of the current contents. */
    public byte[] contents() {
        return image.clone();
    }

    /** The device reset QEMU's AHCI port reset performs: disk signature, status DSC|DF, error 1. */
    void reset() {
        nsector = 1;
        sector = 1;
        lcyl = 0;
        hcyl = 0;
        hobSector = hobLcyl = hobHcyl = 0;
        select = 0xA0;
        status = STATUS_DSC | STATUS_DF;
        error = 1;
    }

    /**
     * Starts a command from the H2D register FIS fields. Returns the transfer the controller must
     * perform; for PIO_OUT/DMA_OUT it then calls {@link #finishWrite} with the data.
     */
    Transfer execute(int command, int features, int lbaLow, int lbaMid, int lbaHigh, int device,
                     int lbaLowExp, int lbaMidExp, int lbaHighExp, int count, int countExp) {
        sector = lbaLow;
        lcyl = lbaMid;
        hcyl = lbaHigh;
        hobSector = lbaLowExp;
        hobLcyl = lbaMidExp;
        hobHcyl = lbaHighExp;
        select = device;
        nsector = count | countExp << 8;
        status = STATUS_DRDY | STATUS_BSY;
        error = 0;
        return switch (command) {
            case 0xEC -> identifyDevice();
            case 0xEF -> setFeatures(features, count);
            case 0xB0 -> smart(features);
            case 0xC8 -> read(false, Protocol.DMA_IN);
            case 0x25 -> read(true, Protocol.DMA_IN);
            case 0x20, 0x21 -> read(false, Protocol.PIO_IN);
            case 0x24 -> read(true, Protocol.PIO_IN);
            case 0xCA -> write(false, Protocol.DMA_OUT);
            case 0x35 -> write(true, Protocol.DMA_OUT);
            case 0x30, 0x31 -> write(false, Protocol.PIO_OUT);
            case 0x34 -> write(true, Protocol.PIO_OUT);
            case 0x40, 0x41 -> verify(false);
            case 0x42 -> verify(true);
            case 0xE7, 0xEA -> done();                 // FLUSH CACHE (EXT): the image is memory
            case 0xE5, 0x98 -> {                       // CHECK POWER MODE: active
                nsector = 0xFF;
                yield done();
            }
            case 0xE0, 0xE1, 0xE2, 0xE3, 0x94, 0x95, 0x96, 0x97 -> done(); // idle and standby
            default -> abort();
        };
    }

    /** Completes a write once the controller has gathered the data. */
    void finishWrite(byte[] data) {
        System.arraycopy(data, 0, image, (int) (pendingLba * SECTOR), pendingCount * SECTOR);
        completeRange();
    }

    private Transfer identifyDevice() {
        if (!identifySet) {
            identify = AtaIdentify.build(sectors, geometry, serial, writeCache);
            identifySet = true;
        }
        status = STATUS_DRDY | STATUS_DSC;
        return new Transfer(Protocol.PIO_IN, SECTOR, AtaIdentify.bytes(identify));
    }

    private Transfer setFeatures(int features, int count) {
        switch (features) {
            case 0x02, 0x82 -> {                       // write cache on / off
                writeCache = features == 0x02;
                if (identify != null) {
                    identify[85] = writeCache ? identify[85] | 1 << 5 : identify[85] & ~(1 << 5);
                }
            }
            case 0x03 -> {                             // transfer mode: recorded in IDENTIFY words 62/63/88
                int[] w = identify != null ? identify : (identify = new int[256]);
                int mode = 1 << ((count & 7) + 8);
                switch (count >> 3) {
                    case 0x00, 0x01 -> modes(w, 0x07, 0x07, 0x3F);
                    case 0x02 -> modes(w, 0x07 | mode, 0x07, 0x3F);
                    case 0x04 -> modes(w, 0x07, 0x07 | mode, 0x3F);
                    case 0x08 -> modes(w, 0x07, 0x07, 0x3F | mode);
                    default -> {
                        return abort();
                    }
                }
            }
            case 0xCC, 0x66, 0xAA, 0x55, 0x05, 0x85, 0x69, 0x67, 0x96, 0x9A, 0x42, 0xC2 -> { }
            default -> {
                return abort();
            }
        }
        return done();
    }

    private static void modes(int[] w, int w62, int w63, int w88) {
        w[62] = w62;
        w[63] = w63;
        w[88] = w88;
    }

    /** SMART needs the key 0x4F/0xC2 in LBA mid/high; RETURN STATUS answers it back when all is well. */
    private Transfer smart(int features) {
        if (lcyl != 0x4F || hcyl != 0xC2) {
            return abort();
        }
        switch (features) {
            case 0xD8 -> smartEnabled = true;
            case 0xD9 -> smartEnabled = false;
            case 0xDA -> {
                if (!smartEnabled) {
                    return abort();
                }
                lcyl = 0x4F;
                hcyl = 0xC2;
            }
            default -> {
                return abort();
            }
        }
        return done();
    }

    private Transfer read(boolean lba48, Protocol protocol) {
        if (!range(lba48)) {
            return abort();
        }
        byte[] data = new byte[pendingCount * SECTOR];
        System.arraycopy(image, (int) (pendingLba * SECTOR), data, 0, data.length);
        completeRange();
        return new Transfer(protocol, data.length, data);
    }

    private Transfer write(boolean lba48, Protocol protocol) {
        if (!writable || !range(lba48)) {
            return abort();
        }
        return new Transfer(protocol, pendingCount * SECTOR, null);
    }

    private Transfer verify(boolean lba48) {
        if (!range(lba48)) {
            return abort();
        }
        completeRange();
        return Transfer.NONE;
    }

    /** Decodes LBA and count (0 means 256, or 65536 for the EXT commands) and checks the range. */
    private boolean range(boolean lba48) {
        long lba;
        int count;
        if (lba48) {
            lba = (long) hobHcyl << 40 | (long) hobLcyl << 32 | (long) hobSector << 24 | hcyl << 16 | lcyl << 8 | sector;
            count = nsector == 0 ? 65536 : nsector;
        } else {
            lba = (long) (select & 0x0F) << 24 | hcyl << 16 | lcyl << 8 | sector;
            count = (nsector & 0xFF) == 0 ? 256 : nsector & 0xFF;
        }
        if (lba + count > sectors) {
            return false;
        }
        pendingLba = lba;
        pendingCount = count;
        pendingLba48 = lba48;
        return true;
    }

    /**
     * After a transfer QEMU leaves the LBA registers at the next sector (bits 24-27 in the device
     * register for 28-bit commands, the HOB registers for 48-bit ones) and the count at 0.
     */
    private void completeRange() {
        long next = pendingLba + pendingCount;
        sector = (int) (next & 0xFF);
        lcyl = (int) ((next >> 8) & 0xFF);
        hcyl = (int) ((next >> 16) & 0xFF);
        if (pendingLba48) {
            hobSector = (int) ((next >> 24) & 0xFF);
            hobLcyl = (int) ((next >> 32) & 0xFF);
            hobHcyl = (int) ((next >> 40) & 0xFF);
        } else {
            select = (select & 0xF0) | (int) ((next >> 24) & 0x0F);
        }
        nsector = 0;
        status = STATUS_DRDY | STATUS_DSC;
    }

    private Transfer done() {
        status = STATUS_DRDY | STATUS_DSC;
        return Transfer.NONE;
    }

    private Transfer abort() {
        status = STATUS_DRDY | STATUS_ERR;
        error = ERROR_ABRT;
        return Transfer.NONE;
    }
}
