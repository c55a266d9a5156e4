package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** BCD adjustments, SALC, ARPL, BOUND, LES/LDS: the instructions that exist only outside 64-bit mode. */
class LegacyOpsTest {
    @Test
    void bcdAdjustments() {
        TestMachine m = new TestMachine();
        m.run32("mov al, 0x38\nadd al, 0x45\ndaa\nmov bl, al\nmov al, 0x23\nsub al, 0x38\ndas\nmov cl, al\n"
                + "mov ax, 0x0009\nadd al, 0x05\naaa\nmov dx, ax\nmov al, 77\naam\nmov si, ax\nmov ax, 0x0705\naad\n"
                + "stc\nsalc\nmov di, ax");
        assertEquals(0x83, m.reg(CpuState.RBX) & 0xFF, "38 + 45 = 83 in BCD");
        assertEquals(0x85, m.reg(CpuState.RCX) & 0xFF, "23 - 38 = -15: 85 with borrow");
        assertEquals(0x0104, m.reg(CpuState.RDX) & 0xFFFF, "9 + 5 = 14 unpacked");
        assertEquals(0x0707, m.reg(CpuState.RSI) & 0xFFFF, "AAM: 77 = 7 * 10 + 7");
        assertEquals(0x00FF, m.reg(CpuState.RDI) & 0xFFFF, "AAD 0705 = 75 = 0x4B, then SALC with CF set");
    }

    @Test
    void aamByZeroAndBoundRaise() {
        TestMachine m = new TestMachine();
        m.protected32();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 32\naam 0\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.step();
        assertEquals(0, m.cpu.lastException());
        m = new TestMachine();
        m.protected32();
        m.load(TestMachine.CODE, TestMachine.nasm(
                "bits 32\nmov dword [0x3000], 10\nmov dword [0x3004], 20\nmov eax, 15\nbound eax, [0x3000]\n"
                + "mov eax, 21\nbound eax, [0x3000]\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.run(10);
        assertEquals(5, m.cpu.lastException());
        assertEquals(21, m.reg(CpuState.RAX));
    }

    @Test
    void lesAndArpl() {
        TestMachine m = new TestMachine();
        m.write64(0x600, 0);
        m.write64(0x608, 0x00CF9B000000FFFFL);
        m.write64(0x610, 0x00CF93000000FFFFL);
        m.s.gdtBase = 0x600;
        m.s.gdtLimit = 0x17;
        m.run32("mov dword [0x3000], 0x12345678\nmov word [0x3004], 0x10\nles edi, [0x3000]\n"
                + "mov ax, 0x10\nmov bx, 0x13\narpl ax, bx\npushfd\npop ecx");
        assertEquals(0x12345678, m.reg(CpuState.RDI));
        assertEquals(0x10, m.s.segments[CpuState.ES].selector);
        assertEquals(0x13, m.reg(CpuState.RAX) & 0xFFFF);
        assertTrue((m.reg(CpuState.RCX) & 0x40) != 0, "ARPL adjusted: ZF set");
    }
}
