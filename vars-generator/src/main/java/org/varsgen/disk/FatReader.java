package org.varsgen.disk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a FAT12/16/32 volume held in memory: lists directories (long names when present and
 * intact, else short names) and extracts files. Enough for tests and for tools that look into a
 * disk image; it never writes. Damaged structures (chains leaving the volume, loops, a file
 * longer than its chain) are reported as {@link DiskImageException}s.
 */
public final class FatReader {
    private static final int ENTRY_SIZE = 32;
    private static final int ATTR_VOLUME_LABEL = 0x08;
    private static final int ATTR_DIRECTORY = 0x10;

    private final byte[] disk;
    private final long base;
    private final int bytesPerSector;
    private final int sectorsPerCluster;
    private final long fatStart;
    private final long rootDirStart;
    private final int rootEntries;
    private final long dataStart;
    private final long clusterCount;
    private final long rootCluster;
    private final FatType type;
    private final int volumeId;
    private final String volumeLabel;

    /** Reads the FAT volume of a disk image, partitioned or not (see {@link FatVolumeLocator}). */
    public FatReader(byte[] disk) {
        this(disk, FatVolumeLocator.locate(disk));
    }

    public FatReader(byte[] disk, FatVolumeLocator.Volume volume) {
        this.disk = disk;
        this.base = volume.offset();
        if (volume.offset() + DiskImageBuilder.SECTOR > disk.length
                || !FatVolumeLocator.looksLikeFatBootSector(disk, (int) volume.offset())) {
            throw new DiskImageException("no FAT boot sector at byte " + volume.offset() + " of the disk image");
        }
        ByteBuffer bs = ByteBuffer.wrap(disk, (int) base, DiskImageBuilder.SECTOR).slice().order(ByteOrder.LITTLE_ENDIAN);
        bytesPerSector = bs.getShort(11) & 0xFFFF;
        sectorsPerCluster = bs.get(13) & 0xFF;
        int reserved = bs.getShort(14) & 0xFFFF;
        int fats = bs.get(16) & 0xFF;
        rootEntries = bs.getShort(17) & 0xFFFF;
        long total = bs.getShort(19) & 0xFFFF;
        if (total == 0) {
            total = bs.getInt(32) & 0xFFFFFFFFL;
        }
        long fatSectors = bs.getShort(22) & 0xFFFF;
        boolean fat32Layout = fatSectors == 0;
        if (fat32Layout) {
            fatSectors = bs.getInt(36) & 0xFFFFFFFFL;
        }
        fatStart = reserved;
        rootDirStart = reserved + fats * fatSectors;
        long rootDirSectors = ((long) rootEntries * ENTRY_SIZE + bytesPerSector - 1) / bytesPerSector;
        dataStart = rootDirStart + rootDirSectors;
        if (total * bytesPerSector > volume.length() || dataStart >= total || fatSectors == 0) {
            throw new DiskImageException("FAT boot sector describes " + total + " sectors (data from sector " + dataStart
                    + "), which does not fit the " + volume.length() + "-byte volume");
        }
        clusterCount = (total - dataStart) / sectorsPerCluster;
        type = FatType.forClusterCount(clusterCount);
        if ((type == FatType.FAT32) != fat32Layout) {
            throw new DiskImageException("FAT boot sector is laid out as " + (fat32Layout ? "FAT32" : "FAT12/16")
                    + " but the volume's " + clusterCount + " clusters make it " + type);
        }
        if (fatSectors * bytesPerSector * 8 < (clusterCount + 2) * type.bits()) {
            throw new DiskImageException("FAT of " + fatSectors + " sectors is too small for " + clusterCount + " clusters");
        }
        int extended = type == FatType.FAT32 ? 64 : 36;
        rootCluster = type == FatType.FAT32 ? bs.getInt(44) & 0x0FFFFFFFL : 0;
        volumeId = bs.getInt(extended + 3);
        byte[] label = new byte[11];
        bs.get(extended + 7, label);
        volumeLabel = new String(label, StandardCharsets.ISO_8859_1).stripTrailing();
    }

    public FatType type() {
        return type;
    }

    public long clusterCount() {
        return clusterCount;
    }

    public int bytesPerCluster() {
        return bytesPerSector * sectorsPerCluster;
    }

    public int volumeId() {
        return volumeId;
    }

    /** The label in the boot sector ("NO NAME" when there is none). */
    public String volumeLabel() {
        return volumeLabel;
    }

    /** The entries of a directory ("/" or "EFI/BOOT"; case-insensitive), without "." and "..". */
    public List<FatEntry> list(String path) {
        List<String> parts = parts(path);
        List<FatEntry> entries = rootEntries();
        StringBuilder walked = new StringBuilder();
        for (String part : parts) {
            walked.append('/').append(part);
            FatEntry entry = find(entries, part, walked);
            if (!entry.directory()) {
                throw new DiskImageException("\"" + walked + "\" is a file, not a directory");
            }
            entries = parseDirectory(readChain(entry.firstCluster(), -1, walked.toString()));
        }
        return entries;
    }

    /** The entry at {@code path}. */
    public FatEntry entry(String path) {
        List<String> parts = parts(path);
        if (parts.isEmpty()) {
            throw new DiskImageException("the root directory has no directory entry");
        }
        String parent = String.join("/", parts.subList(0, parts.size() - 1));
        return find(list(parent), parts.get(parts.size() - 1), new StringBuilder(path));
    }

    /** The contents of the file at {@code path}. */
    public byte[] readFile(String path) {
        FatEntry entry = entry(path);
        if (entry.directory()) {
            throw new DiskImageException("\"" + path + "\" is a directory, not a file");
        }
        if (entry.size() == 0) {
            return new byte[0];
        }
        return readChain(entry.firstCluster(), entry.size(), path);
    }

    /** Every file's path ("/EFI/BOOT/BOOTX64.EFI"), directories first visited in entry order. */
    public List<String> allFiles() {
        List<String> out = new ArrayList<>();
        collect("", rootEntries(), out, 0);
        return out;
    }

    private void collect(String prefix, List<FatEntry> entries, List<String> out, int depth) {
        if (depth > 64) {
            throw new DiskImageException("directories nested deeper than 64 levels at \"" + prefix + "\" (a loop?)");
        }
        for (FatEntry entry : entries) {
            String path = prefix + "/" + entry.name();
            if (entry.directory()) {
                collect(path, parseDirectory(readChain(entry.firstCluster(), -1, path)), out, depth + 1);
            } else {
                out.add(path);
            }
        }
    }

    private static List<String> parts(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static FatEntry find(List<FatEntry> entries, String name, CharSequence path) {
        String wanted = name.toUpperCase(Locale.ROOT);
        for (FatEntry entry : entries) {
            if (entry.name().toUpperCase(Locale.ROOT).equals(wanted) || entry.shortName().equals(wanted)) {
                return entry;
            }
        }
        throw new DiskImageException("\"" + path + "\" not found in the FAT volume");
    }

    private List<FatEntry> rootEntries() {
        if (type == FatType.FAT32) {
            return parseDirectory(readChain(rootCluster, -1, "/"));
        }
        int offset = (int) (base + rootDirStart * bytesPerSector);
        byte[] root = new byte[rootEntries * ENTRY_SIZE];
        System.arraycopy(disk, offset, root, 0, root.length);
        return parseDirectory(root);
    }

    /** Follows a cluster chain; {@code size} < 0 reads the whole chain (directories). */
    private byte[] readChain(long first, long size, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int clusterBytes = bytesPerCluster();
        long cluster = first;
        long visited = 0;
        long remaining = size < 0 ? Long.MAX_VALUE : size;
        while (remaining > 0) {
            if (cluster < 2 || cluster > clusterCount + 1) {
                if (size < 0 && visited > 0 && isEndOfChain(cluster)) {
                    break;
                }
                throw new DiskImageException("\"" + path + "\": cluster chain reaches " + (isEndOfChain(cluster)
                        ? "its end before the file's " + size + " bytes" : "invalid cluster " + cluster));
            }
            if (++visited > clusterCount) {
                throw new DiskImageException("\"" + path + "\": cluster chain loops");
            }
            int n = (int) Math.min(clusterBytes, remaining);
            out.write(disk, (int) (base + (dataStart + (cluster - 2) * sectorsPerCluster) * bytesPerSector), n);
            remaining -= n;
            cluster = fatEntry(cluster);
        }
        return out.toByteArray();
    }

    private boolean isEndOfChain(long value) {
        return value >= (type.endOfChain() & ~7L);
    }

    private long fatEntry(long cluster) {
        int fat = (int) (base + fatStart * bytesPerSector);
        return switch (type) {
            case FAT12 -> {
                int at = fat + (int) (cluster * 3 / 2);
                int pair = (disk[at] & 0xFF) | (disk[at + 1] & 0xFF) << 8;
                yield (cluster & 1) == 0 ? pair & 0xFFF : pair >> 4;
            }
            case FAT16 -> {
                int at = fat + (int) (cluster * 2);
                yield (disk[at] & 0xFF) | (disk[at + 1] & 0xFF) << 8;
            }
            case FAT32 -> ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN).getInt(fat + (int) (cluster * 4)) & 0x0FFFFFFFL;
        };
    }

    private List<FatEntry> parseDirectory(byte[] data) {
        List<FatEntry> entries = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        LongNameCollector longName = new LongNameCollector();
        for (int at = 0; at + ENTRY_SIZE <= data.length; at += ENTRY_SIZE) {
            int first = data[at] & 0xFF;
            if (first == 0x00) {
                break;
            }
            int attributes = data[at + 11] & 0xFF;
            if (first == 0xE5) {
                longName.reset();
                continue;
            }
            if (attributes == LongNameEntries.ATTRIBUTE) {
                longName.add(data, at);
                continue;
            }
            byte[] name11 = new byte[11];
            System.arraycopy(data, at, name11, 0, 11);
            String shortName = FatNames.display(name11);
            if ((attributes & ATTR_VOLUME_LABEL) != 0 || shortName.equals(".") || shortName.equals("..")) {
                longName.reset();
                continue;
            }
            String name = longName.complete(LongNameEntries.checksum(name11));
            if (name == null) {
                name = withCaseFlags(name11, data[at + 12] & 0xFF);
            }
            long cluster = b.getShort(at + 26) & 0xFFFFL;
            if (type == FatType.FAT32) {
                cluster |= (b.getShort(at + 20) & 0xFFFFL) << 16;
            }
            entries.add(new FatEntry(name, shortName, (attributes & ATTR_DIRECTORY) != 0, b.getInt(at + 28) & 0xFFFFFFFFL,
                    cluster, attributes, b.getShort(at + 24) & 0xFFFF, b.getShort(at + 22) & 0xFFFF));
        }
        return entries;
    }

    private static String withCaseFlags(byte[] name11, int flags) {
        String base = FatNames.display(name11);
        int dot = base.indexOf('.');
        String stem = dot < 0 ? base : base.substring(0, dot);
        String extension = dot < 0 ? "" : base.substring(dot + 1);
        if ((flags & FatNames.CASE_LOWER_BASE) != 0) {
            stem = stem.toLowerCase(Locale.ROOT);
        }
        if ((flags & FatNames.CASE_LOWER_EXTENSION) != 0) {
            extension = extension.toLowerCase(Locale.ROOT);
        }
        return extension.isEmpty() ? stem : stem + "." + extension;
    }

    /** Gathers the long-name entries before a short entry; any break in the sequence discards them. */
    private static final class LongNameCollector {
        private char[] units;
        private int expected;
        private int checksum;

        void reset() {
            units = null;
        }

        void add(byte[] data, int at) {
            int ordinal = data[at] & 0xFF;
            int sum = data[at + 13] & 0xFF;
            int sequence = ordinal & 0x1F;
            if ((ordinal & LongNameEntries.LAST_ENTRY_FLAG) != 0) {
                units = new char[sequence * LongNameEntries.CHARS_PER_ENTRY];
                checksum = sum;
            } else if (units == null || sequence != expected || sum != checksum) {
                units = null;
                return;
            }
            if (sequence == 0) {
                units = null;
                return;
            }
            for (int k = 0; k < LongNameEntries.CHARS_PER_ENTRY; k++) {
                int o = at + LongNameEntries.CHAR_OFFSETS[k];
                units[(sequence - 1) * LongNameEntries.CHARS_PER_ENTRY + k] = (char) ((data[o] & 0xFF) | (data[o + 1] & 0xFF) << 8);
            }
            expected = sequence - 1;
        }

        /** The long name if all its parts arrived and belong to a short name with this checksum. */
        String complete(int shortChecksum) {
            char[] collected = units;
            units = null;
            if (collected == null || expected != 0 || checksum != shortChecksum) {
                return null;
            }
            int length = 0;
            while (length < collected.length && collected[length] != 0) {
                length++;
            }
            return new String(collected, 0, length);
        }
    }
}
