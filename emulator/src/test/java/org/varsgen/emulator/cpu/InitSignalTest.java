package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.time.VirtualClock;

/** The INIT signal: back to the reset vector in real mode, keeping what SDM table 9-1 keeps. */
class InitSignalTest {
    /** Pins that raise INIT once when armed. */
    private static final class InitPin implements InterruptPins {
        boolean raised;

        @Override public boolean interruptPending() { return false; }
        @Override public int acknowledgeInterrupt() { throw new IllegalStateException(); }
        @Override public boolean takeNmi() { return false; }
        @Override public boolean takeSmi() { return false; }

        @Override
        public boolean takeInit() {
            boolean r = raised;
            raised = false;
            return r;
        }
    }

    private static final IoBus NO_IO = new IoBus() {
        @Override public long read(int port, int size) { return -1; }
        @Override public void write(int port, int size, long value) { }
    };

    @Test
    void initRestartsAtTheResetVectorKeepingFpuSseMsrsSmbaseAndCacheBits() {
        InitPin pin = new InitPin();
        RamOnlyMemory memory = new RamOnlyMemory(1 << 20);
        memory.write(0x1000, 1, 0x90, 0);                  // NOP
        Cpu cpu = new Cpu(memory, NO_IO, pin, new VirtualClock());
        cpu.powerOnReset();
        CpuState s = cpu.state();
        // A running 32-bit guest with state INIT must keep and state it must not.
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_CD;
        s.efer = CpuState.EFER_NXE;
        s.segments[CpuState.CS].load(0x08, 0, 0xFFFFFFFFL, 0x9B | SegmentCache.ATTR_DB | SegmentCache.ATTR_G);
        s.rip = 0x1000;
        s.gpr[CpuState.RAX] = 0x1234;
        s.xmm[0] = 0x1122334455667788L;
        s.mxcsr = 0x1FA0;
        s.smbase = 0x7F000000L;
        cpu.msrs().write(0x277, 0x0007040600070406L, s, tsc -> { });   // PAT
        cpu.step();
        assertEquals(0x1001, s.rip);

        pin.raised = true;
        cpu.step();                                          // the INIT is taken at the boundary

        assertEquals(0xFFF0, s.rip);
        assertEquals(0xF000, s.segments[CpuState.CS].selector);
        assertEquals(0xFFFF0000L, s.segments[CpuState.CS].base);
        assertEquals(0x40000010L, s.cr0, "CR0 as at power-on (ET), but CD and NW as they were (CD set, NW clear)");
        assertEquals(0, s.efer);
        assertEquals(0, s.gpr[CpuState.RAX]);
        assertEquals(CpuidModel.SIGNATURE, s.gpr[CpuState.RDX]);
        assertEquals(0x1122334455667788L, s.xmm[0], "SSE registers survive INIT");
        assertEquals(0x1FA0, s.mxcsr);
        assertEquals(0x7F000000L, s.smbase);
        assertEquals(0x0007040600070406L, cpu.msrs().read(0x277, s, 0), "PAT survives INIT");
        assertFalse(s.halted);
    }
}
