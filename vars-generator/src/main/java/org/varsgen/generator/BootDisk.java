package org.varsgen.generator;

import org.varsgen.disk.DiskImageBuilder;
import org.varsgen.disk.FatImageBuilder;
import org.varsgen.disk.FatType;
import org.varsgen.disk.PartitionScheme;
import org.varsgen.generator.console.DebianJobScript;

/**
 * The disk the guest boots: a bare 64 MiB FAT32 volume (like `mkdosfs -F 32` on a file, as in
 * QEMU's reference runs) with the shell as the removable-media boot loader and
 * EnrollDefaultKeys.efi in the root. Debian's script wraps the same FAT image in an El Torito
 * ISO; the store comes out the same either way (see the fixtures' README). No startup.nsh: the
 * console script types the commands, as Debian's does.
 *
 * <p>Deterministic: file times are the plan's epoch, the volume serial is fixed, and the
 * partition-less layout needs no seed.
 */
public final class BootDisk {
    public static final long SIZE = 64L << 20;

    private BootDisk() {
    }

    public static byte[] build(GenerationPlan plan) {
        FatImageBuilder fat = new FatImageBuilder()
                .fatType(FatType.FAT32)
                .epochSecond(plan.epochSecond())
                .addFile(plan.flavor().bootPath(), plan.shell().bytes())
                // Always this name: the console script types it, whatever the -e file is called.
                .addFile(DebianJobScript.ENROLL_COMMAND, plan.enrollDefaultKeys().bytes());
        return DiskImageBuilder.build(fat, PartitionScheme.NONE, SIZE, 0);
    }
}
