package org.varsgen.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.varsgen.fixtures.FixtureLocator;

/**
 * Builds images of every FAT type, bare and inside an MBR or GPT, and has the real tools check
 * them: fsck.fat finds no error, mdir lists the files, mcopy gives back the same bytes.
 */
class FatToolsCrossCheckTest {
    private static final long EPOCH = 1_700_000_000L; // 2023-11-14 22:13:20 UTC
    private static final byte[] SHELL = shellOrGenerated();
    private static final byte[] ENROLL = generated(14080, 2);
    private static final byte[] STARTUP =
            "FS0:\r\nEnrollDefaultKeys.efi\r\nsetvar BootOrder =\r\nreset -s\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    static List<Arguments> images() {
        return List.of(
                Arguments.of(FatType.FAT12, PartitionScheme.NONE, 2L << 20),
                Arguments.of(FatType.FAT12, PartitionScheme.MBR, 4L << 20),
                Arguments.of(FatType.FAT12, PartitionScheme.GPT, 4L << 20),
                Arguments.of(FatType.FAT16, PartitionScheme.NONE, 16L << 20),
                Arguments.of(FatType.FAT16, PartitionScheme.MBR, 16L << 20),
                Arguments.of(FatType.FAT16, PartitionScheme.GPT, 16L << 20),
                Arguments.of(FatType.FAT32, PartitionScheme.NONE, 64L << 20),
                Arguments.of(FatType.FAT32, PartitionScheme.GPT, 40L << 20));
    }

    @ParameterizedTest(name = "{0} {1} {2} bytes")
    @MethodSource("images")
    void realToolsAcceptTheImage(FatType type, PartitionScheme scheme, long size) throws Exception {
        Path fsck = ExternalTools.require("fsck.fat", "dosfstools");
        Path mdir = ExternalTools.require("mdir", "mtools");
        Path mcopy = ExternalTools.require("mcopy", "mtools");

        byte[] disk = DiskImageBuilder.build(bootDisk(type), scheme, size, 42);
        assertEquals(size, disk.length);
        FatVolumeLocator.Volume volume = FatVolumeLocator.locate(disk);
        Path image = temp.resolve("disk.img");
        Files.write(image, disk);
        String mtoolsImage = image + (volume.offset() == 0 ? "" : "@@" + volume.offset());

        // fsck.fat has no offset option: check the partition's bytes on their own.
        Path volumeFile = temp.resolve("volume.img");
        Files.write(volumeFile, java.util.Arrays.copyOfRange(disk, (int) volume.offset(), (int) (volume.offset() + volume.length())));
        ExternalTools.Result check = ExternalTools.run(List.of(fsck.toString(), "-n", "-V", volumeFile.toString()));
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("0 files") || !check.output().toLowerCase().contains("error"), check.output());

        ExternalTools.Result listing = ExternalTools.run(List.of(mdir.toString(), "-i", mtoolsImage, "::/EFI/BOOT"));
        assertEquals(0, listing.exitCode(), listing.output());
        assertTrue(listing.output().contains("BOOTX64  EFI"), listing.output());
        assertTrue(listing.output().contains("EnrollDefaultKeys.efi"), listing.output());

        Path out = temp.resolve("BOOTX64.EFI");
        ExternalTools.Result copy = ExternalTools.run(
                List.of(mcopy.toString(), "-n", "-i", mtoolsImage, "::/EFI/BOOT/BOOTX64.EFI", out.toString()));
        assertEquals(0, copy.exitCode(), copy.output());
        assertArrayEquals(SHELL, Files.readAllBytes(out));

        Path enroll = temp.resolve("enroll.efi");
        ExternalTools.Result copyEnroll = ExternalTools.run(
                List.of(mcopy.toString(), "-n", "-i", mtoolsImage, "::/EFI/BOOT/EnrollDefaultKeys.efi", enroll.toString()));
        assertEquals(0, copyEnroll.exitCode(), copyEnroll.output());
        assertArrayEquals(ENROLL, Files.readAllBytes(enroll));

        FatReader reader = new FatReader(disk);
        assertEquals(type, reader.type());
        assertArrayEquals(SHELL, reader.readFile("EFI/BOOT/BOOTX64.EFI"));
        assertArrayEquals(STARTUP, reader.readFile("startup.nsh"));
    }

    static FatImageBuilder bootDisk(FatType type) {
        return new FatImageBuilder().fatType(type).epochSecond(EPOCH)
                .addFile("EFI/BOOT/BOOTX64.EFI", SHELL)
                .addFile("EFI/BOOT/EnrollDefaultKeys.efi", ENROLL)
                .addFile("startup.nsh", STARTUP);
    }

    /** Debian's UEFI shell when the fixtures are there; otherwise data of the same size. */
    static byte[] shellOrGenerated() {
        return FixtureLocator.fromEnvironment().find("debian-trixie/shellx64.efi").map(path -> {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).orElseGet(() -> generated(894336, 1));
    }

    static byte[] generated(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
