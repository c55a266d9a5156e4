package org.varsgen.varstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;
import org.varsgen.varstore.decode.DevicePathText;
import org.varsgen.varstore.decode.LoadOption;
import org.varsgen.varstore.decode.ValueDecoder;
import org.varsgen.varstore.sig.SignatureEntry;
import org.varsgen.varstore.sig.SignatureList;
import org.varsgen.varstore.sig.SignatureTypes;

class DecodeTest {
    @Test
    void bootOptionOfTheQemuDisk() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd"));
        LoadOption o = LoadOption.decode(s.find(KnownGuids.EFI_GLOBAL_VARIABLE, "Boot0001").orElseThrow().data());
        assertEquals("UEFI QEMU HARDDISK QM00001 ", o.description());
        assertEquals(1, o.attributes());
        assertEquals("PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0)", DevicePathText.render(o.devicePath()));
        assertEquals(16, o.optionalData().length);
    }

    @Test
    void consoleDevicePaths() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd"));
        VariableRecord conIn = s.find(KnownGuids.EFI_GLOBAL_VARIABLE, "ConIn").orElseThrow();
        assertEquals("PciRoot(0x0)/Pci(0x1F,0x0)/Acpi(PNP0303,0x0),"
                        + "PciRoot(0x0)/Pci(0x1F,0x0)/Serial(0x0)/Uart(115200,8,N,1)/VenUtf8(),"
                        + "PciRoot(0x0)/Pci(0x1F,0x0)/Serial(0x1)/Uart(115200,8,N,1)/VenUtf8(),"
                        + "UsbClass(0xFFFF,0xFFFF,0x3,0x1,0x1)",
                ValueDecoder.decode(conIn.key(), conIn.data()));
    }

    @Test
    void hardDiskFilePathAndUnknownNodes() {
        byte[] hd = new byte[42];
        hd[0] = 4;
        hd[1] = 1;
        Le.put16(hd, 2, 42);
        Le.put32(hd, 4, 1);
        Le.put64(hd, 8, 0x800);
        Le.put64(hd, 16, 0x100000);
        Guid.parse("0fc63daf-8483-4772-8e79-3d69d8477de4").write(hd, 24);
        hd[40] = 2;
        hd[41] = 2;
        String file = "\\EFI\\BOOT\\BOOTX64.EFI";
        byte[] fp = new byte[4 + 2 * (file.length() + 1)];
        fp[0] = 4;
        fp[1] = 4;
        Le.put16(fp, 2, fp.length);
        for (int i = 0; i < file.length(); i++) {
            Le.put16(fp, 4 + 2 * i, file.charAt(i));
        }
        byte[] odd = {5, 1, 6, 0, (byte) 0xAB, (byte) 0xCD};
        byte[] end = {0x7F, (byte) 0xFF, 4, 0};
        byte[] path = concat(hd, fp, odd, end);
        assertEquals("HD(1,GPT,0fc63daf-8483-4772-8e79-3d69d8477de4,0x800,0x100000)/\\EFI\\BOOT\\BOOTX64.EFI"
                + "/Path(5,1,abcd)", DevicePathText.render(path));
        assertTrue(DevicePathText.render(new byte[] {1, 1, 2, 0}).startsWith("[malformed device path node at byte 0"));
        assertTrue(DevicePathText.render(new byte[] {1, 1, 6, 0, 0, 0}).endsWith("[no end node]"));
    }

    @Test
    void simpleValues() {
        VariableKey bootOrder = new VariableKey(KnownGuids.EFI_GLOBAL_VARIABLE, "BootOrder");
        assertEquals("Boot0000, Boot0001", ValueDecoder.decode(bootOrder, new byte[] {0, 0, 1, 0}));
        assertNull(ValueDecoder.decode(bootOrder, new byte[] {0, 0, 1}));
        assertEquals("\"en-US\"", ValueDecoder.decode(new VariableKey(KnownGuids.EFI_GLOBAL_VARIABLE, "PlatformLang"),
                "en-US\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals("1 (on)", ValueDecoder.decode(new VariableKey(KnownGuids.SECURE_BOOT_ENABLE, "SecureBootEnable"),
                new byte[] {1}));
        assertNull(ValueDecoder.decode(new VariableKey(KnownGuids.CUSTOM_MODE, "SecureBootEnable"), new byte[] {1}));
        assertNull(LoadOption.decode(new byte[] {1, 0, 0, 0, 9, 0, 'A', 0}));
    }

    @Test
    void signatureListsOfTheMsStore() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.ms.fd"));
        VariableRecord dbx = s.find(KnownGuids.IMAGE_SECURITY_DATABASE, "dbx").orElseThrow();
        List<SignatureEntry> e = SignatureList.entriesOf(SignatureList.parseAll(dbx.data(), dbx.dataOffset()));
        assertEquals(1, e.size());
        assertEquals(SignatureTypes.SHA256, e.get(0).type());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Le.hex(e.get(0).data()));
        assertEquals(Guid.parse("a0baa8a3-041d-48a8-bc87-c36d121b5e3d"), e.get(0).owner());

        VariableRecord pk = s.find(KnownGuids.EFI_GLOBAL_VARIABLE, "PK").orElseThrow();
        SignatureEntry cert = SignatureList.entriesOf(SignatureList.parseAll(pk.data(), pk.dataOffset())).get(0);
        assertEquals(KnownGuids.EFI_GLOBAL_VARIABLE, cert.owner());
        assertTrue(cert.certificate().subject().contains("CN=Debian UEFI Secure Boot (PK/KEK key)"));
        assertEquals("4501ee393e52297836df8542c8e57bbb88d14b37", cert.certificate().serial());
        // The list re-encodes to the variable's exact bytes.
        assertEquals(Le.hex(pk.data()), Le.hex(SignatureList.encode(SignatureTypes.X509, List.of(cert))));
    }

    @Test
    void malformedSignatureListNamesTheOffset() {
        byte[] data = new byte[40];
        SignatureTypes.SHA256.write(data, 0);
        Le.put32(data, 16, 400);
        VarStoreException e = assertThrows(VarStoreException.class, () -> SignatureList.parseAll(data, 0x1000));
        assertEquals(0x1010, e.offset());
        SignatureTypes.SHA256.write(data, 0);
        Le.put32(data, 16, 40);
        Le.put32(data, 24, 5);
        assertThrows(VarStoreException.class, () -> SignatureList.parseAll(data, 0));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
