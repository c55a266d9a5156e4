package org.varsgen.emulator.devices.acpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Runs our etc/table-loader the way OVMF's QemuFwCfgAcpiPlatformDxe does (allocate every blob,
 * apply pointers and checksums, then install each table an ADD_POINTER points at, except RSDT
 * and XSDT, recognising the FACS by signature and others by a valid length and checksum) and
 * checks what the firmware ends up with.
 */
class AcpiTablesTest {
    /** Guest "memory": each allocated blob at a fake base address. */
    private final Map<String, byte[]> blobs = new LinkedHashMap<>();
    private final Map<String, Long> bases = new LinkedHashMap<>();
    private final List<String> installed = new ArrayList<>();

    @Test
    void ovmfsLoaderInstallsFacsDsdtFadtAndMadt() {
        AcpiTables acpi = new AcpiTables(1);
        Map<String, byte[]> files = Map.of(AcpiTables.TABLES_FILE, acpi.tablesBlob(),
                AcpiTables.RSDP_FILE, acpi.rsdpBlob());
        byte[] script = acpi.loaderScript();
        assertEquals(AcpiTables.LOADER_SIZE, script.length);
        assertEquals(AcpiTables.TABLES_BLOB_SIZE, acpi.tablesBlob().length);
        assertEquals(20, acpi.rsdpBlob().length);

        long nextBase = 0x7000000;
        for (int at = 0; at < script.length; at += 128) {
            switch ((int) le(script, at, 4)) {
                case TableLoaderScript.ALLOCATE -> {
                    String file = name(script, at + 4);
                    blobs.put(file, files.get(file).clone());
                    bases.put(file, nextBase);
                    nextBase += 0x100000;
                }
                case TableLoaderScript.ADD_POINTER -> {
                    byte[] dest = blobs.get(name(script, at + 4));
                    long source = bases.get(name(script, at + 60));
                    int offset = (int) le(script, at + 116, 4);
                    int size = script[at + 120];
                    put(dest, offset, le(dest, offset, size) + source, size);
                }
                case TableLoaderScript.ADD_CHECKSUM -> {
                    byte[] b = blobs.get(name(script, at + 4));
                    int result = (int) le(script, at + 60, 4);
                    int start = (int) le(script, at + 64, 4);
                    int length = (int) le(script, at + 68, 4);
                    b[result] = (byte) -sum(b, start, length);
                }
                case 0 -> { } // padding: OVMF skips unknown commands
                default -> throw new AssertionError("unexpected command at " + at);
            }
        }
        // Second pass: install what each ADD_POINTER points at.
        for (int at = 0; at < script.length; at += 128) {
            if (le(script, at, 4) == TableLoaderScript.ADD_POINTER) {
                byte[] dest = blobs.get(name(script, at + 4));
                long pointer = le(dest, (int) le(script, at + 116, 4), script[at + 120]);
                install(name(script, at + 60), pointer);
            }
        }
        assertEquals(List.of("FACS", "DSDT", "FACP", "APIC"), installed);

        byte[] rsdp = blobs.get(AcpiTables.RSDP_FILE);
        assertEquals("RSD PTR ", new String(rsdp, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(0, sum(rsdp, 0, 20) & 0xFF);
        byte[] tables = blobs.get(AcpiTables.TABLES_FILE);
        int rsdt = (int) (le(rsdp, 16, 4) - bases.get(AcpiTables.TABLES_FILE));
        assertEquals("RSDT", new String(tables, rsdt, 4, StandardCharsets.US_ASCII));

        int fadt = find(tables, "FACP");
        assertEquals(0x604, le(tables, fadt + 64, 4), "PM1a control block, where ResetSystemLib writes S5");
        assertEquals(0x608, le(tables, fadt + 76, 4), "PM timer");
        assertEquals(0x32, tables[fadt + 108], "RTC century index, read by PcRtc");
        assertEquals(0xCF9, le(tables, fadt + 116 + 4, 8));
        int dsdt = (int) (le(tables, fadt + 40, 4) - bases.get(AcpiTables.TABLES_FILE));
        assertTrue(new String(tables, dsdt, (int) le(tables, dsdt + 4, 4), StandardCharsets.ISO_8859_1).contains("_S5_"));
        int facs = (int) (le(tables, fadt + 36, 4) - bases.get(AcpiTables.TABLES_FILE));
        assertEquals(0, facs % 64, "the FACS must be 64-byte aligned");
    }

    private void install(String file, long pointer) {
        byte[] blob = blobs.get(file);
        int offset = (int) (pointer - bases.get(file));
        assertTrue(offset >= 0 && offset < blob.length);
        String sig = new String(blob, offset, 4, StandardCharsets.US_ASCII);
        int length = (int) le(blob, offset + 4, 4);
        if (!sig.equals("FACS")) {
            assertEquals(0, sum(blob, offset, length) & 0xFF, sig + " checksum");
        }
        if (!sig.equals("RSDT") && !sig.equals("XSDT") && !installed.contains(sig)) {
            installed.add(sig);
        }
    }

    private static int find(byte[] b, String sig) {
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf(sig);
        assertTrue(at >= 0, sig + " not found");
        return at;
    }

    private static int sum(byte[] b, int start, int length) {
        int s = 0;
        for (int i = start; i < start + length; i++) {
            s += b[i];
        }
        return s;
    }

    private static String name(byte[] b, int at) {
        return new String(b, at, 56, StandardCharsets.US_ASCII).replace("\0", "");
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static void put(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
