package org.varsgen.emulator.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The physical address space: one RAM array plus named regions (RAM views, MMIO, holes) with
 * priorities, flattened twice, once for ordinary accesses and once for SMM accesses
 * ({@link PhysicalMemory#ATTR_SMM}).
 *
 * <p>See {@link Region} for the two layers (system memory over the PCI address space).
 * Addresses nobody claims are unassigned, as in QEMU: reads return 0 and writes are dropped
 * (QEMU rejects them; platform-reference.md A.14, the TPM probe), and the trace shows an
 * {@code X} line named {@code unassigned}. RAM accesses are not traced (QEMU does not either).
 */
public final class SystemMemory extends RegionSpace implements PhysicalMemory {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long PAGE = 4096;

    /**
     * Attribute bit: the access is made by a device (DMA, an MSI write), not by a CPU. Routing is
     * the same; the trace marks such lines {@code (device)} as QEMU's does.
     */
    public static final int ATTR_DEVICE = 2;

    private final byte[] ram;
    private FlatView normal;
    private FlatView smm;

    /** A space backed by {@code ramBytes} of RAM (a multiple of 4 KiB); map it with {@link Region#ram}. */
    public SystemMemory(int ramBytes) {
        if (ramBytes <= 0 || ramBytes % PAGE != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramBytes);
        }
        ram = new byte[ramBytes];
    }

    @Override
    protected void rebuild() {
        normal = flatten(false);
        smm = flatten(true);
    }

    private FlatView view(int attrs) {
        refresh();
        return (attrs & ATTR_SMM) != 0 ? smm : normal;
    }

    /** The region that serves {@code address} for accesses with {@code attrs}, or null. */
    public Region regionAt(long address, int attrs) {
        return view(attrs).lookup(address);
    }

    @Override
    public long read(long address, int size, int attrs) {
        checkSize(size, 8);
        Region r = view(attrs).lookup(address);
        if (r == null) {
            if (trace() != null) {
                trace().rejected(false, "unassigned", address, size, 0, (attrs & ATTR_DEVICE) != 0);
            }
            return 0;
        }
        if (r.kind() == Region.Kind.RAM) {
            return readLe(ram, r.ramOffset() + (address - r.base()), size);
        }
        if (r.handler() instanceof RomDevice rom && rom.romMode()) {
            // a ROM device in ROM mode is memory: QEMU neither dispatches nor traces these reads
            return readLe(rom.romContents(), address - r.base(), size);
        }
        return dispatchRead(r, address, size, (attrs & ATTR_DEVICE) != 0);
    }

    @Override
    public void write(long address, int size, long value, int attrs) {
        checkSize(size, 8);
        Region r = view(attrs).lookup(address);
        if (r == null) {
            if (trace() != null) {
                trace().rejected(true, "unassigned", address, size, value & mask(size), (attrs & ATTR_DEVICE) != 0);
            }
            return;
        }
        if (r.kind() == Region.Kind.RAM) {
            if (!r.readOnly()) {
                writeRam(r.ramOffset() + (address - r.base()), size, value);
            }
            return;
        }
        dispatchWrite(r, address, size, value, (attrs & ATTR_DEVICE) != 0);
    }

    /** Little-endian bytes of {@code bytes} (RAM or a ROM image); 0 outside it. */
    private static long readLe(byte[] bytes, long offset, int size) {
        if (offset < 0 || offset + size > bytes.length) {
            return 0;
        }
        int at = (int) offset;
        return switch (size) {
            case 1 -> bytes[at] & 0xFFL;
            case 2 -> (short) SHORT_LE.get(bytes, at) & 0xFFFFL;
            case 4 -> (int) INT_LE.get(bytes, at) & 0xFFFFFFFFL;
            case 8 -> (long) LONG_LE.get(bytes, at);
            default -> {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = v << 8 | (bytes[at + i] & 0xFFL);
                }
                yield v;
            }
        };
    }

    private void writeRam(long offset, int size, long value) {
        if (offset < 0 || offset + size > ram.length) {
            return;
        }
        int at = (int) offset;
        switch (size) {
            case 1 -> ram[at] = (byte) value;
            case 2 -> SHORT_LE.set(ram, at, (short) value);
            case 4 -> INT_LE.set(ram, at, (int) value);
            default -> LONG_LE.set(ram, at, value);
        }
    }

    @Override
    public byte[] ram() {
        return ram;
    }

    @Override
    public long ramOffset(long address, int attrs, boolean write) {
        FlatView v = view(attrs);
        int i = v.indexOf(address);
        if (i < 0) {
            return -1;
        }
        Region r = v.regions[i];
        if (r == null || r.kind() != Region.Kind.RAM || (write && r.readOnly())) {
            return -1;
        }
        long page = address & ~(PAGE - 1);
        long delta = r.ramOffset() - r.base();
        if (v.starts[i] > page || v.segmentEnd(i) < page + PAGE || (delta & (PAGE - 1)) != 0) {
            return -1;
        }
        long offset = page + delta;
        return offset >= 0 && offset + PAGE <= ram.length ? offset : -1;
    }
}
