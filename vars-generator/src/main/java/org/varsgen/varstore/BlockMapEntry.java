package org.varsgen.varstore;

/** One run of the firmware volume's block map: {@code count} blocks of {@code length} bytes. */
public record BlockMapEntry(long count, long length) {
}
