package org.varsgen.emulator.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.cpu.CpuState;

/** The software TLB: cached translations, and the flushes that make page-table edits visible. */
class MmuTlbTest {
    private final RamOnlyMemory mem = new RamOnlyMemory(8 << 20);
    private final CpuState s = new CpuState();
    private final Mmu mmu;
    private static final long PML4 = 0x10000, PDPT = 0x11000, PD = 0x12000, PT = 0x13000;

    MmuTlbTest() {
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_PG;
        s.cr4 = CpuState.CR4_PAE | CpuState.CR4_PGE;
        s.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
        s.cr3 = PML4;
        put(PML4, PDPT | 3);
        put(PDPT, PD | 3);
        put(PD, PT | 3);
        put(PT + 8, 0x100000 | 3);          // 0x1000 -> 0x100000
        put(PT + 16, 0x101000 | 3 | 0x100);  // 0x2000 -> 0x101000, global
        mem.write(0x100000, 4, 0x11111111L, 0);
        mem.write(0x101000, 4, 0x22222222L, 0);
        mem.write(0x102000, 4, 0x33333333L, 0);
        mmu = new Mmu(mem, s);
    }

    private void put(long addr, long v) {
        mem.write(addr, 8, v, 0);
    }

    @Test
    void staleUntilFlushedAndGlobalPagesSurviveCr3Flush() {
        assertEquals(0x11111111, mmu.read32(0x1000));
        assertEquals(0x22222222, mmu.read32(0x2000));
        put(PT + 8, 0x102000 | 3);
        put(PT + 16, 0x102000 | 3 | 0x100);
        assertEquals(0x11111111, mmu.read32(0x1000), "the TLB still holds the old translation");
        mmu.flush(true); // what a CR3 write does
        assertEquals(0x33333333, mmu.read32(0x1000));
        assertEquals(0x22222222, mmu.read32(0x2000), "global entry kept across the CR3 flush");
        mmu.invalidatePage(0x2000);
        assertEquals(0x33333333, mmu.read32(0x2000), "INVLPG drops global entries too");
    }

    @Test
    void pageCrossingAccessUsesBothTranslations() {
        put(PT + 24, 0x102000 | 3); // 0x3000 -> 0x102000, so 0x2FFE..0x3001 spans 0x101FFE and 0x102000
        mem.write(0x101FFC, 4, 0xAABBCCDDL, 0);
        assertEquals(0x33333333AABBL, mmu.read64(0x2FFE) & 0xFFFFFFFFFFFFL);
        mmu.write(0x2FFF, 2, 0x1234);
        assertEquals(0x12, mem.read(0x102000, 1, 0));
        assertEquals(0x34, mem.read(0x101FFF, 1, 0));
    }

    @Test
    void storesToCodePagesAreReported() {
        long[] written = {-1};
        mmu.setCodePageListener(new Mmu.CodePageListener() {
            @Override
            public boolean isCodePage(long physPage) {
                return physPage == 0x100000;
            }

            @Override
            public void codePageWritten(long physPage) {
                written[0] = physPage;
            }
        });
        mmu.write(0x2000, 4, 1);
        assertEquals(-1, written[0]);
        mmu.write(0x1004, 4, 1);
        assertEquals(0x100000, written[0]);
    }

    @Test
    void invlpgInsideALargePageDropsAllOfIt() {
        put(PD + 8, 0x400000 | 0x83); // 0x200000: a 2 MiB page -> 0x400000
        mem.write(0x400000, 4, 0xAAAAAAAAL, 0);
        mem.write(0x600000, 4, 0xBBBBBBBBL, 0);
        assertEquals(0xAAAAAAAA, mmu.read32(0x200000));
        put(PD + 8, 0x600000 | 0x83);
        mmu.invalidatePage(0x3FF000); // another 4 KiB slice of the same large page
        assertEquals(0xBBBBBBBB, mmu.read32(0x200000));
    }
}
