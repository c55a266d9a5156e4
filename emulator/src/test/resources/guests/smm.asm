; Guest 5: SMM entry, save-state edits and RSM, without a chipset.
; An SMI is raised from 64-bit mode by a local APIC self-IPI with SMI delivery mode (as OVMF
; relocates SMBASE). SMRAM is plain RAM at the default SMBASE 0x30000. The handler records
; what it sees (SMBASE and revision in the AMD64 save-state map, CR0 and EFER inside SMM, the
; saved EFER), writes a new SMBASE (0x40000) and a new saved RBX, and returns with RSM. A
; second SMI must then enter at the new SMBASE (the old handler is replaced by HLTs).
%include "common.inc"

APIC            equ 0xFEE00000
SMM_COUNT       equ 0x5F0
SEEN            equ 0x610               ; 16 bytes per SMI: smbase, revision, cr0, saved efer
SEEN_EFER       equ 0x630               ; EFER inside SMM, per SMI (4 bytes each)
HANDLER_SIZE    equ smm_handler_end - smm_handler

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
        mov word [SMM_COUNT], 0
        lea rsi, [rel smm_handler]
        mov rdi, 0x38000
        mov ecx, HANDLER_SIZE
        rep movsb
        mov rbx, APIC
        mov dword [rbx + 0xF0], 0x1FF

        ; first SMI at the default SMBASE
        mov r12, rsp
        mov r13, cr3
        mov rbx, 0x1111111111111111
        mov rdi, APIC
        mov dword [rdi + 0x310], 0
        mov dword [rdi + 0x300], (1 << 18) | (2 << 8)  ; self, SMI
.w1:    pause
        cmp word [SMM_COUNT], 1
        jb .w1
        mov r14, rbx
        mov eax, [SEEN]
        cmp eax, 0x30000
        jne .b1
        cmp dword [SEEN + 4], 0x00020064
.b1:    OKFAIL e, "smi1 smbase="
        PHEX [SEEN]
        PRINT " revision="
        PHEX [SEEN + 4]
        PRINT 10
        mov eax, [SEEN + 8]
        cmp eax, 0x60000010
        jne .b2
        cmp dword [SEEN_EFER], 0
        jne .b2
        cmp dword [SEEN + 12], 0x500
.b2:    OKFAIL e, "smi1 smm-cr0="
        PHEX [SEEN + 8]
        PRINT " smm-efer="
        PHEX [SEEN_EFER]
        PRINT " saved-efer="
        PHEX [SEEN + 12]
        PRINT 10
        mov rax, 0xC0FFEE01                     ; RSM loaded the edited RBX (upper half too)
        cmp r14, rax
        jne .b3
        cmp rsp, r12
        jne .b3
        mov rax, cr3
        cmp rax, r13
.b3:    OKFAIL e, "rsm rbx="
        PHEX64 r14
        PRINT 10
        mov ecx, 0xC0000080
        rdmsr
        cmp eax, 0x500
        OKFAIL e, "rsm efer="
        PHEX eax
        PRINT 10

        ; second SMI: the handler now lives at 0x40000 + 0x8000; the old copy is HLTs
        lea rsi, [rel smm_handler]
        mov rdi, 0x48000
        mov ecx, HANDLER_SIZE
        rep movsb
        mov rdi, 0x38000
        mov al, 0xF4
        mov ecx, HANDLER_SIZE
        rep stosb
        mov rbx, 0x2222222222222222
        mov rdi, APIC
        mov dword [rdi + 0x300], (1 << 18) | (2 << 8)
.w2:    pause
        cmp word [SMM_COUNT], 2
        jb .w2
        mov r14, rbx
        mov eax, [SEEN + 16]
        cmp eax, 0x40000
        jne .b4
        mov rax, 0xC0FFEE02
        cmp r14, rax
.b4:    OKFAIL e, "smi2 smbase="
        PHEX [SEEN + 16]
        PRINT " rbx="
        PHEX64 r14
        PRINT 10
        jmp finish64

; The SMI handler: 16-bit code at SMBASE + 0x8000 with CS base SMBASE, data segments flat;
; it addresses the save-state map through CS (offsets from SMBASE), so it runs at any SMBASE.
        bits 16
smm_handler:
        mov si, [SMM_COUNT]
        shl si, 4
        mov eax, [cs:0xFF00]                    ; SMBASE
        mov [si + SEEN], eax
        mov eax, [cs:0xFEFC]                    ; revision
        mov [si + SEEN + 4], eax
        mov eax, cr0
        mov [si + SEEN + 8], eax
        mov eax, [cs:0xFED0]                    ; saved EFER
        mov [si + SEEN + 12], eax
        mov ecx, 0xC0000080
        rdmsr
        shr si, 2
        mov [si + SEEN_EFER], eax
        cmp word [SMM_COUNT], 0
        jne .second
        mov dword [cs:0xFF00], 0x40000          ; relocate SMBASE
        mov dword [cs:0xFFE0], 0xC0FFEE01       ; saved RBX
        mov dword [cs:0xFFE4], 0
        jmp .out
.second:
        mov dword [cs:0xFFE0], 0xC0FFEE02
        mov dword [cs:0xFFE4], 0
.out:
        add word [SMM_COUNT], 1
        rsm
smm_handler_end:

        FOOTER
