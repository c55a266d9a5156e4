package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** CPUID answers (QEMU qemu64 model) and MSR storage, read back, and #GP on unknown MSRs. */
class CpuidMsrTest {
    private static int[] cpuid(int leaf, int sub) {
        TestMachine m = new TestMachine();
        m.run64("mov eax, " + leaf + "\nmov ecx, " + sub + "\ncpuid");
        return new int[] {(int) m.reg(0), (int) m.reg(CpuState.RBX), (int) m.reg(CpuState.RCX), (int) m.reg(CpuState.RDX)};
    }

    @Test
    void oneGigabytePagesOnlyWhenTheBoardAsks() {
        TestMachine m = new TestMachine();
        m.cpu.cpuid().setPage1Gb(true);
        m.run64("mov eax, 0x80000001\ncpuid");
        assertEquals(1 << 26, m.reg(CpuState.RDX) & (1 << 26), "pdpe1gb advertised");
        assertEquals(1 << 29, m.reg(CpuState.RDX) & (1 << 29), "the rest of qemu64's bits stay");
    }

    @Test
    void vendorSignatureAndFeatures() {
        int[] l0 = cpuid(0, 0);
        assertEquals(0xD, l0[0]);
        String vendor = new String(new byte[] {
            (byte) l0[1], (byte) (l0[1] >> 8), (byte) (l0[1] >> 16), (byte) (l0[1] >> 24),
            (byte) l0[3], (byte) (l0[3] >> 8), (byte) (l0[3] >> 16), (byte) (l0[3] >> 24),
            (byte) l0[2], (byte) (l0[2] >> 8), (byte) (l0[2] >> 16), (byte) (l0[2] >> 24)});
        assertEquals("AuthenticAMD", vendor);
        int[] l1 = cpuid(1, 0);
        assertEquals(15, (l1[0] >> 8) & 0xF, "family");
        assertEquals(107, ((l1[0] >> 4) & 0xF) | ((l1[0] >> 12) & 0xF0), "model");
        assertEquals(0x078BFBFD, l1[3]);
        assertEquals(0x80002001, l1[2]);
        assertEquals(0, l1[2] & (1 << 21), "no x2APIC");
        int[] e1 = cpuid(0x80000001, 0);
        assertEquals(1 << 29, e1[3] & (1 << 29), "long mode");
        assertEquals(1 << 20, e1[3] & (1 << 20), "NX");
        assertEquals(0, e1[3] & (1 << 26), "no 1 GiB pages");
        assertEquals(0x3028, cpuid(0x80000008, 0)[0], "40 physical, 48 linear address bits");
        assertEquals(0x8000000A, cpuid(0x80000000, 0)[0]);
        int[] l7 = cpuid(7, 0);
        assertEquals(0, l7[2] & (1 << 16), "no LA57");
        // Out of range: answered like the highest basic leaf (0xD, zero here), never a fault.
        int[] high = cpuid(0x40000000, 0);
        assertEquals(0, high[0] | high[1] | high[2] | high[3]);
        int[] ext = cpuid(0x8000001F, 0);
        assertEquals(0, ext[0] | ext[1] | ext[2] | ext[3]);
    }

    @Test
    void msrsStoreAndReadBack() {
        TestMachine m = new TestMachine();
        m.run64("mov ecx, 0x1B\nrdmsr\nmov r8d, eax\n"
                + "mov ecx, 0x277\nrdmsr\nshl rdx, 32\nor rax, rdx\nmov r9, rax\n"
                + "mov ecx, 0x2FF\nmov eax, 0xC06\nxor edx, edx\nwrmsr\nrdmsr\nmov r10, rax\n"
                + "mov ecx, 0x20F\nmov eax, 0xFF000800\nmov edx, 0xFF\nwrmsr\nxor eax, eax\nxor edx, edx\nrdmsr\n"
                + "shl rdx, 32\nor rax, rdx\nmov r11, rax\n"
                + "mov ecx, 0xC0000100\nmov eax, 0x1000\nxor edx, edx\nwrmsr\nmov r12, [fs:0x10]\n"
                + "mov ecx, 0xFE\nrdmsr\nmov r13, rax\n"
                + "mov ecx, 0xC0000080\nrdmsr\nmov r14, rax");
        assertEquals(0xFEE00900L, m.reg(CpuState.R8));
        assertEquals(0x0007040600070406L, m.reg(CpuState.R9));
        assertEquals(0xC06, m.reg(CpuState.R10));
        assertEquals(0xFFFF000800L, m.reg(CpuState.R11));
        assertEquals(0x1000, m.s.segments[CpuState.FS].base);
        assertEquals(0x508, m.reg(CpuState.R13));
        assertEquals(CpuState.EFER_LME | CpuState.EFER_LMA | CpuState.EFER_NXE, m.reg(CpuState.R14));
    }

    @Test
    void unknownMsrRaisesGp() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov ecx, 0x12345\nrdmsr\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.run(10);
        assertEquals(13, m.cpu.lastException());
        assertEquals(0, m.cpu.lastErrorCode());
    }

    @Test
    void rdtscFollowsTheVirtualClock() {
        TestMachine m = new TestMachine();
        m.run64("rdtsc\nmov r8d, eax\nnop\nnop\nrdtsc\nsub eax, r8d\nmov r9, rax");
        assertEquals(4, m.reg(CpuState.R9), "RDTSC, MOV, NOP, NOP retired between the reads: 1 ns each, TSC at 1 GHz");
    }

    @Test
    void powerOnState() {
        TestMachine m = new TestMachine();
        assertEquals(0xFFF0, m.s.rip);
        assertEquals(0xF000, m.s.segments[CpuState.CS].selector);
        assertEquals(0xFFFF0000L, m.s.segments[CpuState.CS].base);
        assertEquals(0x60000010L, m.s.cr0);
        assertEquals(0x00060FB1L, m.reg(CpuState.RDX));
        assertEquals(2, m.cpu.rflags());
    }

    @Test
    void apicBaseMsrAndCr8GoToTheLocalApicWhenOneIsConnected() {
        TestMachine m = new TestMachine();
        long[] base = {0xFEE00900L};
        long[] tpr = {0};
        m.cpu.setLocalApic(new LocalApicRegisters() {
            @Override
            public long readApicBaseMsr() {
                return base[0];
            }

            @Override
            public void writeApicBaseMsr(long value) {
                base[0] = value;
            }

            @Override
            public int cr8() {
                return (int) tpr[0];
            }

            @Override
            public void writeCr8(long value) {
                tpr[0] = value;
            }
        });
        m.run64("mov ecx, 0x1B\nmov eax, 0xFED00900\nxor edx, edx\nwrmsr\nxor eax, eax\nrdmsr\nmov r8, rax\n"
                + "mov rax, 9\nmov cr8, rax\nmov r9, cr8");
        assertEquals(0xFED00900L, base[0], "WRMSR reached the APIC");
        assertEquals(0xFED00900L, m.reg(CpuState.R8), "RDMSR answered by the APIC");
        assertEquals(9, tpr[0]);
        assertEquals(9, m.reg(CpuState.R9));
    }
}
