package org.varsgen.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FatGeometryTest {
    @TempDir
    Path temp;

    /** Sizes in KiB (none a floppy size, for which mkfs.fat has special tables) and the type asked for. */
    @ParameterizedTest(name = "{0} KiB, -F {1}")
    @CsvSource({
        "1024, 0", "2048, 0", "4096, 0", "4100, 0", "8192, 0", "16384, 0", "32768, 0", "65536, 0", "131072, 0",
        "307200, 0", "524287, 0", "524288, 0", "614400, 0",
        "2048, 12", "16384, 12", "65536, 12", "16384, 16", "4096, 16", "65536, 16", "40960, 32", "65536, 32", "307200, 32"})
    void layoutMatchesMkfsFat(long kib, int bits) throws Exception {
        java.nio.file.Path mkfs = ExternalTools.require("mkfs.fat", "dosfstools");
        Path image = temp.resolve("mkfs.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(kib * 1024); // sparse: mkfs.fat writes only the metadata
        }
        List<String> command = new ArrayList<>(List.of(mkfs.toString(), "--invariant"));
        if (bits != 0) {
            command.addAll(List.of("-F", Integer.toString(bits)));
        }
        command.add(image.toString());
        ExternalTools.Result result = ExternalTools.run(command);
        FatType requested = bits == 0 ? null : FatType.valueOf("FAT" + bits);
        if (result.exitCode() != 0) {
            // mkfs.fat refused too: so must we.
            assertThrows(DiskImageException.class, () -> FatGeometry.choose(kib * 2, requested, 512, 0), result.output());
            return;
        }
        byte[] boot = new byte[512];
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "r")) {
            file.readFully(boot);
        }
        ByteBuffer bs = ByteBuffer.wrap(boot).order(ByteOrder.LITTLE_ENDIAN);
        int fat16Sectors = bs.getShort(22) & 0xFFFF;
        int fatSectors = fat16Sectors != 0 ? fat16Sectors : bs.getInt(36);
        FatType mkfsType = fat16Sectors == 0 ? FatType.FAT32
                : new String(boot, 54, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("FAT12") ? FatType.FAT12 : FatType.FAT16;

        // mkfs.fat 4.2 rounds a file's sector count down to whole tracks; compare at its count.
        long mkfsSectors = (bs.getShort(19) & 0xFFFF) != 0 ? bs.getShort(19) & 0xFFFF : bs.getInt(32) & 0xFFFFFFFFL;
        // It decides on FAT32 by the size before rounding, as FatGeometry does for the size it is given.
        FatType compareAs = requested == null && kib * 1024 >= FatGeometry.FAT32_AUTO_THRESHOLD ? FatType.FAT32 : requested;
        FatGeometry ours;
        try {
            ours = FatGeometry.choose(mkfsSectors, compareAs, 512, 0);
        } catch (DiskImageException e) {
            // We refuse what the specification calls the wrong type for the cluster count; mkfs.fat only warns.
            assertTrue(result.output().contains("WARNING") || result.output().contains("Not enough clusters"),
                    e.getMessage() + " / mkfs.fat said: " + result.output());
            return;
        }
        assertEquals(mkfsType, ours.type(), "type");
        assertEquals(boot[13] & 0xFF, ours.sectorsPerCluster(), "sectors per cluster");
        assertEquals(bs.getShort(14) & 0xFFFF, ours.reservedSectors(), "reserved sectors");
        assertEquals(fatSectors, ours.fatSectors(), "sectors per FAT");
        assertEquals(bs.getShort(17) & 0xFFFF, ours.rootEntries(), "root entries");
        assertEquals(mkfsSectors, ours.totalSectors());
    }

    @Test
    void choosesFat32AtHalfAGibibyteAndFat12ForSmallVolumes() {
        assertEquals(FatType.FAT32, FatGeometry.choose(1L << 20, null, 512, 0).type());
        assertEquals(FatType.FAT16, FatGeometry.choose((1L << 20) - 1, null, 512, 0).type());
        assertEquals(FatType.FAT12, FatGeometry.choose(4096, null, 512, 0).type());
    }

    @Test
    void clusterCountsStayInsideTheSpecificationRanges() {
        for (long sectors = 64; sectors < (1L << 21); sectors = sectors * 5 / 4 + 7) {
            FatGeometry g = FatGeometry.choose(sectors, null, 512, 0);
            assertTrue(g.clusterCount() >= g.type().minClusters() && g.clusterCount() <= g.type().maxClusters(), g.toString());
            long used = g.dataStartSector() + g.clusterCount() * g.sectorsPerCluster();
            assertTrue(used <= sectors, "data area past the end: " + g);
            assertTrue((long) g.fatSectors() * 512 * 8 >= (g.clusterCount() + 2) * g.type().bits(), "FAT too small: " + g);
        }
    }

    @Test
    void refusesImpossibleRequests() {
        DiskImageException small = assertThrows(DiskImageException.class,
                () -> FatGeometry.choose(4096, FatType.FAT32, 512, 0));
        assertTrue(small.getMessage().contains("FAT32") && small.getMessage().contains("65525"), small.getMessage());
        assertThrows(DiskImageException.class, () -> FatGeometry.choose(10, null, 512, 0));
        assertThrows(DiskImageException.class, () -> FatGeometry.choose(4096, null, 8, 0));
    }
}
