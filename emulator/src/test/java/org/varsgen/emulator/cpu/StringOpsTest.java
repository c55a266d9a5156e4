package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** String instructions with REP prefixes in 16-, 32- and 64-bit address sizes. */
class StringOpsTest {
    @Test
    void repMovsbIn16BitCode() {
        TestMachine m = new TestMachine();
        m.load(0x5000, "hello".getBytes());
        m.run16("cld\nmov si, 0x5000\nmov di, 0x6000\nmov cx, 5\nrep movsb");
        assertEquals("hello", new String(m.ram, 0x6000, 5));
        assertEquals(0x5005, m.reg(CpuState.RSI) & 0xFFFF);
        assertEquals(0x6005, m.reg(CpuState.RDI) & 0xFFFF);
        assertEquals(0, m.reg(CpuState.RCX) & 0xFFFF);
    }

    @Test
    void sixteenBitIndexWrapsAt64K() {
        TestMachine m = new TestMachine();
        m.run16("mov ax, 0x0800\nmov es, ax\nmov di, 0xFFFF\nmov al, 0x5A\nmov cx, 2\nrep stosb");
        assertEquals(0x5A, m.ram[0x8000 + 0xFFFF] & 0xFF);
        assertEquals(0x5A, m.ram[0x8000] & 0xFF, "DI wrapped to 0 within ES");
        assertEquals(1, m.reg(CpuState.RDI) & 0xFFFF);
    }

    @Test
    void repStosdBackwardsIn32BitCode() {
        TestMachine m = new TestMachine();
        m.run32("std\nmov edi, 0x7008\nmov eax, 0x11223344\nmov ecx, 3\nrep stosd\ncld");
        assertEquals(0x11223344L, m.read64(0x7000) & 0xFFFFFFFFL);
        assertEquals(0x11223344L, m.read64(0x7004) & 0xFFFFFFFFL);
        assertEquals(0x11223344L, m.read64(0x7008) & 0xFFFFFFFFL);
        assertEquals(0x6FFC, m.reg(CpuState.RDI));
    }

    @Test
    void repStosqAndAddressSizeOverrideIn64BitCode() {
        TestMachine m = new TestMachine();
        m.run64("mov rdi, 0x7000\nmov rax, -1\nmov ecx, 4\nrep stosq\n"
                + "mov rsi, 0xFFFFFFFF00005000\nmov rdi, 0x6000\nmov ecx, 2\na32 rep movsb");
        for (int i = 0; i < 4; i++) {
            assertEquals(-1L, m.read64(0x7000 + 8 * i));
        }
        assertEquals(0x5002, m.reg(CpuState.RSI), "32-bit address size zero-extends RSI");
        assertEquals(0x6002, m.reg(CpuState.RDI));
    }

    @Test
    void repeCmpsAndRepneScasStopOnCondition() {
        TestMachine m = new TestMachine();
        m.load(0x5000, "abcdef".getBytes());
        m.load(0x6000, "abcxef".getBytes());
        m.run64("mov rsi, 0x5000\nmov rdi, 0x6000\nmov rcx, 6\nrepe cmpsb\nmov r8, rcx\n"
                + "mov rdi, 0x5000\nmov al, 'e'\nmov rcx, 100\nrepne scasb\nmov r9, rdi\nmov r10, rcx");
        assertEquals(2, m.reg(CpuState.R8), "stopped after the mismatch at index 3");
        assertEquals(0x5005, m.reg(CpuState.R9));
        assertEquals(95, m.reg(CpuState.R10));
    }

    @Test
    void repInsbAndOutsw() {
        TestMachine m = new TestMachine();
        m.ioReadValue[0] = 0xA5;
        m.load(0x5000, 0x34, 0x12, 0x78, 0x56);
        m.run64("mov dx, 0x510\nmov rdi, 0x6000\nmov rcx, 3\nrep insb\nmov rsi, 0x5000\nmov rcx, 2\nrep outsw");
        assertEquals(0xA5, m.ram[0x6000] & 0xFF);
        assertEquals(0xA5, m.ram[0x6002] & 0xFF);
        assertEquals(2, m.ioWrites.size());
        assertEquals(0x1234, m.ioWrites.get(0)[2]);
        assertEquals(0x5678, m.ioWrites.get(1)[2]);
        assertEquals(2, m.ioWrites.get(1)[1]);
    }

    @Test
    void faultInTheMiddleLeavesRestartableState() {
        TestMachine m = new TestMachine();
        m.long64();
        // Unmap the 2 MiB page at 0x400000 so the copy faults when it reaches it.
        m.write64(TestMachine.PAGE_TABLES + 0x2000 + 8 * 2, 0);
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov rdi, 0x3FFFFC\nmov rcx, 10\nmov al, 1\nrep stosb\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.run(100);
        assertEquals(14, m.cpu.lastException());
        assertEquals(2, m.cpu.lastErrorCode(), "not present, write, supervisor");
        assertEquals(0x400000, m.s.cr2);
        assertEquals(6, m.reg(CpuState.RCX), "four bytes were stored before the fault");
        assertEquals(0x400000, m.reg(CpuState.RDI));
        assertTrue(m.s.rip > TestMachine.CODE, "RIP is on the REP STOSB");
    }

    @Test
    void bulkCopiesMatchElementSemantics() {
        TestMachine m = new TestMachine();
        m.load(0x5000, 0x41);
        // Overlapping forward copy replicates the first byte; a long copy crosses pages; STOSD fills.
        m.run64("mov rsi, 0x5000\nmov rdi, 0x5001\nmov rcx, 9000\nrep movsb\n"
                + "mov rsi, 0x5000\nmov rdi, 0x9FFD\nmov rcx, 8000\nrep movsb\n"
                + "mov eax, 0x11223344\nmov rdi, 0x20001\nmov rcx, 3000\nrep stosd");
        for (int i = 0; i < 9001; i += 997) {
            assertEquals(0x41, m.ram[0x5000 + i]);
        }
        assertEquals(0x41, m.ram[0x5000 + 9000]);
        assertEquals(0x41, m.ram[0x9FFD + 7999]);
        assertEquals(0, m.ram[0x9FFD + 8000]);
        assertEquals(0x5000 + 8000, m.reg(CpuState.RSI));
        assertEquals(0x11223344L, m.read64(0x20001 + 4 * 2999) & 0xFFFFFFFFL);
        assertEquals(0x11223344L, m.read64(0x20001 + 4 * 1023) & 0xFFFFFFFFL, "the element crossing a page");
        assertEquals(0x20001 + 12000, m.reg(CpuState.RDI));
        assertEquals(0, m.reg(CpuState.RCX));
    }

    @Test
    void bulkStoresRepeatEveryElementWidth() {
        TestMachine m = new TestMachine();
        m.run64("mov rax, 0x0102030405060708\nmov rdi, 0x30000\nmov rcx, 1000\nrep stosq\n"
                + "mov eax, 0xA1B2\nmov rdi, 0x40002\nmov rcx, 3000\nrep stosw\n"
                + "mov rax, 0x7777777777777777\nmov rdi, 0x50000\nmov rcx, 600\nrep stosq");
        for (int i = 0; i < 1000; i += 37) {
            assertEquals(0x0102030405060708L, m.read64(0x30000 + 8L * i), "qword " + i);
        }
        assertEquals(0, m.read64(0x30000 + 8000));
        for (int i = 0; i < 3000; i += 41) {
            assertEquals(0xA1B2, m.read64(0x40002 + 2L * i) & 0xFFFF, "word " + i);
        }
        assertEquals(0xA1B2, m.read64(0x40002 + 2L * 2999) & 0xFFFF);
        assertEquals(0, m.ram[0x40002 + 6000]);
        assertEquals(0x7777777777777777L, m.read64(0x50000 + 8L * 599));
        assertEquals(0, m.read64(0x50000 + 8L * 600));
    }

    @Test
    void longRepYieldsAndResumes() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov rdi, 0x400000\nmov rcx, 0x300000\nxor eax, eax\nrep stosb\nhlt"));
        m.cpu.run(3);
        m.cpu.step();
        assertEquals(0x300000 - StringOps.MAX_ITERATIONS_PER_STEP, m.reg(CpuState.RCX), "one step does a bounded chunk");
        m.runToHlt();
        assertEquals(0, m.reg(CpuState.RCX));
        assertEquals(0x700000, m.reg(CpuState.RDI));
    }
}
