package org.varsgen.disk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Damaged images end in a DiskImageException (one clear line), never in any other exception. */
class FatReaderRobustnessTest {
    @ParameterizedTest
    @EnumSource(PartitionScheme.class)
    void randomDamageIsReportedOrTolerated(PartitionScheme scheme) {
        FatImageBuilder builder = new FatImageBuilder().fatType(FatType.FAT12)
                .addFile("EFI/BOOT/BOOTX64.EFI", FatImageBuilderTest.data(20_000, 1))
                .addFile("a long name.txt", FatImageBuilderTest.data(3000, 2))
                .addFile("dir/sub/file", FatImageBuilderTest.data(10, 3));
        byte[] original = DiskImageBuilder.build(builder, scheme, 3L << 20, 5);
        long metadataEnd = FatVolumeLocator.locate(original).offset() + 64 * 1024;
        Random random = new Random(1234);
        int reported = 0;
        for (int round = 0; round < 400; round++) {
            byte[] damaged = original.clone();
            int flips = 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                // Mostly where the structures are: partition tables, boot sector, FATs, directories.
                int at = random.nextInt(4) == 0 ? random.nextInt(damaged.length) : random.nextInt((int) metadataEnd);
                damaged[at] ^= (byte) (1 << random.nextInt(8));
            }
            if (round % 50 == 0) {
                damaged = java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length));
            }
            try {
                FatReader reader = new FatReader(damaged);
                for (String path : reader.allFiles()) {
                    reader.readFile(path);
                }
                reader.list("EFI/BOOT");
            } catch (DiskImageException expected) {
                assertTrue(!expected.getMessage().isBlank());
                reported++;
            }
        }
        assertTrue(reported > 0, "some damage must be noticed");
    }
}
