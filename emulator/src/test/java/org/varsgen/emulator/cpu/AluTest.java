package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Arithmetic, logic, shifts, rotates, multiply and divide: results and exact flags. */
class AluTest {
    private static final long CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
    private static final long ARITH = CF | PF | AF | ZF | SF | OF;

    private static long flagsAfter(String asm) {
        TestMachine m = new TestMachine();
        m.run64(asm);
        return m.cpu.rflags() & ARITH;
    }

    @Test
    void addSetsCarryOverflowAuxAndParity() {
        assertEquals(CF | ZF | AF | PF, flagsAfter("mov al, 0xFF\nadd al, 1"));
        assertEquals(OF | SF | AF, flagsAfter("mov al, 0x7F\nadd al, 1"), "0x80 has odd parity");
        assertEquals(OF | CF | PF | ZF, flagsAfter("mov eax, 0x80000000\nadd eax, eax"));
        assertEquals(0L, flagsAfter("mov rax, 1\nadd rax, 1") & (CF | ZF | SF | OF));
    }

    @Test
    void subAndCompareBorrow() {
        assertEquals(CF | SF | AF | PF, flagsAfter("mov al, 0\nsub al, 1"));
        assertEquals(OF | AF, flagsAfter("mov al, 0x80\ncmp al, 1"));
        assertEquals(ZF | PF, flagsAfter("mov rax, -5\ncmp rax, -5"));
    }

    @Test
    void adcAndSbbUseCarryIn() {
        TestMachine m = new TestMachine();
        m.run64("stc\nmov eax, 0xFFFFFFFF\nadc eax, 0\nmov ebx, 5\nstc\nsbb ebx, 5");
        assertEquals(0, m.reg(CpuState.RAX));
        assertEquals(0xFFFFFFFFL, m.reg(CpuState.RBX));
        assertTrue((m.cpu.rflags() & CF) != 0);
        assertEquals(CF | ZF | AF | PF, flagsAfter("stc\nmov al, 0xFF\nadc al, 0"));
    }

    @Test
    void incDecKeepCarry() {
        assertEquals(CF | ZF | AF | PF, flagsAfter("stc\nmov al, 0xFF\ninc al"));
        assertEquals(OF | AF | PF, flagsAfter("clc\nmov ax, 0x8000\ndec ax") & ~CF);
        assertTrue((flagsAfter("stc\nmov rcx, 5\ndec rcx") & CF) != 0);
    }

    @Test
    void logicClearsCarryAndOverflow() {
        assertEquals(ZF | PF, flagsAfter("stc\nmov eax, 0xF0\nand eax, 0x0F"));
        assertEquals(SF | PF, flagsAfter("mov rax, -1\ntest rax, rax"));
    }

    @Test
    void thirtyTwoBitWritesZeroExtend() {
        TestMachine m = new TestMachine();
        m.run64("mov rax, -1\nmov eax, 1\nmov rbx, -1\nmov bx, 2\nmov rcx, -1\nmov cl, 3\nmov rdx, -1\nmov dh, 4");
        assertEquals(1, m.reg(CpuState.RAX));
        assertEquals(0xFFFFFFFFFFFF0002L, m.reg(CpuState.RBX));
        assertEquals(0xFFFFFFFFFFFFFF03L, m.reg(CpuState.RCX));
        assertEquals(0xFFFFFFFFFFFF04FFL, m.reg(CpuState.RDX));
    }

    @Test
    void shiftsMaskCountAndSetFlags() {
        TestMachine m = new TestMachine();
        m.run64("mov eax, 0x80000001\nshl eax, 1\nmov ebx, eax\npushfq\npop r8\n"
                + "mov edx, 0x12345678\nmov cl, 32\nshl edx, cl");
        assertEquals(2, m.reg(CpuState.RBX));
        assertTrue((m.reg(CpuState.R8) & CF) != 0, "CF gets the bit shifted out");
        assertTrue((m.reg(CpuState.R8) & OF) != 0, "OF = CF xor new MSB for count 1");
        assertEquals(0x12345678, m.reg(CpuState.RDX), "count 32 is masked to 0 for 32-bit operands");
        // Count 0 leaves the flags alone.
        assertEquals(CF | ZF | AF | PF, flagsAfter("mov al, 0xFF\nadd al, 1\nmov cl, 0\nshl bl, cl"));
        // SAR keeps the sign; SHR by 1 sets OF to the old MSB.
        m = new TestMachine();
        m.run64("mov al, 0x81\nsar al, 1\nmov bl, 0x81\nshr bl, 1\npushfq\npop rcx");
        assertEquals(0xC0, m.reg(CpuState.RAX) & 0xFF);
        assertEquals(0x40, m.reg(CpuState.RBX) & 0xFF);
        assertTrue((m.reg(CpuState.RCX) & OF) != 0);
        assertTrue((m.reg(CpuState.RCX) & CF) != 0);
        // 8-bit shift counts beyond the width shift everything out.
        m = new TestMachine();
        m.run64("mov al, 0xFF\nmov cl, 9\nshl al, cl\npushfq\npop rbx");
        assertEquals(0, m.reg(CpuState.RAX) & 0xFF);
        assertTrue((m.reg(CpuState.RBX) & ZF) != 0);
    }

    @Test
    void rotatesThroughCarry() {
        TestMachine m = new TestMachine();
        m.run64("clc\nmov al, 0x80\nrcl al, 1\npushfq\npop rbx\nstc\nmov dl, 1\nrcr dl, 1\n"
                + "mov cl, 9\nmov sil, 0x5A\nrcl sil, cl\nmov edi, 0x80000000\nrol edi, 1");
        assertEquals(0, m.reg(CpuState.RAX) & 0xFF);
        assertTrue((m.reg(CpuState.RBX) & CF) != 0);
        assertEquals(0x80, m.reg(CpuState.RDX) & 0xFF);
        assertEquals(0x5A, m.reg(CpuState.RSI) & 0xFF, "RCL r8 by 9 is a full rotation through CF");
        assertEquals(1, m.reg(CpuState.RDI));
    }

    @Test
    void doubleShifts() {
        TestMachine m = new TestMachine();
        m.run64("mov eax, 0x12345678\nmov ebx, 0x9ABCDEF0\nshld eax, ebx, 8\n"
                + "mov rcx, 0x1122334455667788\nmov rdx, 0xAABBCCDDEEFF0011\nshrd rcx, rdx, 16");
        assertEquals(0x3456789AL, m.reg(CpuState.RAX));
        assertEquals(0x0011112233445566L, m.reg(CpuState.RCX));
    }

    @Test
    void multiplyAndDivide() {
        TestMachine m = new TestMachine();
        m.run64("mov rax, 0xFFFFFFFFFFFFFFFF\nmov rbx, 2\nmul rbx\nmov r8, rax\nmov r9, rdx\n"
                + "mov rax, -7\ncqo\nmov rcx, 2\nidiv rcx\nmov r10, rax\nmov r11, rdx\n"
                + "mov eax, 100000\nimul eax, eax, 100000\npushfq\npop r12");
        assertEquals(-2L, m.reg(CpuState.R8));
        assertEquals(1, m.reg(CpuState.R9));
        assertEquals(-3, m.reg(CpuState.R10));
        assertEquals(-1, m.reg(CpuState.R11));
        assertEquals((100000L * 100000L) & 0xFFFFFFFFL, m.reg(CpuState.RAX));
        assertTrue((m.reg(CpuState.R12) & (CF | OF)) == (CF | OF), "IMUL overflow sets CF and OF");
    }

    @Test
    void divideByZeroRaisesDe() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nxor ecx, ecx\nmov eax, 1\ndiv ecx\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.step();
        m.cpu.step();
        long rip = m.s.rip;
        m.cpu.step();
        assertEquals(0, m.cpu.lastException());
        assertEquals(-1, m.cpu.lastErrorCode());
        assertEquals(rip, m.s.rip, "RIP stays on the faulting DIV");
        // Quotient overflow is #DE too.
        m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov edx, 2\nmov eax, 0\nmov ecx, 2\ndiv ecx\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.run(10);
        assertEquals(0, m.cpu.lastException());
    }

    @Test
    void bitScanAndBitTest() {
        TestMachine m = new TestMachine();
        m.run64("mov rax, 0x100\nbsf rbx, rax\nbsr rcx, rax\nmov rdx, 0xF0\nbts rdx, 0\nbtr rdx, 4\n"
                + "mov rsi, 77\nxor edi, edi\nbsf rsi, rdi\npushfq\npop r8");
        assertEquals(8, m.reg(CpuState.RBX));
        assertEquals(8, m.reg(CpuState.RCX));
        assertEquals(0xE1, m.reg(CpuState.RDX));
        assertEquals(77, m.reg(CpuState.RSI), "BSF of zero leaves the destination");
        assertTrue((m.reg(CpuState.R8) & ZF) != 0);
    }

    @Test
    void cmpxchgFamily() {
        TestMachine m = new TestMachine();
        m.run64("mov qword [0x3000], 5\nmov qword [0x3008], 6\nmov rax, 5\nmov rdx, 6\nmov rbx, 7\nmov rcx, 8\n"
                + "lock cmpxchg16b [0x3000]\npushfq\npop r8\n"
                + "mov rax, 1\nmov rdx, 2\ncmpxchg16b [0x3000]\npushfq\npop r9\n"
                + "mov eax, 3\nmov dword [0x3010], 3\nmov ecx, 9\nlock cmpxchg [0x3010], ecx\n"
                + "mov r10d, [0x3010]\nmov dword [0x3020], 10\nmov r11d, 1\nlock xadd [0x3020], r11d");
        assertEquals(7, m.read64(0x3000));
        assertEquals(8, m.read64(0x3008));
        assertTrue((m.reg(CpuState.R8) & ZF) != 0);
        assertFalse((m.reg(CpuState.R9) & ZF) != 0);
        assertEquals(7, m.reg(CpuState.RAX) == 3 ? 7 : m.read64(0x3000));
        assertEquals(9, m.reg(CpuState.R10));
        assertEquals(10, m.reg(CpuState.R11));
        assertEquals(11, m.read64(0x3020) & 0xFFFFFFFFL);
    }

    @Test
    void cmpxchg16bRequiresAlignment() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\ncmpxchg16b [0x3008]\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.step();
        assertEquals(13, m.cpu.lastException());
        assertEquals(0, m.cpu.lastErrorCode());
    }

    @Test
    void stackCallRetEnterLeave() {
        TestMachine m = new TestMachine();
        m.run64("mov rsp, 0x9000\ncall f\njmp done\nf: enter 16, 0\nmov rax, rbp\nleave\nret\ndone: mov rbx, rsp");
        assertEquals(0x9000 - 16, m.reg(CpuState.RAX));
        assertEquals(0x9000, m.reg(CpuState.RBX));
    }

    @Test
    void setccCmovAndLahf() {
        TestMachine m = new TestMachine();
        m.run64("mov eax, 5\ncmp eax, 7\nsetb bl\nsetg cl\nmov rdx, -1\nmov esi, 9\ncmovl edx, esi\nlahf");
        assertEquals(1, m.reg(CpuState.RBX) & 0xFF);
        assertEquals(0, m.reg(CpuState.RCX) & 0xFF);
        assertEquals(9, m.reg(CpuState.RDX));
        assertEquals(CF | SF | AF | 2, (m.reg(CpuState.RAX) >> 8) & 0xFF);
    }
}
