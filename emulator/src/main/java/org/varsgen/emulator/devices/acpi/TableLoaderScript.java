package org.varsgen.emulator.devices.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The command script QEMU passes in fw_cfg file etc/table-loader and OVMF's
 * QemuFwCfgAcpiPlatformDxe executes (OvmfPkg/AcpiPlatformDxe/QemuLoader.h describes the
 * format): 128-byte little-endian entries that allocate fw_cfg blobs in guest memory, patch
 * pointers between them and fill checksums. Unused trailing entries are zero (command 0,
 * which the firmware skips); QEMU pads the script to 4 KiB, and so do we.
 */
public final class TableLoaderScript {
    public static final int ENTRY_SIZE = 128;
    public static final int ALLOCATE = 1, ADD_POINTER = 2, ADD_CHECKSUM = 3;
    /** Allocation zones: anywhere below 4 GiB, or the legacy F segment. */
    public static final int ZONE_HIGH = 1, ZONE_FSEG = 2;
    private static final int FILE_NAME_SIZE = 56;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public TableLoaderScript allocate(String file, int align, int zone) {
        byte[] e = entry(ALLOCATE);
        name(e, 4, file);
        putLe(e, 4 + FILE_NAME_SIZE, align, 4);
        e[4 + FILE_NAME_SIZE + 4] = (byte) zone;
        out.writeBytes(e);
        return this;
    }

    /** Adds the address of {@code source}'s allocation to the {@code size}-byte field at {@code offset} of {@code dest}. */
    public TableLoaderScript addPointer(String dest, String source, int offset, int size) {
        byte[] e = entry(ADD_POINTER);
        name(e, 4, dest);
        name(e, 4 + FILE_NAME_SIZE, source);
        putLe(e, 4 + 2 * FILE_NAME_SIZE, offset, 4);
        e[4 + 2 * FILE_NAME_SIZE + 4] = (byte) size;
        out.writeBytes(e);
        return this;
    }

    /** Sets the byte at {@code resultOffset} so that {@code length} bytes from {@code start} sum to zero. */
    public TableLoaderScript addChecksum(String file, int resultOffset, int start, int length) {
        byte[] e = entry(ADD_CHECKSUM);
        name(e, 4, file);
        putLe(e, 4 + FILE_NAME_SIZE, resultOffset, 4);
        putLe(e, 4 + FILE_NAME_SIZE + 4, start, 4);
        putLe(e, 4 + FILE_NAME_SIZE + 8, length, 4);
        out.writeBytes(e);
        return this;
    }

    /** The script, zero-padded to a multiple of {@code padTo} bytes. */
    public byte[] bytes(int padTo) {
        byte[] b = out.toByteArray();
        int size = (b.length + padTo - 1) / padTo * padTo;
        return java.util.Arrays.copyOf(b, Math.max(size, padTo));
    }

    private static byte[] entry(int command) {
        byte[] e = new byte[ENTRY_SIZE];
        putLe(e, 0, command, 4);
        return e;
    }

    private static void name(byte[] e, int at, String file) {
        byte[] n = file.getBytes(StandardCharsets.US_ASCII);
        if (n.length >= FILE_NAME_SIZE) {
            throw new IllegalArgumentException("loader file name too long: " + file);
        }
        System.arraycopy(n, 0, e, at, n.length);
    }

    static void putLe(byte[] b, int at, long v, int size) {
        for (int i = 0; i < size; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
