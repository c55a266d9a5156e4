package org.varsgen.varstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

/** Empty stores built from the known layouts match edk2's templates and the figures in ../shared/docs. */
class LayoutTest {
    @Test
    void blankOvmf4MIsDebiansTemplate() {
        assertArrayEquals(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd"),
                VarStoreWriter.write(VarStore.blank(VarStoreLayout.OVMF_4M)));
    }

    @Test
    void blankOvmf2MHasTheDocumentedChecksumAndParses() throws Exception {
        byte[] b = VarStoreWriter.write(VarStore.blank(VarStoreLayout.OVMF_2M));
        assertEquals(131072, b.length);
        VarStore s = VarStoreParser.parse(b);
        assertEquals(0xF919, s.volume().checksum());
        assertEquals(0xE000, s.storeEnd());
        assertEquals(0xF000, s.workingBlockOffset());
        assertEquals(0x10000, s.spareOffset());
        assertEquals(0x642CAF2CL, s.workingBlock().crc());
    }

    @Test
    void blankArmVirtHasTheDocumentedWorkingBlockCrcAndParses() throws Exception {
        byte[] b = VarStoreWriter.write(VarStore.blank(VarStoreLayout.ARMVIRT));
        VarStore s = VarStoreParser.parse(b);
        assertEquals(0xC0000, b.length);
        assertEquals(0x40000, s.workingBlockOffset());
        assertEquals(0x80000, s.spareOffset());
        assertEquals(0x86C6E75BL, s.workingBlock().crc());
        assertArrayEquals(b, VarStoreWriter.write(s));
    }
}
