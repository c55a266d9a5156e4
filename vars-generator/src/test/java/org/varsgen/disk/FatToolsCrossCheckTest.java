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
        assertFsckSaidNothingElse(check.output());

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

    /** fsck.fat prints its version, the passes and a summary; anything else is a complaint. */
    static void assertFsckSaidNothingElse(String output) {
        for (String line : output.split("\n")) {
            assertTrue(line.startsWith("fsck.fat ") || line.startsWith("Starting ") || line.matches(".*: \\d+ files, \\d+/\\d+ clusters"),
                    "fsck.fat reported: " + line + "\n" + output);
        }
    }

    @org.junit.jupiter.api.Test
    void longNamesRoundTripThroughMtools() throws Exception {
        Path mdir = ExternalTools.require("mdir", "mtools");
        Path mcopy = ExternalTools.require("mcopy", "mtools");
        List<String> names = List.of("A very long file name, with commas and spaces.txt", "MixedCase.Efi",
                "x.tar.gz", ".hidden-ish", "n".repeat(120) + ".dat", "lower.txt");
        FatImageBuilder builder = new FatImageBuilder().size(2L << 20).epochSecond(EPOCH);
        for (int i = 0; i < names.size(); i++) {
            builder.addFile("dir/" + names.get(i), generated(100 + i, 10 + i));
        }
        Path image = temp.resolve("names.img");
        Files.write(image, builder.build());
        ExternalTools.Result listing = ExternalTools.run(List.of(mdir.toString(), "-i", image.toString(), "::/dir"));
        assertEquals(0, listing.exitCode(), listing.output());
        for (int i = 0; i < names.size(); i++) {
            // mdir shows a name without long entries in its 8.3 columns (case flags applied).
            String shown = names.get(i).equals("lower.txt") ? "lower    txt" : names.get(i);
            assertTrue(listing.output().contains(shown), shown + " missing from\n" + listing.output());
            Path out = temp.resolve("out" + i);
            ExternalTools.Result copy = ExternalTools.run(
                    List.of(mcopy.toString(), "-n", "-i", image.toString(), "::/dir/" + names.get(i), out.toString()));
            assertEquals(0, copy.exitCode(), copy.output());
            assertArrayEquals(generated(100 + i, 10 + i), Files.readAllBytes(out));
        }
    }

    /** The other direction: images that mkfs.fat and mtools wrote, read by FatReader. */
    @ParameterizedTest(name = "mkfs.fat -F {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {12, 16, 32})
    void readerReadsWhatMtoolsWrote(int bits) throws Exception {
        Path mkfs = ExternalTools.require("mkfs.fat", "dosfstools");
        Path mmd = ExternalTools.require("mmd", "mtools");
        Path mcopy = ExternalTools.require("mcopy", "mtools");
        Path image = temp.resolve("mtools.img");
        long kib = bits == 32 ? 40 * 1024 : bits == 16 ? 16 * 1024 : 2 * 1024;
        ExternalTools.Result made = ExternalTools.run(List.of(mkfs.toString(), "--invariant", "-F", Integer.toString(bits),
                "-C", image.toString(), Long.toString(kib)));
        assertEquals(0, made.exitCode(), made.output());
        assertEquals(0, ExternalTools.run(List.of(mmd.toString(), "-i", image.toString(), "::/EFI", "::/EFI/BOOT")).exitCode());
        Path shell = temp.resolve("BOOTX64.EFI");
        Files.write(shell, SHELL);
        Path enroll = temp.resolve("EnrollDefaultKeys.efi");
        Files.write(enroll, ENROLL);
        ExternalTools.Result copied = ExternalTools.run(List.of(mcopy.toString(), "-i", image.toString(),
                shell.toString(), enroll.toString(), "::/EFI/BOOT/"));
        assertEquals(0, copied.exitCode(), copied.output());

        FatReader reader = new FatReader(Files.readAllBytes(image));
        assertEquals(FatType.valueOf("FAT" + bits), reader.type());
        assertEquals(List.of("/EFI/BOOT/BOOTX64.EFI", "/EFI/BOOT/EnrollDefaultKeys.efi"), reader.allFiles());
        assertArrayEquals(SHELL, reader.readFile("EFI/BOOT/BOOTX64.EFI"));
        assertArrayEquals(ENROLL, reader.readFile("EFI/BOOT/EnrollDefaultKeys.efi"));
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
