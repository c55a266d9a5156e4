package org.varsgen.emulator.devices.smbios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The builder beyond Debian's machine (which FwCfgQemuCaptureTest compares with QEMU byte for byte). */
class SmbiosTablesTest {
    /** The formatted areas of all structures, in order. */
    private static List<byte[]> structures(byte[] t) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < t.length) {
            int length = t[at + 1] & 0xFF;
            out.add(java.util.Arrays.copyOfRange(t, at, at + length));
            int end = at + length;
            while (t[end] != 0 || t[end + 1] != 0) {
                end++;
            }
            at = end + 2;
        }
        return out;
    }

    private static List<byte[]> ofType(List<byte[]> all, int type) {
        return all.stream().filter(s -> (s[0] & 0xFF) == type).toList();
    }

    @Test
    void coresAndLargeMemory() {
        byte[] t = new SmbiosTables(SmbiosTables.q35(20L << 30, 2, List.of())).tables();
        List<byte[]> all = structures(t);
        byte[] cpu = ofType(all, 4).get(0);
        assertEquals(1, ofType(all, 4).size(), "one socket");
        assertEquals(2, cpu[0x23], "cores");
        assertEquals(2, cpu[0x25], "threads");
        List<byte[]> dimms = ofType(all, 17);
        assertEquals(2, dimms.size(), "16 GiB per DIMM");
        assertEquals(0x4000, (dimms.get(0)[0x0C] & 0xFF) | (dimms.get(0)[0x0D] & 0xFF) << 8, "16384 MB");
        assertEquals(0x1000, (dimms.get(1)[0x0C] & 0xFF) | (dimms.get(1)[0x0D] & 0xFF) << 8, "4096 MB");
        List<byte[]> ranges = ofType(all, 19);
        assertEquals(2, ranges.size(), "below and above 4 GiB");
        assertEquals(0x1301, (ranges.get(1)[2] & 0xFF) | (ranges.get(1)[3] & 0xFF) << 8);
        assertEquals(127, all.get(all.size() - 1)[0]);
        byte[] anchor = new SmbiosTables(SmbiosTables.q35(20L << 30, 2, List.of())).anchor();
        assertEquals(all.size(), anchor[28]);
        assertEquals(t.length, (anchor[22] & 0xFF) | (anchor[23] & 0xFF) << 8);
    }

    @Test
    void rejectsOemStringsSmbiosCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> new SmbiosTables(SmbiosTables.q35(256L << 20, 1, List.of(""))));
        assertThrows(IllegalArgumentException.class, () -> new SmbiosTables(SmbiosTables.q35(256L << 20, 1, List.of("a\0b"))));
    }
}
