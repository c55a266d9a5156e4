package org.varsgen.disk;

/**
 * One directory entry as read back: its long name (or the short name, with NT case flags
 * applied, when it has none), its 8.3 name, and where its data is.
 */
public record FatEntry(String name, String shortName, boolean directory, long size, long firstCluster,
        int attributes, int modifiedDate, int modifiedTime) {
}
