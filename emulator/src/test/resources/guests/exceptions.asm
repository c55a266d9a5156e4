; Guest 3: exception and interrupt delivery.
; Real mode: INT n and #DE through the IVT. 32-bit protected mode: #GP with a selector error
; code and INT n through 8-byte interrupt gates. 64-bit mode: #DE, #UD, #GP with a selector error
; code, #GP(0), #PF, #BP (INT3), INT n, #DF when the #GP gate is not present (on IST1), and
; a fault at CPL 3 switching to RSP0 from the TSS.
%include "common.inc"

RM_IP           equ 0x600
RM_CS           equ 0x602
RM_FLAGS        equ 0x604
RM_VEC          equ 0x606

        bits 16
main16:
        ; IVT: vector 0x21 and vector 0 (#DE) point into the F000 alias of the image
        mov word [0x21 * 4], R(rm_int21)
        mov word [0x21 * 4 + 2], 0xF000
        mov word [0 * 4], R(rm_de)
        mov word [0 * 4 + 2], 0xF000
        jmp 0xF000:R(.f000)
.f000:
        mov word [RM_VEC], 0xFFFF
        push word 0x0246                ; IF, ZF, PF set before the INT
        popf
        int 0x21
.after_int:
        pushf
        pop bx                          ; IF restored by IRET
        cmp word [RM_VEC], 0x21
        jne .b1
        cmp word [RM_IP], R(.after_int)
        jne .b1
        cmp word [RM_CS], 0xF000
        jne .b1
        cmp word [RM_FLAGS], 0x0246
        jne .b1
        cmp bx, 0x0246
.b1:    OKFAIL e, "rm-int21 cs.ip="
        PHEX dword [RM_IP]
        PRINT " flags="
        xor eax, eax
        mov ax, [RM_FLAGS]
        PHEX eax
        PRINT 10
        ; #DE: the saved IP is the DIV itself; the handler skips it
        mov word [RM_VEC], 0xFFFF
        xor bl, bl
        mov ax, 5
.div:   div bl
        cmp word [RM_VEC], 0
        jne .b2
        cmp word [RM_IP], R(.div)
.b2:    OKFAIL e, "rm-de ip="
        xor eax, eax
        mov ax, [RM_IP]
        PHEX eax
        PRINT 10
        cli
        mov ebx, pm32
        jmp to_pm32

rm_int21:
        push bp
        mov bp, sp
        mov word [RM_VEC], 0x21
        mov ax, [bp + 2]
        mov [RM_IP], ax
        mov ax, [bp + 4]
        mov [RM_CS], ax
        mov ax, [bp + 6]
        mov [RM_FLAGS], ax
        pop bp
        iret

rm_de:
        push bp
        mov bp, sp
        mov word [RM_VEC], 0
        mov ax, [bp + 2]
        mov [RM_IP], ax
        add word [bp + 2], 2            ; skip DIV BL (2 bytes)
        pop bp
        iret

        bits 32
; 32-bit protected mode: an IDT of 8-byte interrupt gates for #GP and INT 41h
IDT32           equ 0x4000
SEEN32_ERR      equ 0x640
SEEN32_EIP      equ 0x644
SEEN32_CS       equ 0x648
RESUME32        equ 0x64C

%macro GATE32 2                         ; vector, handler
        mov eax, %2
        mov word [IDT32 + %1 * 8], ax
        mov word [IDT32 + %1 * 8 + 2], SEL_CODE32
        mov word [IDT32 + %1 * 8 + 4], 0x8E00
        shr eax, 16
        mov word [IDT32 + %1 * 8 + 6], ax
%endmacro

pm32:
        mov edi, IDT32
        xor eax, eax
        mov ecx, 256 * 8 / 4
        rep stosd
        GATE32 13, gp32
        GATE32 0x41, int41_32
        lidt [idtr32]

        mov dword [RESUME32], .gp_done
        mov ax, 0x2B8
.gp_fault:
        mov es, ax
.gp_done:
        mov eax, [SEEN32_EIP]
        cmp eax, .gp_fault
        jne .b1
        cmp dword [SEEN32_CS], SEL_CODE32
        jne .b1
        cmp dword [SEEN32_ERR], 0x2B8
.b1:    OKFAIL e, "pm32-gp-selector err="
        PHEX [SEEN32_ERR]
        PRINT " cs="
        PHEX [SEEN32_CS]
        PRINT 10

        mov dword [SEEN32_EIP], 0
        int 0x41
.int_after:
        cmp dword [SEEN32_EIP], .int_after
        OKFAIL e, "pm32-int41"
        PRINT 10

        mov ebx, long64
        jmp to_long

gp32:
        pop dword [SEEN32_ERR]
        push eax
        mov eax, [esp + 4]
        mov [SEEN32_EIP], eax
        mov eax, [esp + 8]
        mov [SEEN32_CS], eax
        mov eax, [RESUME32]
        mov [esp + 4], eax
        pop eax
        iretd

int41_32:
        push eax
        mov eax, [esp + 4]
        mov [SEEN32_EIP], eax
        pop eax
        iretd

idtr32:
        dw 256 * 8 - 1
        dd IDT32

        bits 64
long64:
        call setup_idt64

        ARM de_done
        xor edx, edx
        mov eax, 7
        xor ecx, ecx
de_fault:
        div ecx
de_done:
        EXPECT "de", 0, -1, de_fault
        PRINT 10

        ARM ud_done
ud_fault:
        ud2
ud_done:
        EXPECT "ud", 6, -1, ud_fault
        PRINT 10

        ARM gpsel_done
        mov ax, 0x2B8                   ; beyond the GDT limit
gpsel_fault:
        mov ds, ax
gpsel_done:
        EXPECT "gp-selector", 13, 0x2B8, gpsel_fault
        PRINT 10

        ARM gp0_done
        mov rax, 0x8000000000000000     ; non-canonical
gp0_fault:
        mov rbx, [rax]
gp0_done:
        EXPECT "gp-noncanonical", 13, 0, gp0_fault
        PRINT 10

        ARM pf_done
        mov rax, 0x8000001234           ; PML4 entry 1 is not present
pf_fault:
        mov [rax], bl
pf_done:
        EXPECT "pf-write-notpresent", 14, 2, pf_fault
        PRINT " cr2="
        PHEX64 [LAST_CR2]
        PRINT 10

        ARM bp_done
        int3
bp_after:
        nop
bp_done:
        EXPECT "bp-int3", 3, -1, bp_after
        PRINT 10

        ARM int_done
        int 0x40
int_after:
        nop
int_done:
        EXPECT "int-0x40", 0x40, -1, int_after
        PRINT 10

        ARM np_done
        mov ax, SEL_NOTPRESENT
np_fault:
        mov es, ax
np_done:
        EXPECT "np-segment", 11, SEL_NOTPRESENT, np_fault
        PRINT 10

        ARM udsse_done
udsse_fault:
        movaps xmm0, xmm1               ; CR4.OSFXSR clear
udsse_done:
        EXPECT "ud-sse-without-osfxsr", 6, -1, udsse_fault
        PRINT 10

        mov rax, cr4
        or eax, 1 << 9                  ; OSFXSR
        mov cr4, rax
        mov rax, cr0
        or eax, 1 << 3                  ; TS
        mov cr0, rax
        ARM nm_done
nm_fault:
        movaps xmm0, xmm1
nm_done:
        clts
        EXPECT "nm-sse-with-ts", 7, -1, nm_fault
        PRINT 10

        ARM rsm_done
rsm_fault:
        rsm
rsm_done:
        EXPECT "ud-rsm-outside-smm", 6, -1, rsm_fault
        PRINT 10

        ; #DF: the #GP gate is not present, so delivering #GP raises #NP, which doubles
        and byte [IDT_RAM + 13 * 16 + 5], 0x7F
        ARM df_done
        mov ax, 0x2B8
df_fault:
        mov ds, ax
df_done:
        or byte [IDT_RAM + 13 * 16 + 5], 0x80
        EXPECT "df", 8, 0, df_fault
        ; #DF runs on IST1: the frame sits at its top (aligned; 5 qwords + error + vector)
        PRINT " handler-rsp="
        PHEX64 [LAST_RSP]
        PRINT 10
        cmp qword [LAST_RSP], IST1_TOP - 56
        OKFAIL e, "df-ist1"
        PRINT 10

        ; CPL 3 -> CPL 0: a #GP in user mode is taken on RSP0 from the TSS, CS/SS from CPL 3
        ARM user_done
        push SEL_UDATA
        push 0x7800
        push 0x002
        push SEL_UCODE64
        lea rax, [rel user_code]
        push rax
        iretq
user_code:
        nop
user_fault:
        cli                             ; IOPL 0: #GP(0) at CPL 3
user_done:
        EXPECT "user-gp", 13, 0, user_fault
        PRINT " cs="
        PHEX [LAST_CS]
        PRINT " handler-rsp="
        PHEX64 [LAST_RSP]
        PRINT 10
        cmp qword [LAST_RSP], RSP0_TOP - 56
        OKFAIL e, "rsp0-switch"
        PRINT 10
        jmp finish64

        FOOTER
