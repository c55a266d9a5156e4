package org.varsgen.emulator.devices.fwcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * Compares our q35 fw_cfg with what QEMU 7.2 presented on Debian's command line, captured by
 * scripts/capture-qemu-fwcfg.sh into src/test/resources/qemu-fwcfg/{plain,oem}.
 */
class FwCfgQemuCaptureTest {
    private static final String KVMVAPIC = "genroms/kvmvapic.bin";

    private static FwCfg build(String variant) throws IOException {
        List<String> oem = variant.equals("oem") ? List.of(resource("oem-string-vendor").trim()) : List.of();
        return Q35FwCfg.create(new RamOnlyMemory(1 << 20), new Q35FwCfg.Config(256L << 20, 1, oem)).fwCfg();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "oem"})
    void directoryMatchesQemuExceptTheOptionRom(String variant) throws IOException {
        FwCfg fw = build(variant);
        List<String> expected = new ArrayList<>();
        for (String line : resource(variant + "/directory.tsv").split("\n")) {
            String[] f = line.split("\t");
            if (!f[2].equals(KVMVAPIC)) { // deliberately absent: QEMU's SeaBIOS option ROM
                expected.add(f[0] + " " + f[1] + " " + f[2]);
            }
        }
        // Read the directory as the firmware does, through the ports.
        RegionHandler port = fw.portHandler();
        port.write(0, 2, FwCfg.FILE_DIR);
        int count = (int) readBe(port, 4);
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long size = readBe(port, 4);
            int select = (int) readBe(port, 2);
            readBe(port, 2);
            byte[] name = new byte[56];
            for (int j = 0; j < 56; j++) {
                name[j] = (byte) port.read(1, 1);
            }
            String n = new String(name, StandardCharsets.US_ASCII).replace("\0", "");
            actual.add(String.format("%04x %d %s", select, size, n));
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "oem"})
    void fileContentsMatchQemu(String variant) throws IOException {
        FwCfg fw = build(variant);
        int compared = 0;
        for (String line : resource(variant + "/directory.tsv").split("\n")) {
            String name = line.split("\t")[2];
            if (name.startsWith("etc/acpi/") || name.equals("etc/table-loader") || name.equals(KVMVAPIC)) {
                continue; // our own ACPI tables (sizes compared above); no option ROM
            }
            byte[] expected = resourceBytes(variant + "/files/" + name);
            fw.select(fw.selectorOf(name));
            byte[] actual = new byte[expected.length];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = (byte) fw.readDataByte();
            }
            assertArrayEquals(expected, actual, name);
            compared++;
        }
        assertEquals(11, compared);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "oem"})
    void legacyItemsMatchQemu(String variant) throws IOException {
        FwCfg fw = build(variant);
        for (String line : resource(variant + "/legacy.tsv").split("\n")) {
            String[] f = line.split("\t");
            byte[] expected = HexFormat.of().parseHex(f[1]);
            fw.select(Integer.parseInt(f[0], 16));
            byte[] actual = new byte[expected.length];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = (byte) fw.readDataByte();
            }
            assertArrayEquals(expected, actual, "key " + f[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "oem"})
    void smbiosTablesCarryTheOemStringExactly(String variant) throws IOException {
        FwCfg fw = build(variant);
        byte[] tables = fw.file("etc/smbios/smbios-tables").data();
        String oem = resource("oem-string-vendor").trim();
        assertTrue(oem.startsWith("4e32566d-8e9e-4f52-81d3-5bb9715f9727:MII"));
        List<String> type11 = new ArrayList<>();
        int at = 0;
        while (at < tables.length) { // walk the structures: formatted area, then strings up to a double NUL
            int type = tables[at] & 0xFF;
            int end = at + (tables[at + 1] & 0xFF);
            int count = tables[at + 4] & 0xFF;
            List<String> strings = new ArrayList<>();
            while (tables[end] != 0) {
                int start = end;
                while (tables[end] != 0) {
                    end++;
                }
                strings.add(new String(tables, start, end - start, StandardCharsets.US_ASCII));
                end++;
            }
            if (type == 11) {
                assertEquals(count, strings.size());
                type11.addAll(strings);
            }
            at = end + (strings.isEmpty() ? 2 : 1);
        }
        assertEquals(tables.length, at);
        assertEquals(variant.equals("oem") ? List.of(oem) : List.of(), type11);
    }

    private static long readBe(RegionHandler port, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | port.read(1, 1);
        }
        return v;
    }

    static String resource(String name) throws IOException {
        return new String(resourceBytes(name), StandardCharsets.US_ASCII);
    }

    static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = FwCfgQemuCaptureTest.class.getResourceAsStream("/qemu-fwcfg/" + name)) {
            if (in == null) {
                throw new IOException("test resource missing: qemu-fwcfg/" + name);
            }
            return in.readAllBytes();
        }
    }
}
