package org.varsgen.emulator.cpu;

import java.util.function.Consumer;
import org.varsgen.emulator.mmu.Mmu;

/**
 * System Management Mode, the CPU side, as QEMU TCG builds it for x86-64: on an SMI the state
 * is saved in the AMD64-format map at SMBASE + 0xFE00 (revision 00020064h, SMBASE relocation
 * supported), the CPU enters a 16-bit big-real-mode-like state at CS base SMBASE, EIP 8000h;
 * RSM reloads everything from the map, including a relocated SMBASE. The chipset is told on
 * entry and exit (to switch SMRAM visibility); all CPU accesses in SMM carry ATTR_SMM.
 */
final class Smm implements SystemOps.SmmSupport {
    static final int REVISION = 0x00020064;
    private static final int SEG_BASE = 0x7E00;

    private final Cpu cpu;
    private final CpuState s;
    private final Mmu mmu;
    Consumer<Boolean> listener = inSmm -> { };

    Smm(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.mmu = cpu.mmu;
    }

    private void w(long off, int size, long v) {
        mmu.physWrite(s.smbase + 0x8000 + off, size, v);
    }

    private long r(long off, int size) {
        return mmu.physRead(s.smbase + 0x8000 + off, size);
    }

    /** The attribute word of the save state: access byte in bits 0-7, flags nibble in bits 12-15. */
    private static int packAttr(int attr) {
        return (attr & 0xFF) | ((attr & 0xF00) << 4);
    }

    private static int unpackAttr(int v) {
        return (v & 0xFF) | ((v >> 4) & 0xF00);
    }

    private void saveSeg(long off, SegmentCache sc) {
        w(off, 2, sc.selector);
        w(off + 2, 2, packAttr(sc.attributes));
        w(off + 4, 4, sc.limit & 0xFFFFFFFFL);
        w(off + 8, 8, sc.base);
    }

    private void loadSeg(long off, SegmentCache sc) {
        sc.load((int) r(off, 2), r(off + 8, 8), r(off + 4, 4), unpackAttr((int) r(off + 2, 2)));
    }

    @Override
    public void enter() {
        s.smm = true;
        mmu.smmChanged();
        listener.accept(true);
        for (int i = 0; i < 6; i++) {
            saveSeg(SEG_BASE + i * 16L, s.segments[i]);
        }
        w(0x7E68, 8, s.gdtBase);
        w(0x7E64, 4, s.gdtLimit);
        w(0x7E70, 2, s.ldtr.selector);
        w(0x7E72, 2, packAttr(s.ldtr.attributes));
        w(0x7E74, 4, s.ldtr.limit & 0xFFFFFFFFL);
        w(0x7E78, 8, s.ldtr.base);
        w(0x7E88, 8, s.idtBase);
        w(0x7E84, 4, s.idtLimit);
        w(0x7E90, 2, s.tr.selector);
        w(0x7E92, 2, packAttr(s.tr.attributes));
        w(0x7E94, 4, s.tr.limit & 0xFFFFFFFFL);
        w(0x7E98, 8, s.tr.base);
        w(0x7ED0, 8, s.efer);
        for (int i = 0; i < 16; i++) {
            w(0x7FF8 - 8L * i, 8, s.gpr[i]);
        }
        w(0x7F78, 8, s.rip);
        w(0x7F70, 4, cpu.rflags());
        w(0x7F68, 4, s.dr[6]);
        w(0x7F60, 4, s.dr[7]);
        w(0x7F48, 4, s.cr4);
        w(0x7F50, 8, s.cr3);
        w(0x7F58, 4, s.cr0);
        w(0x7EFC, 4, REVISION);
        w(0x7F00, 4, s.smbase);

        s.efer = 0;
        cpu.setRflags(2);
        s.rip = 0x8000;
        s.cr0 &= ~(CpuState.CR0_PE | CpuState.CR0_EM | CpuState.CR0_TS | CpuState.CR0_PG);
        s.cr4 = 0;
        s.dr[7] = 0x400;
        int data = SegmentCache.ATTR_P | SegmentCache.ATTR_S | 3 | SegmentCache.ATTR_G;
        s.segments[CpuState.CS].load((int) (s.smbase >> 4) & 0xFFFF, s.smbase, 0xFFFFFFFFL, data);
        for (int seg : new int[] {CpuState.ES, CpuState.SS, CpuState.DS, CpuState.FS, CpuState.GS}) {
            s.segments[seg].load(0, 0, 0xFFFFFFFFL, data);
        }
        s.halted = false;
        mmu.user = false;
        mmu.flush(false);
    }

    @Override
    public void rsm() {
        s.efer = r(0x7ED0, 8);
        s.gdtBase = r(0x7E68, 8);
        s.gdtLimit = (int) r(0x7E64, 4) & 0xFFFF;
        s.ldtr.load((int) r(0x7E70, 2), r(0x7E78, 8), r(0x7E74, 4), unpackAttr((int) r(0x7E72, 2)));
        s.idtBase = r(0x7E88, 8);
        s.idtLimit = (int) r(0x7E84, 4) & 0xFFFF;
        s.tr.load((int) r(0x7E90, 2), r(0x7E98, 8), r(0x7E94, 4), unpackAttr((int) r(0x7E92, 2)));
        for (int i = 0; i < 16; i++) {
            s.gpr[i] = r(0x7FF8 - 8L * i, 8);
        }
        s.rip = r(0x7F78, 8);
        cpu.setRflags(r(0x7F70, 4));
        s.dr[6] = r(0x7F68, 4);
        s.dr[7] = r(0x7F60, 4);
        s.cr4 = r(0x7F48, 4);
        s.cr3 = r(0x7F50, 8);
        s.cr0 = r(0x7F58, 4);
        for (int i = 0; i < 6; i++) {
            loadSeg(SEG_BASE + i * 16L, s.segments[i]);
        }
        if ((r(0x7EFC, 4) & 0x20000) != 0) {
            s.smbase = r(0x7F00, 4);
        }
        s.smm = false;
        mmu.smmChanged();
        mmu.user = s.protectedMode() && (s.segments[CpuState.CS].selector & 3) == 3;
        listener.accept(false);
    }
}
