package org.varsgen.emulator.devices.smbios;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one SMBIOS structure: the formatted area (type, length, handle, fields in order,
 * little-endian) followed by its string set, each string NUL-terminated, and a final NUL (two
 * NULs when there are no strings), as the SMBIOS specification lays it out.
 */
final class SmbiosStructure {
    private final ByteArrayOutputStream formatted = new ByteArrayOutputStream();
    private final List<String> strings = new ArrayList<>();

    SmbiosStructure(int type, int handle) {
        u8(type);
        u8(0); // length, patched in bytes()
        u16(handle);
    }

    SmbiosStructure u8(int v) {
        formatted.write(v);
        return this;
    }

    SmbiosStructure u16(int v) {
        return u8(v).u8(v >> 8);
    }

    SmbiosStructure u32(long v) {
        return u16((int) v).u16((int) (v >> 16));
    }

    SmbiosStructure u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    SmbiosStructure zeros(int n) {
        for (int i = 0; i < n; i++) {
            u8(0);
        }
        return this;
    }

    /** A string field: its number in the string set, or 0 for none (null or empty). */
    SmbiosStructure string(String s) {
        if (s == null || s.isEmpty()) {
            return u8(0);
        }
        strings.add(s);
        return u8(strings.size());
    }

    /** A string in the set that no field refers to by number (type 11 counts its strings instead). */
    SmbiosStructure unreferencedString(String s) {
        strings.add(s);
        return this;
    }

    byte[] bytes() {
        byte[] head = formatted.toByteArray();
        head[1] = (byte) head.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        for (String s : strings) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        if (strings.isEmpty()) {
            out.write(0);
        }
        out.write(0);
        return out.toByteArray();
    }
}
