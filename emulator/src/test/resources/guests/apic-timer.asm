; Guest 4: the local APIC timer in 64-bit mode.
; Periodic timer on vector 0x20 (divide by 1), HLT waits for each tick; the handler sees the
; vector in service and ends it with EOI. Then, with IF = 0, the tick stays pending in IRR
; until STI lets it in.
%include "common.inc"

APIC            equ 0xFEE00000
TICKS           equ 0x600
HALTS           equ 0x604
ISR_SEEN        equ 0x608
VECTOR          equ 0x20

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
        lea rax, [rel timer_isr]
        mov rdi, IDT_RAM + VECTOR * 16
        mov word [rdi], ax
        shr rax, 16
        mov word [rdi + 6], ax
        shr rax, 16
        mov dword [rdi + 8], eax
        mov dword [TICKS], 0
        mov dword [HALTS], 0
        mov dword [ISR_SEEN], 0

        mov rbx, APIC
        mov eax, [rbx + 0x30]
        PRINT "OK apic-version="
        PHEX eax
        PRINT 10
        mov dword [rbx + 0xF0], 0x1FF           ; software enable, spurious vector FF
        mov dword [rbx + 0x3E0], 0xB            ; divide by 1
        mov dword [rbx + 0x320], (1 << 17) | VECTOR   ; periodic
        mov dword [rbx + 0x380], 200000         ; 200 us at the 1 GHz APIC clock
        mov eax, [rbx + 0x390]
        cmp eax, 200000
        ja .ccr
        test eax, eax
        jz .ccr
        cmp eax, eax
.ccr:   OKFAIL e, "timer-running (0 < current count <= initial)"
        PRINT 10

.wait:  sti
        hlt
        cli
        add dword [HALTS], 1
        cmp dword [TICKS], 3
        jb .wait
        mov eax, [TICKS]
        cmp eax, 3
        jne .t
        cmp dword [HALTS], 3
.t:     OKFAIL e, "apic-timer ticks="
        PHEX eax
        PRINT " halts="
        PHEX [HALTS]
        PRINT 10
        mov eax, [ISR_SEEN]
        mov ecx, [rbx + 0x110]
        cmp eax, 1
        jne .i
        test ecx, 1
.i:     OKFAIL e, "in-service-during-handler="
        PHEX eax
        PRINT " after-eoi="
        PHEX ecx
        PRINT 10

        ; IF = 0: the next tick waits in IRR, then STI delivers it after its one-instruction shadow
.irr:   mov eax, [rbx + 0x210]
        test eax, 1
        jz .irr
        mov ecx, [TICKS]
        sti
        mov edx, [TICKS]                        ; in the STI shadow: not yet delivered
        nop
        cli
        mov eax, [TICKS]
        cmp ecx, 3
        jne .s
        cmp edx, 3
        jne .s
        cmp eax, 4
.s:     OKFAIL e, "pending-until-sti ticks="
        PHEX eax
        PRINT 10

        ; mask the timer; with IF = 1 and nothing pending the loop must not see another tick
        mov dword [rbx + 0x320], (1 << 16) | VECTOR
        mov dword [rbx + 0x380], 0
        mov eax, [rbx + 0x390]
        test eax, eax
        OKFAIL z, "timer-stopped ccr="
        PHEX eax
        PRINT 10
        jmp finish64

timer_isr:
        push rax
        push rbx
        mov rbx, APIC
        mov eax, [rbx + 0x110]                  ; ISR bits 32-63: vector 0x20 is bit 0
        and eax, 1
        mov [ISR_SEEN], eax
        add dword [TICKS], 1
        mov dword [rbx + 0xB0], 0               ; EOI
        pop rbx
        pop rax
        iretq

        FOOTER
