package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** x87 control and load/store, FXSAVE/FXRSTOR, MXCSR, and the SSE2 moves and integer operations. */
class FpuSseTest {
    @Test
    void x87ControlAndIntegerToDouble() {
        TestMachine m = new TestMachine();
        m.run64("fninit\nfnstcw [0x3000]\nmov word [0x3002], 0x027F\nfldcw [0x3002]\nfnstcw [0x3004]\n"
                + "mov dword [0x3010], -12345\nfild dword [0x3010]\nfstp qword [0x3018]\nfnstsw ax\nfwait");
        assertEquals(0x037F, m.read64(0x3000) & 0xFFFF);
        assertEquals(0x027F, m.read64(0x3004) & 0xFFFF);
        assertEquals(-12345.0, Double.longBitsToDouble(m.read64(0x3018)));
        assertEquals(0, m.reg(CpuState.RAX) & 0x3800, "stack top back at 0 after FILD + FSTP");
    }

    @Test
    void fxsaveAndFxrstorRoundTrip() {
        TestMachine m = new TestMachine();
        m.run64("mov rax, 0x1122334455667788\nmovq xmm9, rax\nmov dword [0x3000], 0x1F00\nldmxcsr [0x3000]\n"
                + "fninit\nmov dword [0x3010], 7\nfild dword [0x3010]\nfxsave64 [0x4000]\n"
                + "pxor xmm9, xmm9\nfninit\nmov dword [0x3000], 0x1F80\nldmxcsr [0x3000]\n"
                + "fxrstor64 [0x4000]\nmovq rbx, xmm9\nstmxcsr [0x3004]\nfstp qword [0x3020]");
        assertEquals(0x1122334455667788L, m.reg(CpuState.RBX));
        assertEquals(0x1F00, m.read64(0x3004) & 0xFFFFFFFFL);
        assertEquals(7.0, Double.longBitsToDouble(m.read64(0x3020)));
        assertEquals(0x1F00, m.read64(0x4000 + 24) & 0xFFFFFFFFL, "MXCSR at offset 24");
        assertEquals(0x1122334455667788L, m.read64(0x4000 + 160 + 16 * 9), "XMM9 at offset 304");
        assertEquals(0x80, m.read64(0x4000 + 4) & 0xFF, "abridged tag: one value, in physical register 7");
    }

    @Test
    void sse2MovesAndIntegerOps() {
        TestMachine m = new TestMachine();
        m.run64("mov rax, 0x0102030405060708\nmov [0x3000], rax\nmov rax, 0x1112131415161718\nmov [0x3008], rax\n"
                + "movdqa xmm0, [0x3000]\nmovdqu xmm1, [0x3001]\nmovdqa xmm2, xmm0\npaddb xmm2, xmm0\n"
                + "movdqu [0x3100], xmm2\npxor xmm3, xmm3\npcmpeqb xmm3, xmm0\npmovmskb ecx, xmm3\n"
                + "pshufd xmm4, xmm0, 0x1B\nmovdqa [0x3200], xmm4\npsrldq xmm0, 4\nmovq rdx, xmm0\n"
                + "movd xmm5, ebx\npunpcklbw xmm2, xmm2");
        assertEquals(0x020406080A0C0E10L, m.read64(0x3100));
        assertEquals(0x222426282A2C2E30L, m.read64(0x3108));
        assertEquals(0, m.reg(CpuState.RCX));
        assertEquals(0x1516171811121314L, m.read64(0x3200));
        assertEquals(0x0506070801020304L, m.read64(0x3208));
        assertEquals(0x1516171801020304L, m.reg(CpuState.RDX));
    }

    @Test
    void movdqaRequiresAlignmentAndSseNeedsOsfxsr() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmovdqa xmm0, [0x3008]\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.step();
        assertEquals(13, m.cpu.lastException());
        m.s.cr4 &= ~CpuState.CR4_OSFXSR;
        m.cpu.step();
        assertEquals(6, m.cpu.lastException());
    }
}
