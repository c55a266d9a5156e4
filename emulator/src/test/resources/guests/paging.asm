; Guest 2: 4-level paging in 64-bit mode.
; #PF with exact CR2 and error code (not present, write to read-only with CR0.WP, user access
; to a supervisor page, NX fetch with EFER.NXE, reserved bit), accessed/dirty bits written
; back (and not on a fault), INVLPG and CR3/CR4.PGE flushes, 2 MiB and 1 GiB pages.
; Under QEMU it needs -cpu qemu64,+pdpe1gb (1 GiB pages).
; Reserved-bit faults: QEMU 7.2 reports RSVD without P (error code 8, or C from CPL 3), where
; Intel and AMD hardware also set P (9 / D); the guest expects QEMU's values, the reference.
%include "common.inc"

PT              equ 0x16000         ; 4 KiB page table for 0x400000-0x5FFFFF (PD0 entry 2)
FRAMES          equ 0x700000        ; physical frames behind the test pages
PTE             equ PT              ; PTE n at PT + 8 * n
NX              equ 1 << 63
PATTERN         equ 0x801234        ; a dword seen through the 2 MiB and 1 GiB pages

; EXPECT_PF "name", err, rip, cr2
%macro EXPECT_PF 4
        mov rax, %4
        cmp [LAST_CR2], rax
        jne %%bad
        mov rax, %3
        cmp [LAST_RIP], rax
        jne %%bad
        cmp qword [LAST_VEC], 14
        jne %%bad
        cmp qword [LAST_ERR], %2
%%bad:
        OKFAIL e, %1
        PRINT " cr2="
        PHEX64 [LAST_CR2]
        PRINT " err="
        PHEX [LAST_ERR]
        PRINT 10
%endmacro

; USER label: continues at label in 64-bit user mode (CPL 3), stack 0x7800
%macro USER 1
        push SEL_UDATA
        push 0x7800
        push 0x002
        push SEL_UCODE64
        lea rax, [rel %1]
        push rax
        iretq
%endmacro

; SETPTE n, value: writes PTE n (64-bit value)
%macro SETPTE 2
        mov rax, %2
        mov [PTE + 8 * %1], rax
%endmacro

        bits 16
main16:
        mov ebx, pm32
        jmp to_pm32

        bits 32
pm32:
        mov ebx, long64
        jmp to_long

        bits 64
long64:
        call setup_idt64
        ; EFER.NXE and CR0.WP on
        mov ecx, 0xC0000080
        rdmsr
        or eax, 1 << 11
        wrmsr
        mov rax, cr0
        or eax, 1 << 16
        mov cr0, rax
        ; frames: X/Y patterns for the remap tests, a known dword for the large pages
        mov dword [FRAMES + 0x6000], 'XXXX'
        mov dword [FRAMES + 0x7000], 'YYYY'
        mov dword [PATTERN], 0xBADC0FFE
        ; the 4 KiB table
        mov rdi, PT
        xor eax, eax
        mov ecx, 512
        rep stosq
        SETPTE 1, FRAMES + 0x1000 + 0x001               ; present, read-only, supervisor
        SETPTE 2, FRAMES + 0x2000 + 0x003               ; read/write, supervisor
        SETPTE 3, FRAMES + 0x3000 + 0x007 + NX          ; user, no-execute
        SETPTE 4, FRAMES + 0x4000 + 0x007 + (1 << 45)   ; reserved bit 45 (40 physical bits)
        SETPTE 5, FRAMES + 0x5000 + 0x007               ; A and D clear
        SETPTE 6, FRAMES + 0x6000 + 0x007               ; remapped below
        mov qword [PD0 + 2 * 8], PT | 7
        mov qword [PD0 + 5 * 8], 0x800000 | 0x87        ; 2 MiB page at 10 MiB -> 8 MiB
        mov qword [PDPT + 4 * 8], 0x87                  ; 1 GiB page at 4 GiB -> 0
        mov rax, cr3
        mov cr3, rax

        ; ---- faults ----
        ARM f1
pf1:    mov al, [0x400123]
f1:     EXPECT_PF "pf-read-notpresent", 0, pf1, 0x400123

        ARM f2
pf2:    mov byte [0x400FFF], 1
f2:     EXPECT_PF "pf-write-notpresent", 2, pf2, 0x400FFF

        ARM f3
pf3:    mov dword [0x401010], 1
f3:     EXPECT_PF "pf-write-readonly-wp", 3, pf3, 0x401010

        ARM f4
        USER pf4
pf4:    mov al, [0x402008]
f4:     EXPECT_PF "pf-user-read-supervisor", 5, pf4, 0x402008

        ARM f5
        USER pf5
pf5:    mov byte [0x401001], 2
f5:     EXPECT_PF "pf-user-write-readonly-supervisor", 7, pf5, 0x401001

        ARM f6
        mov rax, 0x403000
        call rax
f6:     EXPECT_PF "pf-nx-fetch", 0x11, 0x403000, 0x403000

        ARM f7
pf7:    mov eax, [0x404ABC]
f7:     EXPECT_PF "pf-reserved-bit", 8, pf7, 0x404ABC

        ARM f7w
pf7w:   mov dword [0x404ABC], 1
f7w:    EXPECT_PF "pf-write-reserved-bit", 0xA, pf7w, 0x404ABC

        ARM f8
        USER pf8
pf8:    mov eax, [0x404000]
f8:     EXPECT_PF "pf-user-reserved-bit", 0xC, pf8, 0x404000

        ; a page that faulted got no accessed bit
        mov rax, [PTE + 8 * 1]
        cmp eax, FRAMES + 0x1000 + 0x001
        OKFAIL e, "no-ad-on-fault pte="
        PHEX eax
        PRINT 10

        ; CR0.WP off: supervisor writes ignore R/W (and set A and D)
        mov rax, cr0
        and eax, ~(1 << 16)
        mov cr0, rax
        mov dword [0x401010], 0x5A5A5A5A
        mov rax, cr0
        or eax, 1 << 16
        mov cr0, rax
        mov eax, [FRAMES + 0x1010]
        mov ebx, [PTE + 8 * 1]
        cmp eax, 0x5A5A5A5A
        jne .wp
        cmp ebx, FRAMES + 0x1000 + 0x061
.wp:    OKFAIL e, "wp0-write pte="
        PHEX ebx
        PRINT 10

        ; ---- accessed and dirty bits ----
        and qword [PD0 + 2 * 8], ~0x20                  ; the PDE's A bit too
        mov rax, cr3
        mov cr3, rax
        mov eax, [0x405000]
        mov ebx, [PTE + 8 * 5]
        mov ecx, [PD0 + 2 * 8]
        cmp ebx, FRAMES + 0x5000 + 0x027
        jne .a
        cmp ecx, PT | 0x27
.a:     OKFAIL e, "accessed-on-read pte="
        PHEX ebx
        PRINT " pde="
        PHEX ecx
        PRINT 10
        mov byte [0x405000], 1
        mov ebx, [PTE + 8 * 5]
        cmp ebx, FRAMES + 0x5000 + 0x067
        OKFAIL e, "dirty-on-write pte="
        PHEX ebx
        PRINT 10
        ; a clean page cached for reads still gets D on the first write after the TLB saw it
        and qword [PTE + 8 * 5], ~0x40
        invlpg [0x405000]
        mov eax, [0x405000]
        mov byte [0x405001], 2
        mov ebx, [PTE + 8 * 5]
        cmp ebx, FRAMES + 0x5000 + 0x067
        OKFAIL e, "dirty-after-read pte="
        PHEX ebx
        PRINT 10

        ; ---- TLB flushes (only architecturally guaranteed outcomes are checked) ----
        mov eax, [0x406000]                             ; cached: X
        SETPTE 6, FRAMES + 0x7000 + 0x007
        invlpg [0x406000]
        mov eax, [0x406000]
        cmp eax, 'YYYY'
        OKFAIL e, "invlpg-remap value="
        PHEX eax
        PRINT 10
        SETPTE 6, FRAMES + 0x6000 + 0x007
        mov rax, cr3
        mov cr3, rax
        mov eax, [0x406000]
        cmp eax, 'XXXX'
        OKFAIL e, "cr3-reload-remap value="
        PHEX eax
        PRINT 10
        ; global page: a CR3 write may keep it (varsgen does, QEMU does not); clearing CR4.PGE may not
        mov rax, cr4
        or eax, 1 << 7
        mov cr4, rax
        SETPTE 6, FRAMES + 0x6000 + 0x107
        invlpg [0x406000]
        mov eax, [0x406000]
        SETPTE 6, FRAMES + 0x7000 + 0x107
        mov rax, cr3
        mov cr3, rax
        mov eax, [0x406000]
        cmp eax, 'XXXX'
        je .g
        cmp eax, 'YYYY'
.g:     OKFAIL e, "global-after-cr3 (X or Y)"
        PRINT 10
        mov rax, cr4
        and eax, ~(1 << 7)
        mov cr4, rax
        mov eax, [0x406000]
        cmp eax, 'YYYY'
        OKFAIL e, "pge-off-flush value="
        PHEX eax
        PRINT 10

        ; ---- large pages ----
        mov eax, [0xA00000 + (PATTERN - 0x800000)]
        mov ebx, [PD0 + 5 * 8]
        cmp eax, 0xBADC0FFE
        jne .l2
        cmp ebx, 0x800000 | 0xA7
.l2:    OKFAIL e, "2m-page-read value="
        PHEX eax
        PRINT " pde="
        PHEX ebx
        PRINT 10
        mov dword [0xA00000 + (PATTERN - 0x800000) + 4], 0x2222
        mov eax, [PATTERN + 4]
        mov ebx, [PD0 + 5 * 8]
        cmp eax, 0x2222
        jne .l3
        cmp ebx, 0x800000 | 0xE7
.l3:    OKFAIL e, "2m-page-write pde="
        PHEX ebx
        PRINT 10
        mov rax, 0x100000000 + PATTERN
        mov eax, [rax]
        mov ebx, [PDPT + 4 * 8]
        cmp eax, 0xBADC0FFE
        jne .l4
        cmp ebx, 0xA7
.l4:    OKFAIL e, "1g-page-read value="
        PHEX eax
        PRINT " pdpte="
        PHEX ebx
        PRINT 10
        ; a 2 MiB page with a reserved bit in 20:13
        mov qword [PD0 + 5 * 8], 0x800000 | 0x87 | (1 << 13)
        invlpg [0xA00000]
        ARM f9
pf9:    mov eax, [0xA00010]
f9:     EXPECT_PF "pf-2m-reserved-bit", 8, pf9, 0xA00010
        jmp finish64

        FOOTER
