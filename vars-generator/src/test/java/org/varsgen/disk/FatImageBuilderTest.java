package org.varsgen.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FatImageBuilderTest {
    private static final long EPOCH = 1_700_000_000L;

    private static long sizeFor(FatType type) {
        return switch (type) {
            case FAT12 -> 2L << 20;
            case FAT16 -> 16L << 20;
            case FAT32 -> 34L << 20;
        };
    }

    private static FatImageBuilder sample(FatType type) {
        return new FatImageBuilder().size(sizeFor(type)).fatType(type).epochSecond(EPOCH)
                .addFile("EFI/BOOT/BOOTX64.EFI", data(300_000, 1))
                .addFile("EFI/BOOT/EnrollDefaultKeys.efi", data(14080, 2))
                .addFile("startup.nsh", "FS0:\r\n".getBytes(StandardCharsets.US_ASCII))
                .addFile("empty.txt", new byte[0])
                .addDirectory("Empty Directory")
                .addFile("deep/er/and/deeper/" + "l".repeat(200) + ".bin", data(5000, 3))
                .addFile("Grüße, Ünïcödé ☃.txt", data(10, 4));
    }

    static byte[] data(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(FatType.class)
    void readerReadsBackEveryFileAndName(FatType type) {
        byte[] image = sample(type).build();
        FatReader reader = new FatReader(image);
        assertEquals(type, reader.type());
        assertEquals(List.of("/EFI/BOOT/BOOTX64.EFI", "/EFI/BOOT/EnrollDefaultKeys.efi", "/startup.nsh", "/empty.txt",
                "/deep/er/and/deeper/" + "l".repeat(200) + ".bin", "/Grüße, Ünïcödé ☃.txt"), reader.allFiles());
        assertArrayEquals(data(300_000, 1), reader.readFile("/EFI/BOOT/BOOTX64.EFI"));
        assertArrayEquals(data(14080, 2), reader.readFile("efi/boot/enrolldefaultkeys.EFI"));
        assertArrayEquals(new byte[0], reader.readFile("empty.txt"));
        assertArrayEquals(data(5000, 3), reader.readFile("deep/er/and/deeper/" + "l".repeat(200) + ".bin"));
        assertArrayEquals(data(10, 4), reader.readFile("Grüße, Ünïcödé ☃.txt"));
        assertTrue(reader.list("Empty Directory").isEmpty());
        FatEntry enroll = reader.entry("EFI/BOOT/EnrollDefaultKeys.efi");
        assertEquals("ENROLL~1.EFI", enroll.shortName());
        assertArrayEquals(data(14080, 2), reader.readFile("EFI/BOOT/ENROLL~1.EFI"), "short names work too");
        assertEquals("startup.nsh", reader.entry("STARTUP.NSH").name(), "NT lower-case flags read back");
    }

    @ParameterizedTest
    @EnumSource(FatType.class)
    void sameInputsGiveIdenticalBytesAndInputsShowInTheImage(FatType type) {
        byte[] first = sample(type).build();
        assertArrayEquals(first, sample(type).build());
        assertFalse(Arrays.equals(first, sample(type).epochSecond(EPOCH + 2).build()), "the time stamp is used");
        assertFalse(Arrays.equals(first, sample(type).volumeId(7).build()), "the serial number is used");
        assertEquals(7, new FatReader(sample(type).volumeId(7).build()).volumeId());
    }

    @Test
    void timeStampsComeFromTheEpochGiven() {
        FatEntry entry = new FatReader(sample(FatType.FAT16).build()).entry("startup.nsh");
        // 1700000000 = 2023-11-14 22:13:20 UTC
        assertEquals(((2023 - 1980) << 9) | (11 << 5) | 14, entry.modifiedDate());
        assertEquals((22 << 11) | (13 << 5) | 10, entry.modifiedTime());
        assertEquals(1_700_000_000L, FatImageBuilder.sourceDateEpochOr("1700000000", 5));
        assertEquals(5, FatImageBuilder.sourceDateEpochOr(null, 5));
        assertThrows(DiskImageException.class, () -> FatImageBuilder.sourceDateEpochOr("yesterday", 5));
        assertThrows(DiskImageException.class, () -> new FatImageBuilder().epochSecond(0));
    }

    @Test
    void typeIsChosenBySizeWhenNotGiven() {
        assertEquals(FatType.FAT12, new FatReader(new FatImageBuilder().size(2L << 20).build()).type());
        assertEquals(FatType.FAT16, new FatReader(new FatImageBuilder().size(64L << 20).build()).type());
    }

    @Test
    void filesFillingWholeClustersAndSpanningManyWork() {
        FatImageBuilder builder = new FatImageBuilder().size(2L << 20).fatType(FatType.FAT12);
        builder.addFile("exact", data(2048, 5)).addFile("plus1", data(2049, 6)).addFile("big", data(1_500_000, 7));
        FatReader reader = new FatReader(builder.build());
        assertEquals(2048, reader.bytesPerCluster());
        assertArrayEquals(data(2048, 5), reader.readFile("exact"));
        assertArrayEquals(data(2049, 6), reader.readFile("plus1"));
        assertArrayEquals(data(1_500_000, 7), reader.readFile("big"));
    }

    @Test
    void volumeLabelGoesIntoTheBootSector() {
        FatReader reader = new FatReader(new FatImageBuilder().size(2L << 20).volumeLabel("varsgen").build());
        assertEquals("VARSGEN", reader.volumeLabel());
        assertEquals("NO NAME", new FatReader(new FatImageBuilder().size(2L << 20).build()).volumeLabel());
        assertThrows(DiskImageException.class, () -> new FatImageBuilder().volumeLabel("TWELVE CHARS"));
        assertThrows(DiskImageException.class, () -> new FatImageBuilder().volumeLabel("A/B"));
    }

    @Test
    void duplicateNamesAreRejectedWithoutRegardToCase() {
        FatImageBuilder builder = new FatImageBuilder().addFile("EFI/BOOT/BOOTX64.EFI", new byte[1]);
        DiskImageException e = assertThrows(DiskImageException.class, () -> builder.addFile("efi/boot/bootx64.efi", new byte[1]));
        assertTrue(e.getMessage().contains("duplicate") && e.getMessage().contains("efi/boot/bootx64.efi"), e.getMessage());
        assertThrows(DiskImageException.class, () -> builder.addFile("EFI/BOOT/BOOTX64.EFI/inside", new byte[1]));
        assertThrows(DiskImageException.class, () -> builder.addFile("EFI", new byte[1]));
        builder.addDirectory("EFI/BOOT"); // already there: fine
    }

    @Test
    void badPathsAreRejectedWithTheirName() {
        FatImageBuilder builder = new FatImageBuilder();
        for (String path : List.of("", "/", "a//b", "a\\b", "a/b?", "con:", "dir/trailing.")) {
            DiskImageException e = assertThrows(DiskImageException.class, () -> builder.addFile(path, new byte[1]), path);
            assertFalse(e.getMessage().isBlank());
        }
        assertThrows(DiskImageException.class, () -> builder.addFile("x", null));
    }

    @Test
    void tooSmallImagesAndFullRootsAreReported() {
        DiskImageException full = assertThrows(DiskImageException.class,
                () -> new FatImageBuilder().size(1L << 20).addFile("big", new byte[2 << 20]).build());
        assertTrue(full.getMessage().contains("image too small") && full.getMessage().contains("big"), full.getMessage());

        FatImageBuilder many = new FatImageBuilder().size(2L << 20);
        for (int i = 0; i < 200; i++) {
            many.addFile("a rather long file name " + i + ".txt", new byte[1]);
        }
        DiskImageException root = assertThrows(DiskImageException.class, many::build);
        assertTrue(root.getMessage().contains("root directory"), root.getMessage());

        assertThrows(DiskImageException.class, () -> new FatImageBuilder().size(1000));
        assertThrows(DiskImageException.class, () -> new FatImageBuilder().build());
        assertThrows(DiskImageException.class, () -> new FatImageBuilder().size(2L << 20).fatType(FatType.FAT32).build());
    }

    @Test
    void manyEntriesInASubdirectoryGrowItsClusterChain() {
        FatImageBuilder builder = new FatImageBuilder().size(4L << 20);
        for (int i = 0; i < 300; i++) {
            builder.addFile("dir/file with a long name number " + i, new byte[] {(byte) i});
        }
        FatReader reader = new FatReader(builder.build());
        List<FatEntry> entries = reader.list("dir");
        assertEquals(300, entries.size());
        assertEquals("file with a long name number 299", entries.get(299).name());
        assertArrayEquals(new byte[] {(byte) 299}, reader.readFile("dir/file with a long name number 299"));
    }
}
