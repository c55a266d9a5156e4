package org.varsgen.emulator.devices.pci;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * One PCI(e) function's configuration space (4 KiB, so ECAM can reach the extended part),
 * with per-bit write masks and write-1-to-clear masks as PCI specifies and QEMU models them,
 * and up to six BARs.
 *
 * <p>Subclasses set their identity and defaults in the constructor, declare BARs, hand out a
 * {@link RegionHandler} per BAR, and react to writes of their own registers in
 * {@link #configWritten}. The host bridge maps BARs onto the buses; it learns of changes to
 * BARs or the command register through the {@link #setMappingListener mapping listener}.
 */
public abstract class PciFunction {
    public static final int VENDOR_ID = 0x00, DEVICE_ID = 0x02, COMMAND = 0x04, STATUS = 0x06;
    public static final int REVISION = 0x08, CLASS_PROG = 0x09, HEADER_TYPE = 0x0E;
    public static final int BAR0 = 0x10, SUBSYSTEM_VENDOR_ID = 0x2C, SUBSYSTEM_ID = 0x2E;
    public static final int CAPABILITIES = 0x34, INTERRUPT_LINE = 0x3C, INTERRUPT_PIN = 0x3D;
    public static final int COMMAND_IO = 1, COMMAND_MEMORY = 1 << 1, COMMAND_MASTER = 1 << 2;
    public static final int CONFIG_SIZE = 4096;

    /** What kind of space a BAR decodes. */
    public enum BarKind { IO, MEMORY32, MEMORY64 }

    private record Bar(BarKind kind, long size, boolean prefetchable) { }

    protected final byte[] config = new byte[CONFIG_SIZE];
    private final byte[] writeMask = new byte[CONFIG_SIZE];
    private final byte[] clearMask = new byte[CONFIG_SIZE];
    private final Bar[] bars = new Bar[6];
    private final String name;
    private Runnable mappingListener = () -> { };

    protected PciFunction(String name, int vendorId, int deviceId, int revision, int classCode,
                          int subsystemVendorId, int subsystemId) {
        this.name = name;
        set16(VENDOR_ID, vendorId);
        set16(DEVICE_ID, deviceId);
        set8(REVISION, revision);
        set8(CLASS_PROG, classCode);
        set8(CLASS_PROG + 1, classCode >> 8);
        set8(CLASS_PROG + 2, classCode >> 16);
        set16(SUBSYSTEM_VENDOR_ID, subsystemVendorId);
        set16(SUBSYSTEM_ID, subsystemId);
        // Command: I/O, memory, bus master, parity, SERR, INTx disable are the guest's to set.
        setWriteMask16(COMMAND, COMMAND_IO | COMMAND_MEMORY | COMMAND_MASTER | (1 << 6) | (1 << 8) | (1 << 10));
        // Status: the error bits are write-1-to-clear.
        setClearMask16(STATUS, 0xF900);
        setWriteMask8(INTERRUPT_LINE, 0xFF);
    }

    public final String name() {
        return name;
    }

    /** Called by the host bridge whenever a BAR or the command register changes. */
    public final void setMappingListener(Runnable listener) {
        this.mappingListener = listener;
    }

    /** A configuration read of 1, 2 or 4 bytes inside one dword. */
    public int configRead(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (config[offset + i] & 0xFF);
        }
        return v;
    }

    /** A configuration write of 1, 2 or 4 bytes inside one dword, through the write masks. */
    public void configWrite(int offset, int size, int value) {
        boolean remap = false;
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            int b = (value >>> (8 * i)) & 0xFF;
            int wm = writeMask[at] & 0xFF;
            int cm = clearMask[at] & 0xFF;
            int old = config[at] & 0xFF;
            int updated = (old & ~wm) | (b & wm);
            updated &= ~(b & cm);
            config[at] = (byte) updated;
            if ((at >= BAR0 && at < BAR0 + 24) || at == COMMAND) {
                remap |= updated != old;
            }
        }
        configWritten(offset, size, value);
        if (remap) {
            mappingListener.run();
        }
    }

    /** Hook for device registers with side effects; called after the masked bytes are stored. */
    protected void configWritten(int offset, int size, int value) {
    }

    /** Declares BAR {@code index} with a power-of-two {@code size}; a 64-bit BAR uses index+1 too. */
    protected final void declareBar(int index, BarKind kind, long size, boolean prefetchable) {
        if (Long.bitCount(size) != 1 || (kind == BarKind.IO && size < 4) || (kind != BarKind.IO && size < 16)) {
            throw new IllegalArgumentException("bad BAR size " + size);
        }
        bars[index] = new Bar(kind, size, prefetchable);
        int at = BAR0 + 4 * index;
        long mask = ~(size - 1);
        switch (kind) {
            case IO -> {
                set32(at, 1);
                setWriteMask32(at, (int) (mask & 0xFFFFFFFCL));
            }
            case MEMORY32 -> {
                set32(at, prefetchable ? 8 : 0);
                setWriteMask32(at, (int) (mask & 0xFFFFFFF0L));
            }
            case MEMORY64 -> {
                set32(at, 4 | (prefetchable ? 8 : 0));
                setWriteMask32(at, (int) (mask & 0xFFFFFFF0L));
                setWriteMask32(at + 4, (int) (mask >>> 32));
            }
        }
    }

    /** The kind of BAR {@code index}, or null when none is declared there. */
    public final BarKind barKind(int index) {
        return bars[index] == null ? null : bars[index].kind;
    }

    public final long barSize(int index) {
        return bars[index] == null ? 0 : bars[index].size;
    }

    /**
     * The address BAR {@code index} decodes at now, or -1 when it decodes nothing: no BAR, its
     * space disabled in the command register, or not yet programmed (zero).
     */
    public final long barAddress(int index) {
        Bar bar = bars[index];
        if (bar == null) {
            return -1;
        }
        int command = get16(COMMAND);
        int at = BAR0 + 4 * index;
        long address = switch (bar.kind) {
            case IO -> (command & COMMAND_IO) == 0 ? -1 : get32(at) & 0xFFFFFFFCL;
            case MEMORY32 -> (command & COMMAND_MEMORY) == 0 ? -1 : get32(at) & 0xFFFFFFF0L;
            case MEMORY64 -> (command & COMMAND_MEMORY) == 0 ? -1
                    : (get32(at) & 0xFFFFFFF0L) | ((get32(at + 4) & 0xFFFFFFFFL) << 32);
        };
        return address == 0 ? -1 : address;
    }

    /** The device's handler for BAR {@code index}; subclasses with BARs override this. */
    public RegionHandler barHandler(int index) {
        throw new IllegalStateException(name + " has no BAR " + index);
    }

    /** The access constraints of BAR {@code index}'s region. */
    public AccessConstraints barConstraints(int index) {
        return AccessConstraints.ANY;
    }

    public final boolean busMasterEnabled() {
        return (get16(COMMAND) & COMMAND_MASTER) != 0;
    }

    protected final void set8(int at, int v) {
        config[at] = (byte) v;
    }

    protected final void set16(int at, int v) {
        set8(at, v);
        set8(at + 1, v >> 8);
    }

    protected final void set32(int at, int v) {
        set16(at, v);
        set16(at + 2, v >> 16);
    }

    protected final int get8(int at) {
        return config[at] & 0xFF;
    }

    protected final int get16(int at) {
        return get8(at) | get8(at + 1) << 8;
    }

    protected final int get32(int at) {
        return get16(at) | get16(at + 2) << 16;
    }

    protected final void setWriteMask8(int at, int mask) {
        writeMask[at] = (byte) mask;
    }

    protected final void setWriteMask16(int at, int mask) {
        setWriteMask8(at, mask);
        setWriteMask8(at + 1, mask >> 8);
    }

    protected final void setWriteMask32(int at, int mask) {
        setWriteMask16(at, mask);
        setWriteMask16(at + 2, mask >> 16);
    }

    protected final void setClearMask16(int at, int mask) {
        clearMask[at] = (byte) mask;
        clearMask[at + 1] = (byte) (mask >> 8);
    }

    protected final void setClearMask8(int at, int mask) {
        clearMask[at] = (byte) mask;
    }

    @Override
    public String toString() {
        return String.format("%s [%04x:%04x]", name, get16(VENDOR_ID), get16(DEVICE_ID));
    }
}
