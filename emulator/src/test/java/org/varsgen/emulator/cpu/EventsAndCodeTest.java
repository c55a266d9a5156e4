package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Self-modifying code, external interrupts with the STI shadow and HLT wake-up, #UD logging. */
class EventsAndCodeTest {
    @Test
    void storeIntoDecodedCodeIsSeen() {
        TestMachine m = new TestMachine();
        // The loop body runs twice; the first pass patches "mov eax, 1" into "mov eax, 2".
        m.run64("xor ebx, ebx\nagain: mov eax, 1\nadd ebx, eax\nmov byte [rel again + 1], 2\n"
                + "cmp ebx, 1\nje again");
        assertEquals(3, m.reg(CpuState.RBX));
    }

    @Test
    void storeIntoDecodedCodeOnTheOtherPageIsSeen() {
        TestMachine m = new TestMachine();
        // The caller and the called function sit on two pages, both kept by the fetch cache.
        m.run64("xor ebx, ebx\ncall fn\nadd ebx, eax\nmov byte [rel fn + 1], 5\ncall fn\nadd ebx, eax\n"
                + "jmp done\ntimes 0x1000 - ($ - $$) nop\nfn: mov eax, 1\nret\ndone:");
        assertEquals(6, m.reg(CpuState.RBX));
    }

    /** Pins with one interrupt that becomes pending when asked to. */
    static final class OnePin implements InterruptPins {
        boolean pending;
        int acknowledged;

        @Override
        public boolean interruptPending() {
            return pending;
        }

        @Override
        public int acknowledgeInterrupt() {
            pending = false;
            acknowledged++;
            return 0x30;
        }

        @Override
        public boolean takeNmi() {
            return false;
        }

        @Override
        public boolean takeSmi() {
            return false;
        }

        @Override
        public boolean takeInit() {
            return false;
        }
    }

    @Test
    void interruptWakesHltAfterStiShadow() {
        OnePin pin = new OnePin();
        TestMachine base = new TestMachine();
        Cpu cpu = new Cpu(base.memory, base.io, pin, base.clock);
        CpuState s = cpu.state();
        // Real mode: IVT entry 0x30 -> 0x2000:0; handler: inc si; iret.
        base.load(0xC0, 0x00, 0x00, 0x00, 0x20);
        base.load(0x20000, 0x46, 0xCF);
        s.segments[CpuState.CS].load(0x1000, 0x10000, 0xFFFF, SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB);
        s.rip = 0;
        s.gpr[CpuState.RSP] = 0x8000;
        base.load(0x10000, 0xFB, 0xF4, 0x47, 0xF4); // sti; hlt; inc di; hlt
        pin.pending = true;
        cpu.step(); // STI: the interrupt must wait for the next instruction
        assertEquals(0, pin.acknowledged);
        cpu.step(); // HLT executes inside the shadow
        assertTrue(s.halted);
        assertEquals(0, pin.acknowledged);
        cpu.run(10);
        assertEquals(1, pin.acknowledged);
        assertEquals(1, s.gpr[CpuState.RSI]);
        assertEquals(1, s.gpr[CpuState.RDI], "returned after the HLT and went on");
        assertTrue(s.halted);
        assertEquals(4, s.rip);
    }

    @Test
    void interruptsWaitWhileIfIsClear() {
        OnePin pin = new OnePin();
        TestMachine base = new TestMachine();
        Cpu cpu = new Cpu(base.memory, base.io, pin, base.clock);
        cpu.state().segments[CpuState.CS].load(0x1000, 0x10000, 0xFFFF, SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB);
        cpu.state().rip = 0;
        base.load(0x10000, 0xFA, 0xF4); // cli; hlt
        pin.pending = true;
        long n = cpu.run(100);
        assertEquals(2, n);
        assertTrue(cpu.state().halted);
        assertEquals(0, pin.acknowledged, "no delivery with IF clear: run() returns");
    }

    @Test
    void invalidOpcodeRaisesUdInTheGuest() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, 0x0F, 0x38, 0x00, 0xC0, 0xF4); // PSHUFB (SSSE3, not offered)
        m.cpu.setTrapExceptions(true);
        m.cpu.step();
        assertEquals(6, m.cpu.lastException());
        assertEquals(TestMachine.CODE, m.s.rip);
        assertFalse(m.cpu.shutdown());
    }

    @Test
    void dmaIntoDecodedCodeIsReportedByTheBoard() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov eax, 1\nhlt"));
        m.runToHlt();
        assertEquals(1, m.reg(CpuState.RAX));
        // A device writes new code into the same RAM page behind the CPU's back.
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov eax, 2\nhlt"));
        m.cpu.physicalMemoryWritten(TestMachine.CODE + 1, 4);
        m.s.rip = TestMachine.CODE;
        m.s.halted = false;
        m.runToHlt();
        assertEquals(2, m.reg(CpuState.RAX));
    }

    @Test
    void codeOutsideRamIsRefetchedWhenTheMappingChanges() {
        // A ROM-like page at 0xF0000 served through read() only, whose content the "chipset" switches.
        byte[][] roms = {{(byte) 0xB0, 0x01, (byte) 0xF4}, {(byte) 0xB0, 0x02, (byte) 0xF4}}; // mov al, n; hlt
        int[] which = {0};
        long[] generation = {0};
        byte[] ram = new byte[1 << 20];
        org.varsgen.emulator.bus.PhysicalMemory mem = new org.varsgen.emulator.bus.PhysicalMemory() {
            @Override
            public long read(long a, int size, int attrs) {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    long off = a + i - 0xF0000;
                    int b = a + i >= 0xF0000 && off < 3 ? roms[which[0]][(int) off] & 0xFF
                            : a + i < ram.length ? ram[(int) (a + i)] & 0xFF : 0xFF;
                    v = (v << 8) | b;
                }
                return v;
            }

            @Override
            public void write(long a, int size, long v, int attrs) {
                for (int i = 0; i < size; i++) {
                    if (a + i < 0xF0000) {
                        ram[(int) (a + i)] = (byte) (v >>> (8 * i));
                    }
                }
            }

            @Override
            public byte[] ram() {
                return ram;
            }

            @Override
            public long ramOffset(long a, int attrs, boolean write) {
                return a < 0xF0000 ? a & ~0xFFFL : -1;
            }

            @Override
            public long mappingGeneration() {
                return generation[0];
            }
        };
        TestMachine base = new TestMachine();
        Cpu cpu = new Cpu(mem, base.io, InterruptPins.NONE, base.clock);
        CpuState s = cpu.state();
        s.segments[CpuState.CS].load(0xF000, 0xF0000, 0xFFFF, SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB);
        s.rip = 0;
        cpu.run(10);
        assertEquals(1, s.gpr[0] & 0xFF);
        which[0] = 1;
        generation[0]++;
        s.rip = 0;
        s.halted = false;
        cpu.run(10);
        assertEquals(2, s.gpr[0] & 0xFF, "the new mapping generation dropped the cached decode");
    }
}
