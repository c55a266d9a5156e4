package org.varsgen.disk;

import java.util.Locale;

/**
 * Builds a FAT12/16/32 volume in memory, without external tools. Output depends only on the
 * calls made: files and directories in the order added, a fixed volume serial number and one
 * fixed time stamp for every entry (an epoch second such as SOURCE_DATE_EPOCH; the host clock is
 * never read), so the same inputs give byte-identical images.
 *
 * <pre>
 * byte[] volume = new FatImageBuilder()
 *         .size(64L &lt;&lt; 20).fatType(FatType.FAT32).epochSecond(sourceDateEpoch)
 *         .addFile("EFI/BOOT/BOOTX64.EFI", shell)
 *         .addFile("startup.nsh", script)
 *         .build();
 * </pre>
 * For a partitioned disk see {@link DiskImageBuilder}.
 */
public final class FatImageBuilder {
    /** The volume serial number used unless one is given (mkfs.fat --invariant uses the same). */
    public static final int DEFAULT_VOLUME_ID = 0x1234ABCD;

    private final FatTree tree = new FatTree();
    private long sizeBytes = -1;
    private FatType fatType;
    private int volumeId = DEFAULT_VOLUME_ID;
    private String volumeLabel;
    private long epochSecond = FatTimestamp.MIN_EPOCH;
    private int rootEntries = FatGeometry.DEFAULT_ROOT_ENTRIES;
    private long hiddenSectors;

    /** The volume's size in bytes, a multiple of 512. Required. */
    public FatImageBuilder size(long bytes) {
        if (bytes <= 0 || bytes % FatGeometry.SECTOR_SIZE != 0) {
            throw new DiskImageException("FAT volume size " + bytes + " is not a positive multiple of 512 bytes");
        }
        if (bytes > Integer.MAX_VALUE - FatGeometry.SECTOR_SIZE + 1) {
            throw new DiskImageException("FAT volume size " + bytes + " is too large for an in-memory image (2 GiB at most)");
        }
        this.sizeBytes = bytes;
        return this;
    }

    /** Forces a FAT type; by default it is chosen by size as mkfs.fat does. */
    public FatImageBuilder fatType(FatType type) {
        this.fatType = type;
        return this;
    }

    public FatImageBuilder volumeId(int id) {
        this.volumeId = id;
        return this;
    }

    /** A label of up to 11 characters allowed in short names (stored in upper case), or null for none. */
    public FatImageBuilder volumeLabel(String label) {
        if (label != null) {
            String upper = label.toUpperCase(Locale.ROOT);
            if (upper.isEmpty() || upper.length() > 11 || upper.startsWith(" ")
                    || !upper.chars().allMatch(c -> c == ' ' || (c > 0x20 && c < 0x7F && "\"*+,./:;<=>?[\\]|".indexOf(c) < 0))) {
                throw new DiskImageException("volume label \"" + label + "\" is not 1 to 11 printable ASCII characters"
                        + " without leading space or any of \"*+,./:;<=>?[\\]|");
            }
            this.volumeLabel = upper;
        } else {
            this.volumeLabel = null;
        }
        return this;
    }

    /** The time stamp of every entry, in seconds since 1970 UTC (1980 to 2107); default 1980-01-01. */
    public FatImageBuilder epochSecond(long seconds) {
        FatTimestamp.ofEpochSecond(seconds);
        this.epochSecond = seconds;
        return this;
    }

    /** FAT12/16 root directory entries (default 512, rounded up to whole clusters as mkfs.fat does). */
    public FatImageBuilder rootEntries(int entries) {
        this.rootEntries = entries;
        return this;
    }

    /** Sectors before the volume on its disk, recorded in the boot sector; set by {@link DiskImageBuilder}. */
    public FatImageBuilder hiddenSectors(long sectors) {
        if (sectors < 0 || sectors > 0xFFFFFFFFL) {
            throw new DiskImageException("hidden sector count " + sectors + " out of range");
        }
        this.hiddenSectors = sectors;
        return this;
    }

    /** Adds a file; missing parent directories are created. Paths use '/'. */
    public FatImageBuilder addFile(String path, byte[] data) {
        if (data == null) {
            throw new DiskImageException("no data for \"" + path + "\"");
        }
        tree.addFile(path, data.clone());
        return this;
    }

    /** Adds a (possibly empty) directory and its missing parents; adding one twice is harmless. */
    public FatImageBuilder addDirectory(String path) {
        tree.addDirectory(path);
        return this;
    }

    /** The volume's size last given, or -1. */
    long sizeBytes() {
        return sizeBytes;
    }

    /** Builds the volume: exactly {@link #size} bytes. */
    public byte[] build() {
        if (sizeBytes < 0) {
            throw new DiskImageException("FAT volume size not set");
        }
        FatGeometry geometry = FatGeometry.choose(sizeBytes / FatGeometry.SECTOR_SIZE, fatType, rootEntries, hiddenSectors);
        return new FatVolumeWriter(geometry, tree, volumeId, volumeLabel, FatTimestamp.ofEpochSecond(epochSecond)).write();
    }

    /**
     * A SOURCE_DATE_EPOCH value (reproducible-builds.org; pass the environment variable) if set, else
     * {@code fallback}; a malformed value is an error rather than silently ignored.
     */
    public static long sourceDateEpochOr(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new DiskImageException("SOURCE_DATE_EPOCH \"" + value + "\" is not a whole number of seconds");
        }
    }
}
