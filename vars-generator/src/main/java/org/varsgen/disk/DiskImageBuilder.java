package org.varsgen.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Puts a FAT volume on a disk image: as the whole image, or as the one EFI System Partition of
 * an MBR or GPT disk. The partition starts at 1 MiB and fills the disk (GPT: up to the last
 * usable LBA). GPT GUIDs and the MBR disk signature come from {@code seed}, so the same inputs
 * give the same image.
 */
public final class DiskImageBuilder {
    public static final int SECTOR = FatGeometry.SECTOR_SIZE;
    /** First LBA of the partition: 1 MiB, the alignment partitioning tools use. */
    public static final long PARTITION_START_LBA = 2048;
    static final int GPT_ENTRIES = 128;
    static final int GPT_ENTRY_SIZE = 128;
    static final int GPT_HEADER_SIZE = 92;
    /** Sectors of one GPT entry array (16 KiB). */
    static final int GPT_ARRAY_SECTORS = GPT_ENTRIES * GPT_ENTRY_SIZE / SECTOR;
    static final int MBR_TYPE_EFI_SYSTEM = 0xEF;
    static final int MBR_TYPE_GPT_PROTECTIVE = 0xEE;
    private static final String PARTITION_NAME = "EFI System Partition";

    private DiskImageBuilder() {
    }

    /**
     * Builds the disk image. {@code fat} gets its size and hidden-sector count from here; only its
     * contents and options are used.
     */
    public static byte[] build(FatImageBuilder fat, PartitionScheme scheme, long diskBytes, long seed) {
        if (diskBytes <= 0 || diskBytes % SECTOR != 0) {
            throw new DiskImageException("disk size " + diskBytes + " is not a positive multiple of 512 bytes");
        }
        if (scheme == PartitionScheme.NONE) {
            return fat.size(diskBytes).hiddenSectors(0).build();
        }
        long sectors = diskBytes / SECTOR;
        long lastPartitionLba = scheme == PartitionScheme.GPT ? sectors - 2 - GPT_ARRAY_SECTORS : sectors - 1;
        long partitionSectors = lastPartitionLba - PARTITION_START_LBA + 1;
        if (partitionSectors < 64) {
            throw new DiskImageException("disk of " + FatGeometry.describe(diskBytes) + " is too small for a partition"
                    + " starting at 1 MiB" + (scheme == PartitionScheme.GPT ? " and the backup GPT" : ""));
        }
        if (diskBytes > Integer.MAX_VALUE - SECTOR + 1) {
            throw new DiskImageException("disk size " + diskBytes + " is too large for an in-memory image (2 GiB at most)");
        }
        byte[] volume = fat.size(partitionSectors * SECTOR).hiddenSectors(PARTITION_START_LBA).build();
        byte[] disk = new byte[(int) diskBytes];
        System.arraycopy(volume, 0, disk, (int) (PARTITION_START_LBA * SECTOR), volume.length);
        if (scheme == PartitionScheme.MBR) {
            writeMbr(disk, mbrSignature(seed), MBR_TYPE_EFI_SYSTEM, PARTITION_START_LBA, partitionSectors);
        } else {
            writeMbr(disk, 0, MBR_TYPE_GPT_PROTECTIVE, 1, Math.min(sectors - 1, 0xFFFFFFFFL));
            writeGpt(disk, sectors, partitionSectors, seed);
        }
        return disk;
    }

    private static int mbrSignature(long seed) {
        return (int) Guids.derive(seed, "mbr signature").getMostSignificantBits();
    }

    private static void writeMbr(byte[] disk, int signature, int type, long firstLba, long sectors) {
        ByteBuffer mbr = ByteBuffer.wrap(disk, 0, SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        mbr.putInt(440, signature);
        int entry = 446;
        mbr.put(entry, (byte) 0x00); // not "active": UEFI ignores the flag
        putChs(disk, entry + 1, firstLba);
        mbr.put(entry + 4, (byte) type);
        putChs(disk, entry + 5, firstLba + sectors - 1);
        mbr.putInt(entry + 8, (int) firstLba);
        mbr.putInt(entry + 12, (int) sectors);
        mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
    }

    /** Cylinder/head/sector with the usual 255 heads x 63 sectors, saturating past cylinder 1023. */
    private static void putChs(byte[] disk, int at, long lba) {
        long cylinder = lba / (255 * 63);
        int head = (int) (lba / 63 % 255);
        int sector = (int) (lba % 63 + 1);
        if (cylinder > 1023) {
            cylinder = 1023;
            head = 254;
            sector = 63;
        }
        disk[at] = (byte) head;
        disk[at + 1] = (byte) ((sector & 0x3F) | ((cylinder >> 2) & 0xC0));
        disk[at + 2] = (byte) cylinder;
    }

    private static void writeGpt(byte[] disk, long sectors, long partitionSectors, long seed) {
        byte[] entries = new byte[GPT_ENTRIES * GPT_ENTRY_SIZE];
        ByteBuffer e = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        e.put(0, Guids.toBytes(Guids.EFI_SYSTEM_PARTITION));
        e.put(16, Guids.toBytes(Guids.derive(seed, "partition 1")));
        e.putLong(32, PARTITION_START_LBA);
        e.putLong(40, PARTITION_START_LBA + partitionSectors - 1);
        e.putLong(48, 0); // attributes
        e.put(56, PARTITION_NAME.getBytes(StandardCharsets.UTF_16LE));
        int entriesCrc = crc32(entries, 0, entries.length);

        long lastLba = sectors - 1;
        long backupArrayLba = lastLba - GPT_ARRAY_SECTORS;
        UUID diskGuid = Guids.derive(seed, "disk");
        System.arraycopy(entries, 0, disk, 2 * SECTOR, entries.length);
        System.arraycopy(entries, 0, disk, (int) (backupArrayLba * SECTOR), entries.length);
        writeGptHeader(disk, 1, lastLba, 2, sectors, diskGuid, entriesCrc);
        writeGptHeader(disk, lastLba, 1, backupArrayLba, sectors, diskGuid, entriesCrc);
    }

    private static void writeGptHeader(byte[] disk, long myLba, long alternateLba, long entriesLba, long sectors,
            UUID diskGuid, int entriesCrc) {
        ByteBuffer h = ByteBuffer.wrap(disk, (int) (myLba * SECTOR), SECTOR).slice().order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, "EFI PART".getBytes(StandardCharsets.US_ASCII));
        h.putInt(8, 0x00010000); // revision 1.0
        h.putInt(12, GPT_HEADER_SIZE);
        h.putInt(16, 0); // CRC, computed below over the header with this field zero
        h.putLong(24, myLba);
        h.putLong(32, alternateLba);
        h.putLong(40, 2 + GPT_ARRAY_SECTORS); // first usable LBA
        h.putLong(48, sectors - 2 - GPT_ARRAY_SECTORS); // last usable LBA
        h.put(56, Guids.toBytes(diskGuid));
        h.putLong(72, entriesLba);
        h.putInt(80, GPT_ENTRIES);
        h.putInt(84, GPT_ENTRY_SIZE);
        h.putInt(88, entriesCrc);
        h.putInt(16, crc32(disk, (int) (myLba * SECTOR), GPT_HEADER_SIZE));
    }

    static int crc32(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }
}
