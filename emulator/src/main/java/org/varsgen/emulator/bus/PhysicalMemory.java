package org.varsgen.emulator.bus;

/**
 * The physical address space as the CPU and its MMU see it.
 *
 * <p>Ordinary RAM is one byte array that the CPU may access directly once {@link #ramOffset}
 * has said that a page is plain RAM for that kind of access; everything else (MMIO, flash, ROM
 * aliases, SMRAM when closed) goes through {@link #read} and {@link #write}. Attributes carry
 * what QEMU calls MemTxAttrs: whether the CPU is in SMM decides what SMRAM and secure flash show.
 */
public interface PhysicalMemory {
    /** Attribute bit: the access is made by a CPU in System Management Mode. */
    int ATTR_SMM = 1;

    /** Reads {@code size} bytes (1, 2, 4 or 8), little-endian; must not cross a 4 KiB page. */
    long read(long address, int size, int attrs);

    /** Writes the low {@code size} bytes of {@code value}, little-endian; must not cross a 4 KiB page. */
    void write(long address, int size, long value, int attrs);

    /** The array that backs ordinary RAM. */
    byte[] ram();

    /**
     * The offset in {@link #ram()} of the 4 KiB page that holds {@code address}, if that page is
     * plain RAM for an access with these attributes (and writable, when {@code write}); else -1.
     * Valid until {@link #mappingGeneration()} changes.
     */
    long ramOffset(long address, int attrs, boolean write);

    /**
     * A number that changes whenever the routing of addresses changes (PAM registers, SMRAM
     * open or closed, BARs moved), so that caches of {@link #ramOffset} results can flush.
     */
    long mappingGeneration();
}
