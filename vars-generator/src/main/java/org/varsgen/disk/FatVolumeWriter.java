package org.varsgen.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lays out a {@link FatTree} on a {@link FatGeometry} and writes the volume: boot sector (and
 * on FAT32 the FSInfo sector and the backup copies), both FATs, the directories and the files.
 * Clusters are handed out in one pass over the tree (a directory's own clusters, then its
 * entries in order), so files are contiguous and the layout depends only on the inputs.
 */
final class FatVolumeWriter {
    private static final int ENTRY_SIZE = 32;
    private static final int ATTR_VOLUME_LABEL = 0x08;
    private static final int ATTR_DIRECTORY = 0x10;
    private static final int ATTR_ARCHIVE = 0x20;
    private static final int MEDIA_FIXED_DISK = 0xF8;
    private static final int FAT32_INFO_SECTOR = 1;
    private static final int FAT32_BACKUP_BOOT_SECTOR = 6;
    /** INT 18h (no bootable disk), then halt forever: this volume is for UEFI, not BIOS booting. */
    private static final byte[] BOOT_CODE = {(byte) 0xCD, 0x18, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};

    private final FatGeometry geometry;
    private final FatTree tree;
    private final int volumeId;
    private final String volumeLabel;
    private final FatTimestamp timestamp;
    private final byte[] image;
    private final FatTable fat;
    private long nextCluster = 2;

    FatVolumeWriter(FatGeometry geometry, FatTree tree, int volumeId, String volumeLabel, FatTimestamp timestamp) {
        this.geometry = geometry;
        this.tree = tree;
        this.volumeId = volumeId;
        this.volumeLabel = volumeLabel;
        this.timestamp = timestamp;
        this.image = new byte[Math.toIntExact(geometry.totalSectors() * FatGeometry.SECTOR_SIZE)];
        this.fat = new FatTable(geometry.type(), geometry.fatSectors());
    }

    byte[] write() {
        nameEntries(tree.root());
        checkRootFits();
        allocate(tree.root(), true);
        fat.set(0, 0x0FFFFF00 | MEDIA_FIXED_DISK);
        fat.set(1, geometry.type().endOfChain());
        writeDirectory(tree.root(), null, true);
        writeBootSector(0);
        if (geometry.type() == FatType.FAT32) {
            writeBootSector(FAT32_BACKUP_BOOT_SECTOR);
            writeInfoSector(FAT32_INFO_SECTOR);
            writeInfoSector(FAT32_BACKUP_BOOT_SECTOR + FAT32_INFO_SECTOR);
        }
        for (int copy = 0; copy < geometry.fatCount(); copy++) {
            long at = (geometry.fatStartSector() + (long) copy * geometry.fatSectors()) * FatGeometry.SECTOR_SIZE;
            System.arraycopy(fat.bytes(), 0, image, (int) at, fat.bytes().length);
        }
        return image;
    }

    /** Gives every entry of every directory its short name: exact 8.3 names first, then generated ones. */
    private void nameEntries(FatTree.Directory directory) {
        ShortNameGenerator generator = new ShortNameGenerator();
        List<FatTree.Node> children = directory.children();
        for (FatTree.Node node : children) {
            FatNames.ExactShortName exact = FatNames.exactShortName(node.name);
            if (exact != null) {
                node.shortName = exact.name11();
                node.caseFlags = exact.caseFlags();
                node.needsLongName = exact.needsLongName();
                generator.reserve(exact.name11());
            }
        }
        for (FatTree.Node node : children) {
            if (node.shortName == null) {
                node.shortName = generator.generate(node.name, node.path);
                node.needsLongName = true;
            }
            if (node instanceof FatTree.Directory sub) {
                nameEntries(sub);
            }
        }
    }

    private int entryCount(FatTree.Directory directory, boolean isRoot) {
        int count = isRoot ? (volumeLabel != null ? 1 : 0) : 2; // label, or "." and ".."
        for (FatTree.Node node : directory.children()) {
            count += 1 + (node.needsLongName ? LongNameEntries.count(node.name) : 0);
        }
        return count;
    }

    private void checkRootFits() {
        if (geometry.type() != FatType.FAT32 && entryCount(tree.root(), true) > geometry.rootEntries()) {
            throw new DiskImageException("the root directory needs " + entryCount(tree.root(), true)
                    + " entries (long names take several) but a " + geometry.type() + " root holds "
                    + geometry.rootEntries() + "; use subdirectories or more root entries");
        }
    }

    private long clustersFor(long bytes) {
        return (bytes + geometry.bytesPerCluster() - 1) / geometry.bytesPerCluster();
    }

    private void allocate(FatTree.Directory directory, boolean isRoot) {
        if (!isRoot || geometry.type() == FatType.FAT32) {
            long bytes = (long) entryCount(directory, isRoot) * ENTRY_SIZE;
            directory.firstCluster = claim(Math.max(1, clustersFor(bytes)), directory.path);
        }
        for (FatTree.Node node : directory.children()) {
            if (node instanceof FatTree.File file) {
                file.firstCluster = file.data.length == 0 ? 0 : claim(clustersFor(file.data.length), file.path);
            } else {
                allocate((FatTree.Directory) node, false);
            }
        }
    }

    private long claim(long clusters, String path) {
        long last = geometry.clusterCount() + 1;
        if (nextCluster + clusters - 1 > last) {
            long needed = nextCluster - 2 + clusters;
            throw new DiskImageException(String.format(
                    "image too small: at \"%s\" the contents need at least %d clusters of %d bytes, but this %s %s volume"
                            + " has %d; make it larger", path, needed, geometry.bytesPerCluster(),
                    FatGeometry.describe(geometry.totalSectors() * FatGeometry.SECTOR_SIZE), geometry.type(),
                    geometry.clusterCount()));
        }
        long first = nextCluster;
        fat.chain(first, clusters);
        nextCluster += clusters;
        return first;
    }

    private void writeDirectory(FatTree.Directory directory, FatTree.Directory parent, boolean isRoot) {
        int capacity = entryCount(directory, isRoot) * ENTRY_SIZE;
        ByteBuffer entries = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        if (isRoot && volumeLabel != null) {
            putEntry(entries, FatNames.pack(padRight(volumeLabel, 11).substring(0, 8), padRight(volumeLabel, 11).substring(8)),
                    ATTR_VOLUME_LABEL, 0, 0, 0);
        }
        if (!isRoot) {
            putEntry(entries, dotName("."), ATTR_DIRECTORY, 0, directory.firstCluster, 0);
            // ".." of a first-level directory points at cluster 0, even on FAT32.
            putEntry(entries, dotName(".."), ATTR_DIRECTORY, 0, parent == tree.root() ? 0 : parent.firstCluster, 0);
        }
        for (FatTree.Node node : directory.children()) {
            if (node.needsLongName) {
                entries.put(LongNameEntries.encode(node.name, node.shortName));
            }
            if (node instanceof FatTree.File file) {
                putEntry(entries, file.shortName, ATTR_ARCHIVE, file.caseFlags, file.firstCluster, file.data.length);
                writeClusters(file.firstCluster, file.data);
            } else {
                putEntry(entries, node.shortName, ATTR_DIRECTORY, node.caseFlags, node.firstCluster, 0);
            }
        }
        byte[] bytes = entries.array();
        if (isRoot && geometry.type() != FatType.FAT32) {
            System.arraycopy(bytes, 0, image, (int) (geometry.rootDirStartSector() * FatGeometry.SECTOR_SIZE), bytes.length);
        } else {
            writeClusters(directory.firstCluster, bytes);
        }
        for (FatTree.Node node : directory.children()) {
            if (node instanceof FatTree.Directory sub) {
                writeDirectory(sub, directory, false);
            }
        }
    }

    private void writeClusters(long firstCluster, byte[] data) {
        if (data.length > 0) {
            System.arraycopy(data, 0, image, (int) geometry.clusterOffset(firstCluster), data.length);
        }
    }

    private void putEntry(ByteBuffer out, byte[] name11, int attributes, int caseFlags, long cluster, long size) {
        int at = out.position();
        out.put(name11);
        out.put((byte) attributes);
        out.put((byte) caseFlags);
        out.put((byte) timestamp.hundredths());
        out.putShort((short) timestamp.time());
        out.putShort((short) timestamp.date());
        out.putShort((short) timestamp.date()); // last access date
        out.putShort((short) (cluster >>> 16));
        out.putShort((short) timestamp.time());
        out.putShort((short) timestamp.date());
        out.putShort((short) cluster);
        out.putInt((int) size);
        assert out.position() == at + ENTRY_SIZE;
    }

    private static byte[] dotName(String dots) {
        return padRight(dots, 11).getBytes(StandardCharsets.US_ASCII);
    }

    private static String padRight(String text, int length) {
        return text.length() >= length ? text : text + " ".repeat(length - text.length());
    }

    private void writeBootSector(int sector) {
        ByteBuffer bs = ByteBuffer.wrap(image, sector * FatGeometry.SECTOR_SIZE, FatGeometry.SECTOR_SIZE)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        boolean fat32 = geometry.type() == FatType.FAT32;
        int codeOffset = fat32 ? 90 : 62;
        bs.put(0, (byte) 0xEB).put(1, (byte) (codeOffset - 2)).put(2, (byte) 0x90);
        bs.put(3, "VARSGEN ".getBytes(StandardCharsets.US_ASCII));
        bs.putShort(11, (short) FatGeometry.SECTOR_SIZE);
        bs.put(13, (byte) geometry.sectorsPerCluster());
        bs.putShort(14, (short) geometry.reservedSectors());
        bs.put(16, (byte) geometry.fatCount());
        bs.putShort(17, (short) geometry.rootEntries());
        bs.putShort(19, (short) (geometry.totalSectors() < 0x10000 ? geometry.totalSectors() : 0));
        bs.put(21, (byte) MEDIA_FIXED_DISK);
        bs.putShort(22, (short) (fat32 ? 0 : geometry.fatSectors()));
        bs.putShort(24, (short) geometry.sectorsPerTrack());
        bs.putShort(26, (short) geometry.heads());
        bs.putInt(28, (int) geometry.hiddenSectors());
        bs.putInt(32, (int) (geometry.totalSectors() < 0x10000 ? 0 : geometry.totalSectors()));
        int extended = 36;
        if (fat32) {
            bs.putInt(36, geometry.fatSectors());
            bs.putShort(40, (short) 0); // FATs mirrored
            bs.putShort(42, (short) 0); // version 0.0
            bs.putInt(44, (int) geometry.rootCluster());
            bs.putShort(48, (short) FAT32_INFO_SECTOR);
            bs.putShort(50, (short) FAT32_BACKUP_BOOT_SECTOR);
            extended = 64;
        }
        bs.put(extended, (byte) 0x80); // BIOS drive number of a hard disk
        bs.put(extended + 2, (byte) 0x29); // the serial, label and type fields follow
        bs.putInt(extended + 3, volumeId);
        bs.put(extended + 7, padRight(volumeLabel == null ? "NO NAME" : volumeLabel, 11).getBytes(StandardCharsets.US_ASCII));
        bs.put(extended + 18, geometry.type().fileSystemType().getBytes(StandardCharsets.US_ASCII));
        bs.put(codeOffset, BOOT_CODE);
        bs.put(510, (byte) 0x55).put(511, (byte) 0xAA);
    }

    private void writeInfoSector(int sector) {
        ByteBuffer info = ByteBuffer.wrap(image, sector * FatGeometry.SECTOR_SIZE, FatGeometry.SECTOR_SIZE)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        long used = nextCluster - 2;
        info.putInt(0, 0x41615252);
        info.putInt(484, 0x61417272);
        info.putInt(488, (int) (geometry.clusterCount() - used)); // free clusters
        info.putInt(492, nextCluster <= geometry.clusterCount() + 1 ? (int) nextCluster : 0xFFFFFFFF); // next free hint
        info.putInt(508, 0xAA550000);
    }
}
