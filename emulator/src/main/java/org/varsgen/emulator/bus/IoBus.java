package org.varsgen.emulator.bus;

/**
 * The I/O port space as the CPU sees it (IN, OUT, INS, OUTS).
 *
 * <p>Implementations reconcile each access with the region's declared valid and implemented
 * access sizes (see ARCHITECTURE.md, "Access sizes"); the CPU only states port, size and value.
 */
public interface IoBus {
    /** Reads {@code size} bytes (1, 2 or 4) at {@code port}; ports nobody claims read as all ones. */
    long read(int port, int size);

    /** Writes the low {@code size} bytes (1, 2 or 4) of {@code value} to {@code port}. */
    void write(int port, int size, long value);
}
