package org.varsgen.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class DiskImageBuilderTest {
    private static final long DISK = 8L << 20;

    private static FatImageBuilder fat() {
        return new FatImageBuilder().epochSecond(1_700_000_000L).addFile("EFI/BOOT/BOOTX64.EFI", new byte[] {1, 2, 3});
    }

    private static ByteBuffer le(byte[] disk) {
        return ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long crc(byte[] data, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(data, offset, length);
        return crc.getValue();
    }

    @Test
    void gptHasProtectiveMbrBothHeadersAndTheEsp() {
        byte[] disk = DiskImageBuilder.build(fat(), PartitionScheme.GPT, DISK, 1);
        ByteBuffer b = le(disk);
        long sectors = DISK / 512;
        assertEquals(0xEE, disk[446 + 4] & 0xFF);
        assertEquals(1, b.getInt(446 + 8));
        assertEquals(sectors - 1, b.getInt(446 + 12));
        assertEquals(0xAA55, b.getShort(510) & 0xFFFF);

        int primary = 512;
        int backup = (int) ((sectors - 1) * 512);
        assertEquals("EFI PART", new String(disk, primary, 8, StandardCharsets.US_ASCII));
        assertEquals("EFI PART", new String(disk, backup, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getLong(primary + 24));
        assertEquals(sectors - 1, b.getLong(primary + 32));
        assertEquals(sectors - 1, b.getLong(backup + 24));
        assertEquals(1, b.getLong(backup + 32));
        assertEquals(34, b.getLong(primary + 40));
        assertEquals(sectors - 34, b.getLong(primary + 48));
        assertEquals(2, b.getLong(primary + 72));
        assertEquals(sectors - 33, b.getLong(backup + 72));
        for (int header : new int[] {primary, backup}) {
            byte[] copy = Arrays.copyOfRange(disk, header, header + 92);
            Arrays.fill(copy, 16, 20, (byte) 0);
            assertEquals(crc(copy, 0, 92), b.getInt(header + 16) & 0xFFFFFFFFL, "header CRC");
            int array = (int) (b.getLong(header + 72) * 512);
            assertEquals(crc(disk, array, 128 * 128), b.getInt(header + 88) & 0xFFFFFFFFL, "entry array CRC");
        }
        int entry = 2 * 512;
        assertEquals(Guids.EFI_SYSTEM_PARTITION, Guids.fromBytes(disk, entry));
        assertArrayEquals(new byte[] {0x28, 0x73, 0x2a, (byte) 0xc1, 0x1f, (byte) 0xf8, (byte) 0xd2, 0x11,
            (byte) 0xba, 0x4b, 0x00, (byte) 0xa0, (byte) 0xc9, 0x3e, (byte) 0xc9, 0x3b},
                Arrays.copyOfRange(disk, entry, entry + 16), "ESP type GUID in EFI_GUID byte order");
        assertEquals(2048, b.getLong(entry + 32));
        assertEquals(sectors - 34, b.getLong(entry + 40));
        assertEquals("EFI System Partition", new String(disk, entry + 56, 40, StandardCharsets.UTF_16LE));

        FatVolumeLocator.Volume volume = FatVolumeLocator.locate(disk);
        assertEquals(2048 * 512, volume.offset());
        FatReader reader = new FatReader(disk);
        assertArrayEquals(new byte[] {1, 2, 3}, reader.readFile("EFI/BOOT/BOOTX64.EFI"));
        assertEquals(2048, le(disk).getInt(2048 * 512 + 28), "hidden sectors = partition start");
    }

    @Test
    void guidsDependOnlyOnTheSeed() {
        byte[] a = DiskImageBuilder.build(fat(), PartitionScheme.GPT, DISK, 1);
        byte[] again = DiskImageBuilder.build(fat(), PartitionScheme.GPT, DISK, 1);
        byte[] other = DiskImageBuilder.build(fat(), PartitionScheme.GPT, DISK, 2);
        assertArrayEquals(a, again);
        UUID disk1 = Guids.fromBytes(a, 512 + 56);
        UUID disk2 = Guids.fromBytes(other, 512 + 56);
        UUID part1 = Guids.fromBytes(a, 1024 + 16);
        assertNotEquals(disk1, disk2);
        assertNotEquals(disk1, part1);
        assertEquals(4, disk1.version());
        assertEquals(2, disk1.variant());
        assertEquals(Guids.derive(1, "disk"), disk1);
        UUID sample = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        assertEquals(sample, Guids.fromBytes(Guids.toBytes(sample), 0));
    }

    @Test
    void mbrHasOneEfiSystemPartitionAtOneMebibyte() {
        byte[] disk = DiskImageBuilder.build(fat(), PartitionScheme.MBR, DISK, 9);
        ByteBuffer b = le(disk);
        assertEquals(0xEF, disk[446 + 4] & 0xFF);
        assertEquals(2048, b.getInt(446 + 8));
        assertEquals(DISK / 512 - 2048, b.getInt(446 + 12));
        assertEquals(0, disk[462 + 4], "only one partition");
        assertNotEquals(0, b.getInt(440), "disk signature from the seed");
        // CHS of LBA 2048 with 255 heads x 63 sectors: cylinder 0, head 32, sector 33.
        assertArrayEquals(new byte[] {32, 33, 0}, Arrays.copyOfRange(disk, 447, 450));
        assertArrayEquals(new byte[] {1, 2, 3}, new FatReader(disk).readFile("EFI/BOOT/BOOTX64.EFI"));
    }

    @Test
    void bareImageIsTheVolume() {
        byte[] disk = DiskImageBuilder.build(fat(), PartitionScheme.NONE, DISK, 0);
        assertEquals(0, FatVolumeLocator.locate(disk).offset());
        assertArrayEquals(fat().size(DISK).build(), disk);
    }

    @Test
    void badDiskSizesAreRejected() {
        assertThrows(DiskImageException.class, () -> DiskImageBuilder.build(fat(), PartitionScheme.GPT, 1L << 20, 0));
        assertThrows(DiskImageException.class, () -> DiskImageBuilder.build(fat(), PartitionScheme.MBR, 1000, 0));
    }

    @Test
    void damagedGptIsReportedNotMisread() {
        byte[] disk = DiskImageBuilder.build(fat(), PartitionScheme.GPT, DISK, 1);
        disk[512 + 40] ^= 1;
        DiskImageException e = assertThrows(DiskImageException.class, () -> FatVolumeLocator.locate(disk));
        assertFalse(e.getMessage().isBlank());
    }
}
