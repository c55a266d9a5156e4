package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SMI entry from 64-bit code, the AMD64 save-state map, a save-state edit, SMBASE relocation, RSM. */
class SmmTest {
    static final class SmiPin implements InterruptPins {
        boolean smi;

        @Override
        public boolean interruptPending() {
            return false;
        }

        @Override
        public int acknowledgeInterrupt() {
            throw new IllegalStateException();
        }

        @Override
        public boolean takeNmi() {
            return false;
        }

        @Override
        public boolean takeSmi() {
            boolean r = smi;
            smi = false;
            return r;
        }

        @Override
        public boolean takeInit() {
            return false;
        }
    }

    @Test
    void smiSavesStateAndRsmRestoresWithRelocatedSmbase() {
        SmiPin pin = new SmiPin();
        TestMachine base = new TestMachine();
        Cpu cpu = new Cpu(base.memory, base.io, pin, base.clock);
        List<Boolean> transitions = new ArrayList<>();
        cpu.setSmmListener(transitions::add);
        // Borrow the 64-bit setup of the test machine for this CPU.
        base.long64();
        CpuState s = cpu.state();
        s.cr0 = base.s.cr0;
        s.cr3 = base.s.cr3;
        s.cr4 = base.s.cr4;
        s.efer = base.s.efer;
        for (int i = 0; i < 6; i++) {
            s.segments[i].copyFrom(base.s.segments[i]);
        }
        s.rip = TestMachine.CODE;
        s.gpr[CpuState.RSP] = 0x80000;
        base.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov rax, 0x1234\nmov rbx, 0x77\nnop\nhlt"));
        base.load(0x38000, TestMachine.nasm(String.join("\n",
                "bits 16",
                "mov eax, [dword 0x3FFF8]   ; the saved RAX",
                "mov [dword 0x3FFF0], eax   ; becomes the saved RCX",
                "mov dword [dword 0x3FFF8], 0x5555",
                "mov dword [dword 0x3FF00], 0x40000 ; relocate SMBASE",
                "rsm")));
        cpu.step();
        pin.smi = true;
        cpu.step(); // delivers the SMI
        assertTrue(s.smm);
        assertEquals(0x8000, s.rip);
        assertEquals(0x30000, s.segments[CpuState.CS].base);
        assertEquals(0, s.efer);
        assertEquals(0, s.cr0 & (CpuState.CR0_PE | CpuState.CR0_PG));
        assertEquals(Smm.REVISION, base.read64(0x3FEFC) & 0xFFFFFFFFL);
        assertEquals(TestMachine.CODE + 5, base.read64(0x3FF78), "saved RIP: after the first MOV (nasm encodes it as mov eax, imm32)");
        cpu.run(10);
        assertFalse(s.smm);
        assertEquals(List.of(true, false), transitions);
        assertEquals(0x5555, s.gpr[CpuState.RAX]);
        assertEquals(0x1234, s.gpr[CpuState.RCX]);
        assertEquals(0x77, s.gpr[CpuState.RBX]);
        assertEquals(0x40000, s.smbase);
        assertTrue(s.in64BitMode());
        assertTrue(s.halted);
    }

    @Test
    void rsmOutsideSmmIsUd() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, 0x0F, 0xAA);
        m.cpu.setTrapExceptions(true);
        m.cpu.step();
        assertEquals(6, m.cpu.lastException());
    }
}
