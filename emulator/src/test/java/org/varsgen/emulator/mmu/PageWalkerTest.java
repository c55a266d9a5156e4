package org.varsgen.emulator.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.cpu.GuestFault;

/** Page walks in each paging mode, permission checks, #PF error codes and accessed/dirty bits. */
class PageWalkerTest {
    private final RamOnlyMemory mem = new RamOnlyMemory(8 << 20);
    private final CpuState s = new CpuState();
    private final PageWalker walker = new PageWalker(mem, s);
    private static final long PML4 = 0x10000, PDPT = 0x11000, PD = 0x12000, PT = 0x13000;

    private void put(long addr, long v) {
        mem.write(addr, 8, v, 0);
    }

    private long get(long addr) {
        return mem.read(addr, 8, 0);
    }

    @BeforeEach
    void fourLevel() {
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_PG | CpuState.CR0_WP;
        s.cr4 = CpuState.CR4_PAE;
        s.efer = CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_NXE;
        s.cr3 = PML4;
        put(PML4, PDPT | 7);
        put(PDPT, PD | 7);
        put(PD, PT | 7);
        put(PT + 8, 0x200000 | 3);                 // 0x1000: supervisor, writable
        put(PT + 16, 0x201000 | 1);                // 0x2000: supervisor, read-only
        put(PT + 24, 0x202000 | 7 | (1L << 63));   // 0x3000: user, writable, no-execute
        put(PD + 8, 0x400000 | 0x83);              // 0x200000: 2 MiB page
    }

    private int fault(long lin, int kind, boolean user) {
        GuestFault f = assertThrows(GuestFault.class, () -> walker.walk(lin, kind, user));
        assertEquals(14, f.vector);
        assertEquals(lin, s.cr2);
        return f.errorCode;
    }

    @Test
    void translatesAndSetsAccessedThenDirty() {
        assertEquals(0x200123, walker.walk(0x1123, PageWalker.READ, false));
        assertEquals(0x20, get(PML4) & 0x20);
        assertEquals(0x20, get(PD) & 0x20);
        assertEquals(0x20, get(PT + 8) & 0x60, "read sets A but not D");
        walker.walk(0x1123, PageWalker.WRITE, false);
        assertEquals(0x60, get(PT + 8) & 0x60);
        assertEquals(0x400000 + 0x1234, walker.walk(0x201234, PageWalker.READ, false));
    }

    @Test
    void errorCodes() {
        assertEquals(0, fault(0x5000, PageWalker.READ, false), "not present");
        assertEquals(2, fault(0x5000, PageWalker.WRITE, false));
        assertEquals(4 | 1, fault(0x1000, PageWalker.READ, true), "user access to a supervisor page");
        assertEquals(1 | 2, fault(0x2000, PageWalker.WRITE, false), "CR0.WP protects read-only pages");
        assertEquals(0x10 | 1, fault(0x3000, PageWalker.EXEC, false), "no-execute");
        assertEquals(0x10 | 4, fault(0x5000, PageWalker.EXEC, true));
        s.cr0 &= ~CpuState.CR0_WP;
        assertEquals(0x201000, walker.walk(0x2000, PageWalker.WRITE, false), "WP=0: supervisor may write");
        assertEquals(0, get(PT + 16) & 0x40 ^ 0x40, "and the dirty bit is set");
        put(PD + 16, 0x600000 | 0x83 | (1L << 13));
        assertEquals(8, fault(0x400000, PageWalker.READ, false), "reserved bit in a 2 MiB entry (QEMU: RSVD without P)");
        s.efer &= ~CpuState.EFER_NXE;
        assertEquals(8, fault(0x3000, PageWalker.READ, false), "NX bit is reserved without EFER.NXE");
    }

    @Test
    void leafAccessedBitOnlyOnSuccess() {
        put(PT + 32, 0x203000 | 1);
        fault(0x4000, PageWalker.WRITE, false);
        assertEquals(0, get(PT + 32) & 0x20);
    }

    @Test
    void oneGigabytePages() {
        put(PDPT + 8, 0x40000000L | 0x83);
        assertEquals(0x40000000L + 0x123456, walker.walk(0x40123456L, PageWalker.READ, false));
    }

    @Test
    void pae32BitAnd4MiBPages() {
        // PAE without long mode: CR3 points at 4 PDPTEs.
        s.efer = 0;
        s.cr3 = PDPT;
        put(PDPT, PD | 1);
        assertEquals(0x200010, walker.walk(0x1010, PageWalker.READ, false));
        // 32-bit paging with PSE.
        s.cr4 = CpuState.CR4_PSE;
        s.cr3 = 0x20000;
        mem.write(0x20000 + 4, 4, 0x00C00000L | 0x83, 0); // 4 MiB page at 0x400000 -> 0xC00000
        mem.write(0x20000, 4, 0x21000 | 3, 0);
        mem.write(0x21000 + 4 * 5, 4, 0x7000 | 3, 0);
        assertEquals(0xC12345, walker.walk(0x412345, PageWalker.READ, false));
        assertEquals(0x7ABC, walker.walk(0x5ABC, PageWalker.WRITE, false));
        assertEquals(0x60, mem.read(0x21000 + 4 * 5, 4, 0) & 0x60);
        assertEquals(0, fault(0x800000, PageWalker.READ, false));
    }
}
