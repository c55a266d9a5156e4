package org.varsgen.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FatNamesTest {
    @Test
    void upperCase83NamesNeedNoLongName() {
        FatNames.ExactShortName exact = FatNames.exactShortName("BOOTX64.EFI");
        assertEquals("BOOTX64 EFI", new String(exact.name11(), StandardCharsets.US_ASCII));
        assertFalse(exact.needsLongName());
        assertEquals(0, exact.caseFlags());
    }

    @Test
    void lowerCase83NamesKeepTheirCaseWithNtFlags() {
        FatNames.ExactShortName startup = FatNames.exactShortName("startup.nsh");
        assertEquals("STARTUP NSH", new String(startup.name11(), StandardCharsets.US_ASCII));
        assertFalse(startup.needsLongName());
        assertEquals(FatNames.CASE_LOWER_BASE | FatNames.CASE_LOWER_EXTENSION, startup.caseFlags());
        assertEquals(FatNames.CASE_LOWER_EXTENSION, FatNames.exactShortName("README.txt").caseFlags());
    }

    @Test
    void mixedCaseFitting83KeepsTheNameWithoutTailButNeedsALongName() {
        FatNames.ExactShortName mixed = FatNames.exactShortName("BootX64.efi");
        assertEquals("BOOTX64 EFI", new String(mixed.name11(), StandardCharsets.US_ASCII));
        assertTrue(mixed.needsLongName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"EnrollDefaultKeys.efi", "a b.txt", "x.tar.gz", ".bashrc", "toolong.text", "a+b", "Grüße"})
    void namesThatDoNotFit83HaveNoExactShortName(String name) {
        assertNull(FatNames.exactShortName(name));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "EnrollDefaultKeys.efi, ENROLL~1.EFI",
        "A very long file name with spaces.txt, AVERYL~1.TXT",
        "x.tar.gz, XTAR~1.GZ",
        ".bashrc, BASHRC~1",
        "a+b;c=d[e].json, A_B_C_~1.JSO",
        "Grüße.txt, GR_SSE~1.TXT",
        "...., _~1"})
    void generatedShortNames(String longName, String expected) {
        ShortNameGenerator generator = new ShortNameGenerator();
        assertEquals(expected, FatNames.display(generator.generate(longName, "/" + longName)));
    }

    @Test
    void tailsCountUpAndShortenTheBase() {
        ShortNameGenerator generator = new ShortNameGenerator();
        for (int i = 1; i <= 9; i++) {
            assertEquals("ENROLL~" + i + ".EFI", FatNames.display(generator.generate("EnrollDefaultKeys" + i + ".efi", "x")));
        }
        assertEquals("ENROL~10.EFI", FatNames.display(generator.generate("EnrollDefaultKeys10.efi", "x")));
    }

    @Test
    void exactNamesReservedFirstAreNotReused() {
        ShortNameGenerator generator = new ShortNameGenerator();
        assertTrue(generator.reserve(FatNames.pack("ENROLL~1", "EFI")));
        assertFalse(generator.reserve(FatNames.pack("ENROLL~1", "EFI")));
        assertEquals("ENROLL~2.EFI", FatNames.display(generator.generate("EnrollDefaultKeys.efi", "x")));
    }

    @Test
    void longNameChecksumOfElevenSpaces() {
        // By hand: 20 30 38 3C 3E 3F BF FF 1F AF F7 (rotate right by one, add 0x20, eleven times).
        assertEquals(0xF7, LongNameEntries.checksum("           ".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void longNameChecksumAgreesWithMtools(@TempDir Path temp) throws Exception {
        Path mkfs = ExternalTools.require("mkfs.fat", "dosfstools");
        Path mcopy = ExternalTools.require("mcopy", "mtools");
        Path image = temp.resolve("m.img");
        Path file = temp.resolve("EnrollDefaultKeys.efi");
        Files.write(file, new byte[] {1});
        assertEquals(0, ExternalTools.run(List.of(mkfs.toString(), "-C", image.toString(), "1024")).exitCode());
        ExternalTools.Result copy = ExternalTools.run(List.of(mcopy.toString(), "-i", image.toString(), file.toString(), "::/"));
        assertEquals(0, copy.exitCode(), copy.output());
        byte[] disk = Files.readAllBytes(image);
        // mtools writes the long name entries at the start of the empty root, the short entry after them.
        int root = (int) new FatReaderProbe(disk).rootOffset();
        byte[] shortName = java.util.Arrays.copyOfRange(disk, root + 64, root + 64 + 11);
        assertEquals("ENROLL~1EFI", new String(shortName, StandardCharsets.US_ASCII));
        assertEquals(disk[root + 13] & 0xFF, LongNameEntries.checksum(shortName));
        assertArrayEquals(java.util.Arrays.copyOfRange(disk, root, root + 64), LongNameEntries.encode("EnrollDefaultKeys.efi", shortName));
    }

    /** The FAT12/16 root directory's byte offset from the boot sector. */
    private record FatReaderProbe(byte[] disk) {
        long rootOffset() {
            java.nio.ByteBuffer bs = java.nio.ByteBuffer.wrap(disk).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            return ((bs.getShort(14) & 0xFFFF) + (long) disk[16] * (bs.getShort(22) & 0xFFFF)) * 512;
        }
    }

    @Test
    void longNameEntriesAreLastPartFirstTerminatedAndPadded() {
        byte[] shortName = FatNames.pack("ENROLL~1", "EFI");
        byte[] entries = LongNameEntries.encode("EnrollDefaultKeys.efi", shortName); // 21 units: 2 entries
        assertEquals(64, entries.length);
        assertEquals(0x42, entries[0] & 0xFF, "second part first, with the last-entry flag");
        assertEquals(0x01, entries[32] & 0xFF);
        assertEquals(LongNameEntries.ATTRIBUTE, entries[11]);
        assertEquals(LongNameEntries.checksum(shortName), entries[13] & 0xFF);
        assertEquals(LongNameEntries.checksum(shortName), entries[32 + 13] & 0xFF);
        assertEquals('E', entries[32 + 1]);
        // Second part holds units 13..20 ("Keys.efi"), then 0x0000, then 0xFFFF padding.
        assertEquals('K', entries[1]);
        assertEquals(0, entries[LongNameEntries.CHAR_OFFSETS[8]] | entries[LongNameEntries.CHAR_OFFSETS[8] + 1]);
        assertEquals((byte) 0xFF, entries[LongNameEntries.CHAR_OFFSETS[9]]);
        assertEquals((byte) 0xFF, entries[LongNameEntries.CHAR_OFFSETS[12] + 1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b", "a*b", "a?b", "a<b", "a>b", "a|b", "a\"b", "trailing.", "trailing ", ".", "..", "tab\tname"})
    void illegalLongNamesAreRejected(String name) {
        DiskImageException e = assertThrows(DiskImageException.class, () -> FatNames.validateLongName(name, "/dir/" + name));
        assertTrue(e.getMessage().contains("/dir/"), e.getMessage());
    }

    @Test
    void longNamesUpTo255UnitsAreAccepted() {
        FatNames.validateLongName("n".repeat(255), "x");
        assertThrows(DiskImageException.class, () -> FatNames.validateLongName("n".repeat(256), "x"));
        assertThrows(DiskImageException.class, () -> FatNames.validateLongName("bad\uD800", "x"));
    }
}
