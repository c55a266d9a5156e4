package org.varsgen.disk;

/** How a FAT volume sits on a disk image. */
public enum PartitionScheme {
    /** The volume is the whole image ("superfloppy"), as {@code mkdosfs} on a plain file makes it. */
    NONE,
    /** An MBR with one partition of type 0xEF (EFI System). */
    MBR,
    /** A GPT (protective MBR, primary and backup headers and entry arrays) with one EFI System Partition. */
    GPT
}
