package org.varsgen.emulator.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bus reconciles valid and impl constraints exactly like QEMU's memory core. */
class AccessSizeRulesTest {
    private final IoSpace io = new IoSpace();

    private RecordingHandler device(int port, int size, AccessConstraints c) {
        RecordingHandler h = new RecordingHandler(size);
        io.add(Region.mmio("dev", port, size, h, c));
        return h;
    }

    @Test
    void wideAccessIsSplitIntoImplPiecesLittleEndian() {
        RecordingHandler h = device(0x100, 8, AccessConstraints.of(1, 4, 1, 1));
        assertEquals(0x13121110L, io.read(0x100, 4));
        assertEquals(List.of("R 0 1", "R 1 1", "R 2 1", "R 3 1"), h.calls);
        h.calls.clear();
        io.write(0x104, 4, 0xAABBCCDDL);
        assertEquals(List.of("W 4 1 0xdd", "W 5 1 0xcc", "W 6 1 0xbb", "W 7 1 0xaa"), h.calls);
        assertEquals(0xAABBL, io.read(0x106, 2));
    }

    @Test
    void narrowAccessIsWidenedAtTheSameOffsetAndTruncated() {
        RecordingHandler h = device(0x200, 8, AccessConstraints.of(1, 4, 4, 4));
        // QEMU widens in place: a byte read at offset 1 becomes a dword read at offset 1.
        assertEquals(0x11L, io.read(0x201, 1));
        assertEquals(List.of("R 1 4"), h.calls);
        h.calls.clear();
        // A narrow write is zero-extended, not merged with the old contents.
        io.write(0x200, 2, 0x1234);
        assertEquals(List.of("W 0 4 0x1234"), h.calls);
    }

    @Test
    void accessOutsideValidIsRejectedReadsZeroAndNeverReachesTheDevice() {
        RecordingHandler h = device(0x300, 4, AccessConstraints.of(1, 1, 1, 1));
        assertEquals(0L, io.read(0x300, 4));
        io.write(0x300, 2, 0xFFFF);
        assertTrue(h.calls.isEmpty());
        assertEquals(0x10L, io.read(0x300, 1));
    }

    @Test
    void unalignedAccessIsRejectedUnlessDeclaredValid() {
        RecordingHandler strict = device(0x400, 4, AccessConstraints.of(1, 4, 1, 4));
        assertEquals(0L, io.read(0x401, 2));
        assertTrue(strict.calls.isEmpty());
        RecordingHandler lax = device(0x500, 4, new AccessConstraints(1, 4, true, 1, 4, true));
        assertEquals(0x1211L, io.read(0x501, 2));
        assertEquals(List.of("R 1 2"), lax.calls);
    }

    @Test
    void unclaimedPortsReadAllOnesAndTraceAsIo() {
        StringWriter out = new StringWriter();
        BusTrace trace = new BusTrace(out);
        io.setTrace(trace);
        assertEquals(0xFFL, io.read(0x2FF, 1));
        assertEquals(0xFFFFFFFFL, io.read(0x2FC, 4));
        io.write(0x2FF, 1, 0x55);
        trace.flush();
        assertEquals("R io 0x2ff 1 0xffffffffffffffff\nR io 0x2fc 4 0xffffffffffffffff\nW io 0x2ff 1 0x55\n",
                out.toString());
    }

    @Test
    void eightByteMemoryAccessToDefaultRegionIsSplitInTwoDwords() {
        SystemMemory memory = new SystemMemory(4096);
        RecordingHandler h = new RecordingHandler(16);
        memory.add(Region.mmio("dev", 0x10000, 16, h, AccessConstraints.QEMU_DEFAULT));
        assertEquals(0x1716151413121110L, memory.read(0x10000, 8, 0));
        assertEquals(List.of("R 0 4", "R 4 4"), h.calls);
    }

    @Test
    void piecesPastTheRegionEndAreNotSent() {
        RecordingHandler h = device(0x600, 2, AccessConstraints.of(1, 4, 1, 1));
        assertEquals(0x1110L, io.read(0x600, 4));
        assertEquals(List.of("R 0 1", "R 1 1"), h.calls);
    }

    @Test
    void rejectionsAreVisibleInTheTrace() {
        device(0x700, 4, AccessConstraints.of(1, 1, 1, 1));
        StringWriter out = new StringWriter();
        BusTrace trace = new BusTrace(out);
        io.setTrace(trace);
        io.write(0x700, 4, 7);
        io.read(0x700, 4);
        io.read(0x700, 1);
        trace.flush();
        assertEquals("X W dev 0x700 4 0x7\nX R dev 0x700 4\nR dev 0x700 1 0x10\n", out.toString());
    }
}
