package org.varsgen.varstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

class VarStoreParserTest {
    private static final String MS = "debian-trixie/OVMF_VARS_4M.ms.fd";
    private static final String EMPTY = "debian-trixie/OVMF_VARS_4M.fd";

    @Test
    void debianMsStoreHas21LiveVariablesAmong39Records() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read(MS));
        assertEquals(39, s.records().size());
        assertEquals(21, s.variables().size());
        assertEquals(18, s.inactiveRecords().size());
        assertEquals(0, s.volumeOffset());
        assertEquals(0x84000, s.volume().length());
        assertEquals(List.of(new BlockMapEntry(132, 0x1000)), s.volume().blockMap());
        assertEquals(0xB8AF, s.volume().checksum());
        assertEquals(0x3FFB8, s.storeHeader().size());
        assertEquals(0x40000, s.storeEnd());
        assertEquals(0x41000, s.workingBlockOffset());
        assertEquals(0xFE0, s.workingBlock().writeQueueSize());
        assertEquals(0x642CAF2CL, s.workingBlock().crc());
        assertTrue(s.workingBlock().isValid());
        assertEquals(0x42000, s.spareOffset());
        assertEquals(0x42000, s.spareLength());
        assertTrue(s.spareErased());
        assertTrue(s.freeSpaceErased());
        // Every live variable is unique per (GUID, name), and all are in the added state.
        assertEquals(21, s.variables().stream().map(VariableRecord::key).distinct().count());
        assertTrue(s.variables().stream().allMatch(r -> r.recordState() == RecordState.ADDED));
    }

    @Test
    void recordFieldsOfPk() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read(MS));
        VariableRecord pk = s.find(KnownGuids.EFI_GLOBAL_VARIABLE, "PK").orElseThrow();
        assertEquals(0x2CAC, pk.offset());
        assertEquals(0x27, pk.attributes());
        assertEquals(1005, pk.data().length);
        assertEquals(0, pk.monotonicCount());
        assertEquals(0, pk.pubKeyIndex());
        assertEquals("2026-01-04 18:19:20", pk.time().toString());
        assertEquals(2026, pk.time().year());
        assertEquals(EfiTime.of(2026, 1, 4, 18, 19, 20), pk.time());
        assertEquals("ea070104121314000000000000000000", pk.time().hex());
        // The name "PK" and the time-based attribute put the data at header + 6 bytes of name.
        assertEquals(0x2CAC + 60 + 6, pk.dataOffset());
    }

    @Test
    void secureBootState() throws Exception {
        SecureBootState ms = SecureBootState.of(VarStoreParser.parse(FirmwareFixtures.read(MS)));
        assertFalse(ms.setupMode());
        assertEquals(1, ms.secureBootEnable());
        assertEquals(0, ms.customMode());
        SecureBootState empty = SecureBootState.of(VarStoreParser.parse(FirmwareFixtures.read(EMPTY)));
        assertTrue(empty.setupMode());
        assertEquals(null, empty.secureBootEnable());
        assertEquals("setup mode (no PK), SecureBootEnable absent, CustomMode absent", empty.describe());
    }

    @Test
    void emptyTemplateHasNoRecords() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read(EMPTY));
        assertEquals(0, s.records().size());
        assertEquals(0x40000 - 0x64, s.freeSpaceLength());
    }

    @Test
    void recordInDeletionIsLiveOnlyWithoutAnAddedCopy() throws Exception {
        byte[] b = FirmwareFixtures.read(MS);
        // The live CustomMode record at 0x3194 (0x3F) becomes "in deletion": it stays the live copy.
        b[0x3194 + 2] = (byte) RecordState.IN_DELETION_BYTE;
        VarStore s = VarStoreParser.parse(b);
        VariableRecord cm = s.find(KnownGuids.CUSTOM_MODE, "CustomMode").orElseThrow();
        assertEquals(0x3194, cm.offset());
        assertEquals(RecordState.IN_DELETION, cm.recordState());
        assertEquals(21, s.variables().size());
        // A deleted copy earlier in the store turned "in deletion" while a 0x3F copy exists: not live.
        b = FirmwareFixtures.read(MS);
        b[0x14F0 + 2] = (byte) RecordState.IN_DELETION_BYTE;
        s = VarStoreParser.parse(b);
        assertEquals(0x3194, s.find(KnownGuids.CUSTOM_MODE, "CustomMode").orElseThrow().offset());
        assertEquals(21, s.variables().size());
    }

    @Test
    void variablesAreKeyedByGuidAndName() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read(MS));
        assertTrue(s.find(KnownGuids.EFI_GLOBAL_VARIABLE, "CustomMode").isEmpty());
        assertTrue(s.find(KnownGuids.IMAGE_SECURITY_DATABASE, "PK").isEmpty());
        assertTrue(s.find(KnownGuids.IMAGE_SECURITY_DATABASE, "db").isPresent());
    }

    @Test
    void findsTheVolumeInACombinedImage() throws Exception {
        byte[] vars = FirmwareFixtures.read(MS);
        byte[] code = FirmwareFixtures.read("debian-trixie/OVMF_CODE_4M.fd");
        // A code volume first (its own FV, other file system GUID), then the vars at a 1 KiB boundary.
        byte[] combined = new byte[0x2400 + vars.length + 0x1000];
        System.arraycopy(code, 0, combined, 0, 0x2400);
        System.arraycopy(vars, 0, combined, 0x2400, vars.length);
        Arrays.fill(combined, 0x2400 + vars.length, combined.length, (byte) 0x5A);
        VarStore s = VarStoreParser.parse(combined);
        assertEquals(0x2400, s.volumeOffset());
        assertEquals(21, s.variables().size());
        assertEquals(0x2400 + 0x2CAC, s.find(KnownGuids.EFI_GLOBAL_VARIABLE, "PK").orElseThrow().offset());
        assertArrayEquals(combined, VarStoreWriter.write(s));
    }

    @Test
    void firmwareCodeIsNotAVarStore() {
        byte[] code = FirmwareFixtures.read("debian-trixie/OVMF_CODE_4M.fd");
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(code));
        assertTrue(e.getMessage().startsWith("not a variable store"), e.getMessage());
    }

    @Test
    void rejectsTheNonAuthenticatedStore() {
        byte[] b = FirmwareFixtures.read(EMPTY);
        VariableStoreHeader.NON_AUTHENTICATED.write(b, 0x48);
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(b));
        assertTrue(e.getMessage().startsWith("non-authenticated variable store (GUID ddcf3616-"), e.getMessage());
        assertEquals(0x48, e.offset());
    }

    @Test
    void rejectsABadVolumeChecksum() {
        byte[] b = FirmwareFixtures.read(MS);
        b[0x2C] ^= 0x01; // attributes
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(b));
        assertEquals("firmware volume header checksum 0xb8af is wrong (expected 0xb8b0) (at offset 0x32)",
                e.getMessage());
    }

    @Test
    void rejectsAFileShorterThanItsVolume() {
        byte[] b = Arrays.copyOf(FirmwareFixtures.read(MS), 0x80000);
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(b));
        assertTrue(e.problem().startsWith("firmware volume length 0x84000 does not fit the file"), e.getMessage());
        assertEquals(0x20, e.offset());
    }

    @Test
    void rejectsATruncatedVariable() {
        byte[] b = FirmwareFixtures.read(MS);
        Le.put32(b, 0x3194 + 40, 0x40000); // CustomMode's data size now runs past the store's end
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(b));
        assertTrue(e.problem().startsWith("truncated variable"), e.getMessage());
        assertEquals(0x3194, e.offset());
    }

    @Test
    void rejectsABadWorkingBlockCrc() {
        byte[] b = FirmwareFixtures.read(EMPTY);
        b[0x41000 + 24] ^= 0x10; // WriteQueueSize 0xFE0 -> 0xFF0 without fixing the CRC
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(b));
        assertTrue(e.problem().startsWith("fault-tolerant-write working block CRC-32 0x642caf2c is wrong"),
                e.getMessage());
        assertEquals(0x41010, e.offset());
    }

    @Test
    void rejectsAStoreWithoutWorkingBlock() {
        byte[] b = FirmwareFixtures.read(EMPTY);
        Arrays.fill(b, 0x41000, 0x41010, (byte) 0xFF);
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(b));
        assertTrue(e.problem().startsWith("no fault-tolerant-write working block"), e.getMessage());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(VarStoreException.class, () -> VarStoreParser.parse(new byte[0]));
        VarStoreException e = assertThrows(VarStoreException.class, () -> VarStoreParser.parse(new byte[4096]));
        assertTrue(e.getMessage().startsWith("not a variable store"), e.getMessage());
    }

    @Test
    void deletedRecordsAreKeptInStoreOrder() throws Exception {
        VarStore s = VarStoreParser.parse(FirmwareFixtures.read(MS));
        List<String> names = s.inactiveRecords().stream().map(VariableRecord::name).collect(Collectors.toList());
        assertEquals("CustomMode", names.get(0));
        assertEquals("VendorKeysNv", names.get(1));
        assertTrue(s.inactiveRecords().stream().allMatch(r -> r.recordState() == RecordState.DELETED));
    }
}
