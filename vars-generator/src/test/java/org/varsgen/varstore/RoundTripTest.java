package org.varsgen.varstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

class RoundTripTest {
    @Test
    void everyStoreFixtureIsWrittenBackByteForByte() throws Exception {
        List<String> stores = FirmwareFixtures.list("*VARS*.fd");
        assertTrue(stores.size() >= 9, "expected the 9 VARS fixtures, found " + stores);
        for (String f : stores) {
            byte[] original = FirmwareFixtures.read(f);
            assertArrayEquals(original, VarStoreWriter.write(VarStoreParser.parse(original)), f);
        }
    }

    @Test
    void addingAVariableGivesAValidStore() throws Exception {
        VarStore empty = VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd"));
        Guid vendor = Guid.parse("01234567-89ab-cdef-0123-456789abcdef");
        VarStore one = empty.withVariable(vendor, "Test", 0x7, null, new byte[] {1, 2, 3});
        VarStore two = one.withVariable(vendor, "Test", 0x7, null, new byte[] {4, 5});
        byte[] bytes = VarStoreWriter.write(two);
        VarStore back = VarStoreParser.parse(bytes);
        assertEquals(2, back.records().size());
        assertEquals(1, back.variables().size());
        assertArrayEquals(new byte[] {4, 5}, back.find(vendor, "Test").orElseThrow().data());
        assertEquals(RecordState.DELETED, back.records().get(0).recordState());
        // The first record is 60 + 10 (name) + 3 = 73 bytes, padded to 76.
        assertEquals(0x64 + 76, back.records().get(1).offset());
        assertEquals(back.storeEnd() - 0x64 - 76 - 72, back.freeSpaceLength());
        assertTrue(back.freeSpaceErased());

        VarStore compact = VarStoreParser.parse(VarStoreWriter.write(back.compacted()));
        assertEquals(1, compact.records().size());
        assertEquals(0x64, compact.records().get(0).offset());
        assertArrayEquals(new byte[] {4, 5}, compact.find(vendor, "Test").orElseThrow().data());
    }

    @Test
    void writerRecomputesChecksums() throws Exception {
        byte[] b = FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd");
        VarStore s = VarStoreParser.parse(b);
        FirmwareVolumeHeader fv = s.volume();
        FirmwareVolumeHeader changed = new FirmwareVolumeHeader(fv.zeroVector(), fv.fileSystem(), fv.length(),
                fv.attributes() ^ 0x100, fv.headerLength(), 0, fv.extHeaderOffset(), fv.reserved(), fv.revision(),
                fv.blockMap(), fv.tail());
        VarStore t = new VarStore(s.prefix(), changed, s.storeHeader(), s.headerPadding(), s.records(),
                s.freeSpace(), s.gap(), s.workingBlock(), s.spare(), s.suffix());
        VarStore back = VarStoreParser.parse(VarStoreWriter.write(t));
        assertEquals(fv.attributes() ^ 0x100, back.volume().attributes());
        assertFalse(back.volume().checksum() == fv.checksum());
    }

    @Test
    void fullStoreIsReported() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read("debian-trixie/OVMF_VARS_4M.fd"));
        VarStoreException e = assertThrows(VarStoreException.class, () -> s.withVariable(
                KnownGuids.EFI_GLOBAL_VARIABLE, "Big", 7, null, new byte[0x40000]));
        assertTrue(e.getMessage().startsWith("variable store full"), e.getMessage());
    }
}
