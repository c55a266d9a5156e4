package org.varsgen.disk;

/**
 * The three FAT variants. Which one a volume is follows only from its cluster count (Microsoft's
 * FAT specification, which OVMF's FAT driver and Linux follow), so each type has its range.
 */
public enum FatType {
    FAT12(12, 1, 4084, "FAT12   "),
    FAT16(16, 4085, 65524, "FAT16   "),
    FAT32(32, 65525, 0x0FFFFFF5, "FAT32   ");

    private final int bits;
    private final int minClusters;
    private final int maxClusters;
    private final String fileSystemType;

    FatType(int bits, int minClusters, int maxClusters, String fileSystemType) {
        this.bits = bits;
        this.minClusters = minClusters;
        this.maxClusters = maxClusters;
        this.fileSystemType = fileSystemType;
    }

    public int bits() {
        return bits;
    }

    public int minClusters() {
        return minClusters;
    }

    public int maxClusters() {
        return maxClusters;
    }

    /** The 8-byte informational type string of the boot sector. */
    public String fileSystemType() {
        return fileSystemType;
    }

    /** The FAT entry value that ends a cluster chain. */
    public int endOfChain() {
        return switch (this) {
            case FAT12 -> 0xFFF;
            case FAT16 -> 0xFFFF;
            case FAT32 -> 0x0FFFFFFF;
        };
    }

    /** The type a volume with this many data clusters is, by the specification's rule. */
    public static FatType forClusterCount(long clusters) {
        if (clusters <= FAT12.maxClusters) {
            return FAT12;
        }
        return clusters <= FAT16.maxClusters ? FAT16 : FAT32;
    }
}
