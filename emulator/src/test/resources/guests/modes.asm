; Guest 1: CPU mode transitions.
; real (reset state) -> 16-bit protected -> 32-bit flat -> long mode (PAE, 4-level paging)
; -> compatibility mode -> 64-bit -> out of long mode to 32-bit protected (as OVMF's S3 and
; SMM paths leave it) -> 16-bit protected -> real mode, with FS keeping its 4 GiB limit
; (unreal mode).
%include "common.inc"

PATTERN_ADDR    equ 0x800000
SAVED_RSP       equ 0x5F8

        bits 16
main16:
        ; reset state: EDX holds the processor signature, CR0 = 60000010
        mov [0x600], edx
        PRINT "OK reset edx="
        PHEX [0x600]
        PRINT " cr0="
        mov eax, cr0
        PHEX eax
        PRINT 10
        ; 16-bit protected mode: CS = code16 (base FFFF0000), DS = data16
        o32 lgdt [cs:R(gdtr_rom)]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp SEL_CODE16:R(.pm16)
.pm16:  mov ax, SEL_DATA16
        mov ds, ax
        smsw ax
        and ax, 1
        cmp ax, 1
        OKFAIL e, "pm16 msw.pe=1"
        PRINT 10
        ; back to real mode, then straight into flat 32-bit mode
        mov eax, cr0
        and al, 0xFE
        mov cr0, eax
        jmp 0xF000:R(.real1)
.real1: xor ax, ax
        mov ds, ax
        mov ebx, pm32
        jmp to_pm32

        bits 32
pm32:
        mov eax, cr0
        PRINT "OK pm32 cr0="
        PHEX eax
        PRINT 10
        mov dword [PATTERN_ADDR], 0xC0DE1234
        mov ebx, long64
        jmp to_long

        bits 64
long64:
        mov ecx, 0xC0000080
        rdmsr
        mov r15, 0x123456789ABCDEF0
        rol r15, 8
        mov rax, 0x3456789ABCDEF012
        cmp r15, rax
        OKFAIL e, "long64 r15="
        PHEX64 r15
        mov ecx, 0xC0000080
        rdmsr
        PRINT " efer="
        PHEX eax
        PRINT 10
        ; compatibility mode through a far jump (m16:32)
        mov [SAVED_RSP], rsp
        jmp dword far [rel .to_compat]
.to_compat:
        dd compat32
        dw SEL_CODE32

        bits 32
compat32:
        ; PUSH is 4 bytes here; EFER.LMA is still set
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov ebp, esp
        push eax
        sub ebp, esp
        pop eax
        mov ecx, 0xC0000080
        rdmsr
        mov esi, eax
        cmp ebp, 4
        jne .bad
        test esi, 1 << 10
        jz .bad
        cmp eax, eax
.bad:
        OKFAIL e, "compat32 push-size="
        PHEX ebp
        PRINT " efer="
        PHEX esi
        PRINT 10
        jmp SEL_CODE64:back64

        bits 64
back64:
        mov rsp, [SAVED_RSP]
        mov rax, 0xFEDCBA9876543210
        mov rbx, rax
        shr rbx, 32
        cmp ebx, 0xFEDCBA98
        OKFAIL e, "back-in-64"
        PRINT 10
        ; far CALL (m16:32) into compatibility mode and a 32-bit RETF back to 64-bit code
        mov ax, SEL_DATA32
        mov ds, ax
        mov r12, rsp
        call dword far [rel .to_sub]
        mov r13, rsp
        xor eax, eax
        mov ds, ax
        cmp r13, r12
        jne .cf
        cmp dword [0x5F0], 0x5C5C
.cf:    OKFAIL e, "far-call-compat-retf"
        PRINT 10
        ; RETFQ (64-bit far return) into compatibility mode, far JMP back
        push qword SEL_CODE32
        lea rax, [rel compat_retfq]
        push rax
        o64 retf
.to_sub:
        dd compat_sub
        dw SEL_CODE32
after_retfq:
        mov rsp, [SAVED_RSP]
        cmp dword [0x5F4], 0x7E7E
        OKFAIL e, "retfq-to-compat"
        PRINT 10
        ; leave long mode: to compatibility mode, paging off (LMA clears), LME off
        jmp dword far [rel .to_leave]
.to_leave:
        dd leave32
        dw SEL_CODE32

        bits 32
compat_sub:
        ; the far CALL pushed CS and EIP as two dwords
        mov eax, [esp + 4]
        cmp eax, SEL_CODE64
        jne .x
        mov dword [0x5F0], 0x5C5C
.x:     retf

compat_retfq:
        mov ax, SEL_DATA32
        mov ds, ax
        mov dword [0x5F4], 0x7E7E
        jmp SEL_CODE64:after_retfq

        bits 32
leave32:
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x7000
        mov eax, cr0
        and eax, 0x7FFFFFFF
        mov cr0, eax
        mov ecx, 0xC0000080
        rdmsr
        mov esi, eax                    ; LME set, LMA clear
        and eax, ~(1 << 8)
        wrmsr
        rdmsr
        mov edi, eax
        mov eax, cr4
        and eax, ~(1 << 5)
        mov cr4, eax
        cmp esi, 1 << 8
        jne .bad
        test edi, edi
.bad:
        OKFAIL e, "left-long efer-after-pg-off="
        PHEX esi
        PRINT " efer="
        PHEX edi
        mov eax, cr0
        PRINT " cr0="
        PHEX eax
        PRINT 10
        ; still in 32-bit protected mode: flat data works
        cmp dword [PATTERN_ADDR], 0xC0DE1234
        OKFAIL e, "pm32-again"
        PRINT 10
        ; FS keeps a 4 GiB limit for unreal mode; the rest get 64 KiB limits
        mov ax, SEL_DATA32
        mov fs, ax
        jmp SEL_CODE16:R(pm16b)

        bits 16
pm16b:
        mov ax, SEL_DATA16
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov gs, ax
        mov eax, cr0
        and al, 0xFE
        mov cr0, eax
        jmp 0xF000:R(real2)
real2:
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7000
        xor eax, eax
        mov ax, cs
        PRINT "OK real-again cs="
        PHEX eax
        PRINT 10
        ; unreal mode: FS (selector 0 now, loaded in real mode) still reaches 8 MiB
        xor ax, ax
        mov fs, ax
        mov eax, [fs:dword PATTERN_ADDR]
        cmp eax, 0xC0DE1234
        OKFAIL e, "unreal fs:[800000]="
        PHEX eax
        PRINT 10
        mov dword [fs:dword PATTERN_ADDR + 4], 0x600DF00D
        mov eax, [fs:dword PATTERN_ADDR + 4]
        cmp eax, 0x600DF00D
        OKFAIL e, "unreal-write"
        PRINT 10
        jmp finish16

        FOOTER
