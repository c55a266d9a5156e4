package org.varsgen.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Finds the FAT volume on a disk image: the EFI System Partition of a GPT (or else its first
 * partition), the first partition of an MBR, or the whole image when it starts with a FAT boot
 * sector. GPT header and entry-array CRCs are checked.
 */
public final class FatVolumeLocator {
    /** Where a volume lies in the image, in bytes. */
    public record Volume(long offset, long length, String partitioning) {
    }

    private FatVolumeLocator() {
    }

    public static Volume locate(byte[] disk) {
        int sector = DiskImageBuilder.SECTOR;
        if (disk.length < sector) {
            throw new DiskImageException("disk image of " + disk.length + " bytes is shorter than one sector");
        }
        if (looksLikeFatBootSector(disk, 0)) {
            return new Volume(0, disk.length, "none");
        }
        if ((disk[510] & 0xFF) != 0x55 || (disk[511] & 0xFF) != 0xAA) {
            throw new DiskImageException("disk image has neither a FAT boot sector nor an MBR at sector 0");
        }
        ByteBuffer mbr = ByteBuffer.wrap(disk, 0, sector).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            int entry = 446 + 16 * i;
            int type = disk[entry + 4] & 0xFF;
            if (type == DiskImageBuilder.MBR_TYPE_GPT_PROTECTIVE) {
                return locateGpt(disk);
            }
        }
        for (int i = 0; i < 4; i++) {
            int entry = 446 + 16 * i;
            int type = disk[entry + 4] & 0xFF;
            long first = mbr.getInt(entry + 8) & 0xFFFFFFFFL;
            long count = mbr.getInt(entry + 12) & 0xFFFFFFFFL;
            if (type != 0 && count > 0) {
                return checked(new Volume(first * sector, count * sector, "mbr"), disk.length);
            }
        }
        throw new DiskImageException("the MBR of the disk image has no partition");
    }

    private static Volume locateGpt(byte[] disk) {
        int sector = DiskImageBuilder.SECTOR;
        if (disk.length < 3 * sector) {
            throw new DiskImageException("disk image too short for a GPT header");
        }
        ByteBuffer h = ByteBuffer.wrap(disk, sector, sector).slice().order(ByteOrder.LITTLE_ENDIAN);
        byte[] signature = Arrays.copyOfRange(disk, sector, sector + 8);
        if (!Arrays.equals(signature, "EFI PART".getBytes(StandardCharsets.US_ASCII))) {
            throw new DiskImageException("protective MBR but no \"EFI PART\" GPT header at LBA 1");
        }
        int headerSize = h.getInt(12);
        if (headerSize < DiskImageBuilder.GPT_HEADER_SIZE || headerSize > sector) {
            throw new DiskImageException("GPT header size " + headerSize + " is invalid");
        }
        byte[] header = Arrays.copyOfRange(disk, sector, sector + headerSize);
        int storedCrc = h.getInt(16);
        Arrays.fill(header, 16, 20, (byte) 0);
        if (DiskImageBuilder.crc32(header, 0, headerSize) != storedCrc) {
            throw new DiskImageException("GPT header CRC32 does not match");
        }
        long entriesLba = h.getLong(72);
        long count = h.getInt(80) & 0xFFFFFFFFL;
        long size = h.getInt(84) & 0xFFFFFFFFL;
        if (size < 128 || count > 1024 || entriesLba * sector + count * size > disk.length) {
            throw new DiskImageException("GPT entry array (LBA " + entriesLba + ", " + count + " x " + size + ") is invalid");
        }
        int arrayStart = (int) (entriesLba * sector);
        if (DiskImageBuilder.crc32(disk, arrayStart, (int) (count * size)) != h.getInt(88)) {
            throw new DiskImageException("GPT partition entry array CRC32 does not match");
        }
        Volume firstUsed = null;
        for (int i = 0; i < count; i++) {
            int at = (int) (arrayStart + i * size);
            UUID type = Guids.fromBytes(disk, at);
            if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
                continue;
            }
            ByteBuffer e = ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
            long first = e.getLong(at + 32);
            long last = e.getLong(at + 40);
            Volume volume = checked(new Volume(first * sector, (last - first + 1) * sector, "gpt"), disk.length);
            if (type.equals(Guids.EFI_SYSTEM_PARTITION)) {
                return volume;
            }
            if (firstUsed == null) {
                firstUsed = volume;
            }
        }
        if (firstUsed == null) {
            throw new DiskImageException("the GPT of the disk image has no partition");
        }
        return firstUsed;
    }

    private static Volume checked(Volume volume, long diskLength) {
        if (volume.offset() <= 0 || volume.length() <= 0 || volume.offset() + volume.length() > diskLength) {
            throw new DiskImageException("partition at byte " + volume.offset() + " of " + volume.length()
                    + " bytes does not fit the " + diskLength + "-byte disk image");
        }
        return volume;
    }

    /** A jump instruction and a plausible BIOS parameter block. */
    static boolean looksLikeFatBootSector(byte[] disk, int at) {
        int jump = disk[at] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(disk, at, DiskImageBuilder.SECTOR).slice().order(ByteOrder.LITTLE_ENDIAN);
        int bytesPerSector = b.getShort(11) & 0xFFFF;
        int sectorsPerCluster = b.get(13) & 0xFF;
        int reserved = b.getShort(14) & 0xFFFF;
        int fats = b.get(16) & 0xFF;
        return (jump == 0xEB || jump == 0xE9) && Integer.bitCount(bytesPerSector) == 1 && bytesPerSector >= 512
                && bytesPerSector <= 4096 && Integer.bitCount(sectorsPerCluster) == 1 && reserved > 0 && fats > 0 && fats <= 4;
    }
}
