package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * From the reset vector to long mode the way OVMF's ResetVector does it: 16-bit entry at
 * 0xFFFFFFF0, 32-bit LGDT from flash, CR0.PE and a far jump to flat 32-bit code, page tables
 * for 4 GiB with 2 MiB pages, PAE + LME + PG and a far jump to 64-bit code; then interrupts
 * and exceptions through a 64-bit IDT, and through the real-mode IVT.
 */
class ModeSwitchTest {
    private static final String RESET_TO_LONG_MODE = String.join("\n",
            "bits 16",
            "org 0xFFFF0000",
            "times 0xF000 db 0",
            "gdt: dq 0",
            "  dq 0",
            "  dq 0x00CF9B000000FFFF ; 0x10: 32-bit code",
            "  dq 0x00CF93000000FFFF ; 0x18: data",
            "  dq 0",
            "  dq 0x00AF9B000000FFFF ; 0x28: 64-bit code",
            "gdt_end:",
            "gdtr: dw gdt_end - gdt - 1",
            "  dd gdt",
            "entry16:",
            "  cli",
            "  o32 lgdt [cs:gdtr - 0xFFFF0000]",
            "  mov eax, cr0",
            "  or eax, 1",
            "  mov cr0, eax",
            "  jmp dword 0x10:entry32",
            "bits 32",
            "entry32:",
            "  mov ax, 0x18",
            "  mov ds, ax",
            "  mov es, ax",
            "  mov ss, ax",
            "  mov esp, 0x90000",
            "  ; PML4 at 0x200000, PDPT at 0x201000, 4 page directories at 0x202000",
            "  mov edi, 0x200000",
            "  xor eax, eax",
            "  mov ecx, 0x6000 / 4",
            "  rep stosd",
            "  mov dword [0x200000], 0x201000 | 3",
            "  mov dword [0x201000], 0x202000 | 3",
            "  mov dword [0x201008], 0x203000 | 3",
            "  mov dword [0x201010], 0x204000 | 3",
            "  mov dword [0x201018], 0x205000 | 3",
            "  mov edi, 0x202000",
            "  mov eax, 0x83",
            "  xor edx, edx",
            "  mov ecx, 2048",
            "fill:",
            "  mov [edi], eax",
            "  mov [edi + 4], edx",
            "  add eax, 0x200000",
            "  adc edx, 0",
            "  add edi, 8",
            "  loop fill",
            "  mov eax, cr4",
            "  or eax, 0x20",
            "  mov cr4, eax",
            "  mov ecx, 0xC0000080",
            "  rdmsr",
            "  or eax, 0x100",
            "  wrmsr",
            "  mov eax, 0x200000",
            "  mov cr3, eax",
            "  mov eax, cr0",
            "  or eax, 0x80000000",
            "  mov cr0, eax",
            "  jmp 0x28:entry64",
            "bits 64",
            "entry64:",
            "  mov rax, 0x123456789",
            "  mov [0x1000], rax",
            "  ; IDT with vector 6 (#UD), 13 (#GP) and 0x80 at 0x300000",
            "  lea rsi, [rel handler_ud]",
            "  mov edi, 6",
            "  call set_gate",
            "  lea rsi, [rel handler_gp]",
            "  mov edi, 13",
            "  call set_gate",
            "  lea rsi, [rel handler_80]",
            "  mov edi, 0x80",
            "  call set_gate",
            "  lidt [rel idtr]",
            "  int 0x80",
            "  ud2",
            "  mov ecx, 0x12345",
            "  rdmsr",
            "  mov dx, 0x402",
            "  mov al, 'L'",
            "  out dx, al",
            "  hlt",
            "set_gate: ; rdi = vector, rsi = handler",
            "  shl rdi, 4",
            "  add rdi, 0x300000",
            "  mov rax, rsi",
            "  mov [rdi], ax",
            "  mov word [rdi + 2], 0x28",
            "  mov word [rdi + 4], 0x8E00",
            "  shr rax, 16",
            "  mov [rdi + 6], ax",
            "  shr rax, 16",
            "  mov [rdi + 8], eax",
            "  mov dword [rdi + 12], 0",
            "  ret",
            "handler_80:",
            "  mov rbx, 0x80",
            "  iretq",
            "handler_ud:",
            "  add qword [rsp], 2",
            "  mov r8, 6",
            "  iretq",
            "handler_gp:",
            "  pop r9",
            "  add qword [rsp], 2",
            "  mov r10, [rsp + 32]",
            "  iretq",
            "idtr: dw 0xFFF",
            "  dq 0x300000",
            "times 0xFFF0 - ($ - $$) db 0xCC",
            "  db 0xE9 ; jmp entry16 (rel16, encoded by hand: nasm cannot wrap at 64 KiB)",
            "  dw (entry16 - $$) - 0xFFF3",
            "times 0x10000 - ($ - $$) db 0xF4");

    @Test
    void resetVectorToLongModeWithInterruptsAndExceptions() {
        TestMachine m = new TestMachine();
        byte[] image = TestMachine.nasm(RESET_TO_LONG_MODE);
        assertEquals(0x10000, image.length);
        System.arraycopy(image, 0, m.ram, TestMachine.RAM - 0x10000, 0x10000);
        m.runToHlt();
        assertEquals(0x123456789L, m.read64(0x1000));
        assertTrue(m.s.in64BitMode());
        assertEquals(CpuState.EFER_LME | CpuState.EFER_LMA, m.s.efer);
        assertEquals(0x80, m.reg(CpuState.RBX), "INT 0x80 ran its handler");
        assertEquals(6, m.reg(CpuState.R8), "#UD handler ran and resumed after UD2");
        assertEquals(0, m.reg(CpuState.R9), "#GP pushed error code 0");
        assertEquals(0x18, m.reg(CpuState.R10), "the interrupt frame holds the old SS");
        assertEquals(1, m.ioWrites.size());
        assertEquals(0x402, m.ioWrites.get(0)[0]);
        assertEquals('L', m.ioWrites.get(0)[2]);
    }

    @Test
    void realModeInterruptThroughIvt() {
        TestMachine m = new TestMachine();
        // IVT entry 0x10 -> 0x2000:0x0010; handler sets BX and returns with IRET.
        m.load(0x40, 0x10, 0x00, 0x00, 0x20);
        m.load(0x20010, 0xBB, 0x34, 0x12, 0xCF); // mov bx, 0x1234; iret
        m.run16("sti\nint 0x10\npushf\npop cx");
        assertEquals(0x1234, m.reg(CpuState.RBX) & 0xFFFF);
        assertTrue((m.reg(CpuState.RCX) & 0x200) != 0, "IRET restored IF");
        assertEquals(0x8000, m.reg(CpuState.RSP) & 0xFFFF);
    }

    @Test
    void unrealModeKeepsDescriptorCache() {
        TestMachine m = new TestMachine();
        m.real();
        // Load a 4 GiB data segment in protected mode, return to real mode, access above 1 MiB through DS.
        String asm = String.join("\n",
                "bits 16",
                "org 0",
                "  o32 lgdt [cs:gdtr]",
                "  mov eax, cr0",
                "  or al, 1",
                "  mov cr0, eax",
                "  mov bx, 8",
                "  mov ds, bx",
                "  and al, 0xFE",
                "  mov cr0, eax",
                "  xor bx, bx",
                "  mov ds, bx",
                "  mov dword [dword 0x500000], 0xCAFEBABE",
                "  hlt",
                "align 8",
                "gdt: dq 0",
                "  dq 0x00CF93000000FFFF",
                "gdtr: dw 15",
                "  dd gdt + 0x10000");
        m.load(TestMachine.CODE, TestMachine.nasm(asm));
        m.runToHlt();
        assertEquals(0xCAFEBABEL, m.read64(0x500000) & 0xFFFFFFFFL);
    }

    @Test
    void tripleFaultShutsDown() {
        TestMachine m = new TestMachine();
        m.long64();
        m.s.idtLimit = 0; // every delivery faults: #UD -> #GP -> #DF -> shutdown
        m.load(TestMachine.CODE, 0x0F, 0x0B);
        m.cpu.run(10);
        assertTrue(m.cpu.shutdown());
    }

    @Test
    void protectedModeInterruptGateAndIretd() {
        TestMachine m = new TestMachine();
        m.protected32();
        // GDT with a flat 32-bit code segment at 0x08, IDT with vector 0x21 -> handler.
        m.write64(0x600, 0);
        m.write64(0x608, 0x00CF9B000000FFFFL);
        m.write64(0x610, 0x00CF93000000FFFFL);
        m.s.gdtBase = 0x600;
        m.s.gdtLimit = 0x17;
        long handler = 0x11000;
        m.write64(0x800 + 0x21 * 8, (handler & 0xFFFF) | (0x08L << 16) | (0x8EL << 40) | ((handler >> 16) << 48));
        m.s.idtBase = 0x800;
        m.s.idtLimit = 0x7FF;
        m.load(handler, TestMachine.nasm("bits 32\nmov ebx, [esp]\nmov ecx, [esp + 4]\nmov edx, [esp + 8]\npushfd\npop esi\niretd"));
        m.load(TestMachine.CODE, TestMachine.nasm("bits 32\nstc\nsti\nint 0x21\npushfd\npop edi\nhlt"));
        m.runToHlt();
        assertEquals(TestMachine.CODE + 4, m.reg(CpuState.RBX), "return EIP after INT 0x21");
        assertEquals(0x08, m.reg(CpuState.RCX));
        assertEquals(0x203, m.reg(CpuState.RDX) & 0x203, "saved EFLAGS with IF and CF");
        assertEquals(0, m.reg(CpuState.RSI) & 0x200, "an interrupt gate clears IF");
        assertEquals(0x203, m.reg(CpuState.RDI) & 0x203, "IRETD restored IF and CF");
        assertEquals(0x80000, m.reg(CpuState.RSP));
    }

    @Test
    void cr3WriteFlushesTheTlb() {
        TestMachine m = new TestMachine();
        // 4 KiB mapping of 0x400000 through a page table, then remap it and reload CR3.
        String asm = String.join("\n",
                "mov rax, 0x300000 | 3",
                "mov [0x202000 + 2 * 8], rax       ; PD entry 2 -> page table at 0x300000",
                "mov qword [0x300000], 0x700000 | 3",
                "mov dword [0x700000], 0x11111111",
                "mov dword [0x701000], 0x22222222",
                "mov eax, [0x400000]",
                "mov qword [0x300000], 0x701000 | 3",
                "mov ebx, [0x400000]              ; stale: still the old translation",
                "mov rcx, cr3",
                "mov cr3, rcx",
                "mov ecx, [0x400000]");
        m.run64(asm);
        assertEquals(0x11111111L, m.reg(CpuState.RAX));
        assertEquals(0x11111111L, m.reg(CpuState.RBX));
        assertEquals(0x22222222L, m.reg(CpuState.RCX));
    }

    @Test
    void leaveLongModeThroughCompatibilityMode() {
        TestMachine m = new TestMachine();
        m.long64();
        // GDT: 0x08 64-bit code, 0x10 data, 0x18 32-bit code.
        m.write64(0x600, 0);
        m.write64(0x608, 0x00AF9B000000FFFFL);
        m.write64(0x610, 0x00CF93000000FFFFL);
        m.write64(0x618, 0x00CF9B000000FFFFL);
        m.s.gdtBase = 0x600;
        m.s.gdtLimit = 0x1F;
        String asm = String.join("\n",
                "bits 64",
                "org 0x10000",
                "  push 0x18",
                "  push compat",
                "  retfq",
                "bits 32",
                "compat:",
                "  mov eax, cr0",
                "  and eax, 0x7FFFFFFF",
                "  mov cr0, eax",
                "  mov ecx, 0xC0000080",
                "  rdmsr",
                "  and eax, ~0x100",
                "  wrmsr",
                "  mov ebx, 0x1234",
                "  hlt");
        m.load(TestMachine.CODE, TestMachine.nasm(asm));
        m.runToHlt();
        assertEquals(0x1234, m.reg(CpuState.RBX));
        assertEquals(0, m.s.efer & (CpuState.EFER_LME | CpuState.EFER_LMA));
        assertEquals(0, m.s.cr0 & CpuState.CR0_PG);
        assertEquals(0x18, m.s.segments[CpuState.CS].selector);
    }

    @Test
    void clearingPagingIn64BitCodeIsGp() {
        TestMachine m = new TestMachine();
        m.long64();
        m.load(TestMachine.CODE, TestMachine.nasm("bits 64\nmov rax, cr0\nbtr eax, 31\nmov cr0, rax\nhlt"));
        m.cpu.setTrapExceptions(true);
        m.cpu.run(10);
        assertEquals(13, m.cpu.lastException());
        assertEquals(0, m.cpu.lastErrorCode());
    }
}
