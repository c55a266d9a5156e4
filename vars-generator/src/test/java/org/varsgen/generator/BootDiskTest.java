package org.varsgen.generator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.disk.FatReader;
import org.varsgen.disk.FatType;

class BootDiskTest {
    @TempDir
    Path temp;

    @Test
    void holdsTheShellAsBootLoaderAndEnrollDefaultKeysAtTheRoot() {
        JobOptions o = new JobOptions(temp.resolve("out.fd"));
        GenerationPlan plan = o.plan();
        byte[] disk = BootDisk.build(plan);
        assertEquals(64L << 20, disk.length);
        FatReader fat = new FatReader(disk);
        assertEquals(FatType.FAT32, fat.type());
        assertEquals(List.of("/EFI/BOOT/BOOTX64.EFI", "/EnrollDefaultKeys.efi"), fat.allFiles().stream().sorted().toList());
        assertArrayEquals(plan.shell().bytes(), fat.readFile("EFI/BOOT/BOOTX64.EFI"));
        assertArrayEquals(plan.enrollDefaultKeys().bytes(), fat.readFile("EnrollDefaultKeys.efi"));
    }

    @Test
    void sameInputsSameBytesAndTheEpochSetsTheFileTimes() {
        JobOptions o = new JobOptions(temp.resolve("out.fd"));
        o.epoch = "1700000000";
        byte[] a = BootDisk.build(o.plan());
        byte[] b = BootDisk.build(o.plan());
        assertArrayEquals(a, b);
        o.epoch = "1700086400";
        byte[] c = BootDisk.build(o.plan());
        assertFalse(Arrays.equals(a, c), "a different SOURCE_DATE_EPOCH gives different file times");
    }
}
