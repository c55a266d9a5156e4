package org.varsgen.emulator.bus;

/**
 * A physical address space that is nothing but RAM from address 0: for CPU tests, instruction
 * vectors and benchmarks, where no device is wanted. Accesses beyond the RAM read all ones and
 * discard writes, as unbacked addresses do on the real bus.
 */
public final class RamOnlyMemory implements PhysicalMemory {
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final byte[] ram;

    public RamOnlyMemory(int sizeBytes) {
        if (sizeBytes <= 0 || sizeBytes % 4096 != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + sizeBytes);
        }
        ram = new byte[sizeBytes];
    }

    @Override
    public long read(long address, int size, int attrs) {
        if (address < 0 || address + size > ram.length) {
            return size == 8 ? -1L : (1L << (size * 8)) - 1;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (ram[(int) address + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void write(long address, int size, long value, int attrs) {
        if (address < 0 || address + size > ram.length) {
            return;
        }
        if (size == 8) {
            LONG_LE.set(ram, (int) address, value);
            return;
        }
        for (int i = 0; i < size; i++) {
            ram[(int) address + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public byte[] ram() {
        return ram;
    }

    @Override
    public long ramOffset(long address, int attrs, boolean write) {
        return address >= 0 && address < ram.length ? address & ~0xFFFL : -1;
    }

    @Override
    public long mappingGeneration() {
        return 0;
    }
}
