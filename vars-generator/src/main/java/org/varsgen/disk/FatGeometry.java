package org.varsgen.disk;

/**
 * The layout of a FAT volume: where the reserved area, the FATs, the FAT12/16 root directory and
 * the data clusters lie. {@link #choose} picks the type and cluster size the way dosfstools'
 * mkfs.fat 4.2 does for a hard-disk image (so an image of a given size looks like the one
 * {@code mkfs.fat} or {@code mkfs.fat -F N} would make of that many sectors; mkfs.fat itself
 * first rounds a file's size down to whole 32-sector tracks), then insists on the specification's
 * cluster-count range for the type, because readers (OVMF's FAT driver included) derive the type
 * from that count alone.
 */
public record FatGeometry(
        FatType type,
        long totalSectors,
        int sectorsPerCluster,
        int reservedSectors,
        int fatCount,
        int fatSectors,
        int rootEntries,
        long clusterCount,
        long hiddenSectors) {

    public static final int SECTOR_SIZE = 512;
    /** The default number of FAT12/16 root directory entries (mkfs.fat's, for hard disks). */
    public static final int DEFAULT_ROOT_ENTRIES = 512;
    /** At or above this size mkfs.fat chooses FAT32 unless told otherwise. */
    public static final long FAT32_AUTO_THRESHOLD = 512L * 1024 * 1024;

    private static final int FAT_COUNT = 2;
    private static final int MAX_SECTORS_PER_CLUSTER = 128;
    /** mkfs.fat 4.2's cluster-count limits per type (FAT16's lower one keeps a margin above FAT12's). */
    private static final long MKFS_MAX_CLUSTERS_12 = 4084;
    private static final long MKFS_MIN_CLUSTERS_16 = 4087;
    private static final long MKFS_MAX_CLUSTERS_16 = 65524;
    private static final long MKFS_MIN_CLUSTERS_32 = 65525;
    private static final long MKFS_MAX_CLUSTERS_32 = 268435446;
    /** Below this many sectors (floppy sizes) mkfs.fat does not align structures to clusters. */
    private static final long ALIGNMENT_MIN_SECTORS = 8192;

    /**
     * Chooses the layout of a volume of {@code totalSectors} 512-byte sectors.
     *
     * @param requested the FAT type wanted, or null to choose by size
     * @param rootEntries FAT12/16 root directory entries wanted (rounded up as mkfs.fat does)
     * @param hiddenSectors sectors before the volume on its disk (its partition's first LBA)
     */
    public static FatGeometry choose(long totalSectors, FatType requested, int rootEntries, long hiddenSectors) {
        if (totalSectors < 64) {
            throw new DiskImageException("FAT volume of " + totalSectors + " sectors is too small (at least 64 sectors, 32 KiB)");
        }
        if (totalSectors > 0xFFFFFFFFL) {
            throw new DiskImageException("FAT volume of " + totalSectors + " sectors is too large (at most 2^32-1 sectors)");
        }
        if (rootEntries < 16 || rootEntries > 65535 - 15) {
            throw new DiskImageException("root directory entries must be between 16 and 65520, not " + rootEntries);
        }
        FatType type = requested;
        long bytes = totalSectors * SECTOR_SIZE;
        if (type == null && bytes >= FAT32_AUTO_THRESHOLD) {
            type = FatType.FAT32;
        }
        boolean align = totalSectors > ALIGNMENT_MIN_SECTORS;
        int reserved = type == FatType.FAT32 ? 32 : 1;
        int entries = type == FatType.FAT32 ? 0 : rootEntries;
        long rootDirSectors = ceilDiv((long) entries * 32, SECTOR_SIZE);

        Candidate fat12 = null;
        Candidate fat16 = null;
        Candidate fat32 = null;
        int clusterSize = initialClusterSize(type, bytes);
        for (; clusterSize <= MAX_SECTORS_PER_CLUSTER; clusterSize <<= 1) {
            long fatData32 = totalSectors - align(reserved, clusterSize, align);
            long fatData1216 = fatData32 - align(rootDirSectors, clusterSize, align);
            fat12 = fit12(fatData1216, clusterSize, align);
            fat16 = fit16(fatData1216, clusterSize, align);
            fat32 = fit32(fatData32, clusterSize, align, requested == FatType.FAT32);
            if ((fat12 != null && (type == null || type == FatType.FAT12))
                    || (fat16 != null && (type == null || type == FatType.FAT16))
                    || (fat32 != null && type == FatType.FAT32)) {
                break;
            }
        }
        if (clusterSize > MAX_SECTORS_PER_CLUSTER) {
            throw new DiskImageException("no " + (type == null ? "FAT12 or FAT16" : type.name())
                    + " layout fits a volume of " + describe(bytes) + " (clusters of up to 64 KiB)");
        }
        if (type == null) {
            type = fat16 != null && (fat12 == null || fat16.clusters > fat12.clusters) ? FatType.FAT16 : FatType.FAT12;
        }
        Candidate chosen = switch (type) {
            case FAT12 -> fat12;
            case FAT16 -> fat16;
            case FAT32 -> fat32;
        };
        if (chosen == null || chosen.clusters < type.minClusters() || chosen.clusters > type.maxClusters()) {
            long clusters = chosen == null ? 0 : chosen.clusters;
            throw new DiskImageException("a volume of " + describe(bytes) + " cannot be " + type + ": it would have "
                    + clusters + " clusters, and " + type + " needs " + type.minClusters() + " to " + type.maxClusters()
                    + (type == FatType.FAT32 ? " (at least about 33 MiB)" : ""));
        }
        int alignedReserved = (int) align(reserved, clusterSize, align);
        int alignedRootEntries = align ? (int) (align(rootDirSectors, clusterSize, true) * (SECTOR_SIZE / 32)) : entries;
        return new FatGeometry(type, totalSectors, clusterSize, alignedReserved, FAT_COUNT, (int) chosen.fatSectors,
                alignedRootEntries, chosen.clusters, hiddenSectors);
    }

    private record Candidate(long clusters, long fatSectors) {
    }

    private static int initialClusterSize(FatType type, long bytes) {
        if (type != FatType.FAT32) {
            return 4;
        }
        // mkfs.fat follows Microsoft's FAT32 table: 0.5 KiB clusters up to 260 MiB, then 4 KiB ...
        long mib = bytes / (1024 * 1024);
        return mib > 32 * 1024 ? 64 : mib > 16 * 1024 ? 32 : mib > 8 * 1024 ? 16 : mib > 260 ? 8 : 1;
    }

    private static Candidate fit12(long fatData, int clusterSize, boolean align) {
        long estimate = 2 * (fatData * SECTOR_SIZE + FAT_COUNT * 3L) / (2L * clusterSize * SECTOR_SIZE + FAT_COUNT * 3L);
        long fatSectors = align(ceilDiv(((estimate + 2) * 3 + 1) >> 1, SECTOR_SIZE), clusterSize, align);
        // Recount: the unused tails of the FATs must not hold a cluster that is not there.
        long clusters = (fatData - FAT_COUNT * fatSectors) / clusterSize;
        long max = Math.min(fatSectors * 2 * SECTOR_SIZE / 3, MKFS_MAX_CLUSTERS_12);
        return clusters > max || clusters <= 0 ? null : new Candidate(clusters, fatSectors);
    }

    private static Candidate fit16(long fatData, int clusterSize, boolean align) {
        long estimate = (fatData * SECTOR_SIZE + FAT_COUNT * 4L) / ((long) clusterSize * SECTOR_SIZE + FAT_COUNT * 2L);
        long fatSectors = align(ceilDiv((estimate + 2) * 2, SECTOR_SIZE), clusterSize, align);
        long clusters = (fatData - FAT_COUNT * fatSectors) / clusterSize;
        long max = Math.min(fatSectors * SECTOR_SIZE / 2, MKFS_MAX_CLUSTERS_16);
        // Fewer clusters would make readers take the volume for FAT12.
        return clusters > max || clusters < MKFS_MIN_CLUSTERS_16 ? null : new Candidate(clusters, fatSectors);
    }

    private static Candidate fit32(long fatData, int clusterSize, boolean align, boolean forced) {
        long estimate = (fatData * SECTOR_SIZE + FAT_COUNT * 8L) / ((long) clusterSize * SECTOR_SIZE + FAT_COUNT * 4L);
        long fatSectors = align(ceilDiv((estimate + 2) * 4, SECTOR_SIZE), clusterSize, align);
        long clusters = (fatData - FAT_COUNT * fatSectors) / clusterSize;
        long max = Math.min(fatSectors * SECTOR_SIZE / 4, MKFS_MAX_CLUSTERS_32);
        if (clusters <= 0 || clusters > max || (clusters < MKFS_MIN_CLUSTERS_32 && !forced)) {
            return null;
        }
        return new Candidate(clusters, fatSectors);
    }

    private static long align(long sectors, int clusterSize, boolean align) {
        return align ? (sectors + clusterSize - 1) & ~(long) (clusterSize - 1) : sectors;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static String describe(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }

    public int bytesPerCluster() {
        return sectorsPerCluster * SECTOR_SIZE;
    }

    public long fatStartSector() {
        return reservedSectors;
    }

    public long rootDirStartSector() {
        return reservedSectors + (long) fatCount * fatSectors;
    }

    public long rootDirSectors() {
        return ((long) rootEntries * 32 + SECTOR_SIZE - 1) / SECTOR_SIZE;
    }

    public long dataStartSector() {
        return rootDirStartSector() + rootDirSectors();
    }

    /** Byte offset, within the volume, of data cluster {@code cluster} (the first is 2). */
    public long clusterOffset(long cluster) {
        return (dataStartSector() + (cluster - 2) * sectorsPerCluster) * SECTOR_SIZE;
    }

    /** The FAT32 root directory's first cluster; FAT12/16 roots have a fixed region instead. */
    public long rootCluster() {
        return type == FatType.FAT32 ? 2 : 0;
    }

    /** Geometry fields of the boot sector: mkfs.fat's "LBA only" values for large volumes. */
    public int sectorsPerTrack() {
        return totalSectors * SECTOR_SIZE < FAT32_AUTO_THRESHOLD ? 32 : 63;
    }

    public int heads() {
        return totalSectors * SECTOR_SIZE < FAT32_AUTO_THRESHOLD ? 64 : 255;
    }
}
