; fwcfg-dma-probe.asm: a 64 KiB flash image for QEMU's pflash unit 0 that exercises fw_cfg's DMA
; interface and the SMI feature negotiation as OVMF uses them, printing on port 0x402:
;   V <tag> <hex>   the DMA control word QEMU wrote back, or bytes read
;   END
; The selectors are those of QEMU 7.2's directory on Debian's command line (see
; emulator/src/test/resources/qemu-fwcfg/plain/directory.tsv). Used by
; scripts/capture-qemu-probes.sh; assemble here with `nasm -f bin -o fwcfg-dma-probe.bin fwcfg-dma-probe.asm`.
bits 16
org 0

SEL_E820      equ 0x25
SEL_OK        equ 0x28
SEL_REQUESTED equ 0x29
SEL_SUPPORTED equ 0x2A
SEL_STATES    equ 0x2B
DESC          equ 0x1000      ; the DMA descriptor (big-endian control, length, address)
BUF           equ 0x2000

CTL_READ   equ 2
CTL_SKIP   equ 4
CTL_SELECT equ 8
CTL_WRITE  equ 16

; dma control, length: runs one descriptor with the buffer BUF, prints its control word back
%macro dma 3                    ; tag, control, length
        mov eax, %2
        mov ecx, %3
        call run_dma
        mov si, %%t
        call tag
        mov eax, [DESC]
        bswap eax
        call hex32
        call newline
        jmp %%e
%%t:    db %1, 0
%%e:
%endmacro
; show bytes: tag, count (from BUF)
%macro show 2
        mov si, %%t
        mov cx, %2
        call show_buf
        jmp %%e
%%t:    db %1, 0
%%e:
%endmacro
; request features: writes the 8-byte value through DMA, selects features-ok, reads it
%macro request 2                ; tag, value
        mov dword [BUF], %2
        mov dword [BUF + 4], 0
        mov eax, SEL_REQUESTED << 16 | CTL_SELECT | CTL_WRITE
        mov ecx, 8
        call run_dma
        mov ax, SEL_OK
        mov dx, 0x510
        out dx, ax
        mov dx, 0x511
        in al, dx
        mov si, %%t
        call tag
        call hex8
        call newline
        jmp %%e
%%t:    db %1, 0
%%e:
%endmacro

start:
        cli
        cld
        xor ax, ax
        mov ss, ax
        mov sp, 0x7000
        mov ds, ax
        mov es, ax

        ; the DMA register reads its signature
        mov dx, 0x514
        in eax, dx
        mov si, t_sig_hi
        call tag
        call hex32
        call newline
        mov dx, 0x518
        in eax, dx
        mov si, t_sig_lo
        call tag
        call hex32
        call newline
        ; port oddities: a byte read at the selector port reads data; a word read
        mov ax, 0
        mov dx, 0x510
        out dx, ax
        in al, dx
        mov si, t_pio8
        call tag
        call hex8
        call newline
        in ax, dx
        mov si, t_pio16
        call tag
        call hex16
        call newline

        call fill
        dma "read-states", SEL_STATES << 16 | CTL_SELECT | CTL_READ, 10
        show "states", 12
        call fill
        dma "skip-e820", SEL_E820 << 16 | CTL_SELECT | CTL_SKIP, 20
        dma "read-e820", CTL_READ, 20
        show "e820-second", 24
        dma "write-supported", SEL_SUPPORTED << 16 | CTL_SELECT | CTL_WRITE, 8
        dma "write-requested-9", SEL_REQUESTED << 16 | CTL_SELECT | CTL_WRITE, 9
        call fill
        dma "select-only", SEL_STATES << 16 | CTL_SELECT, 4
        show "select-only-buf", 4
        dma "read-invalid", 0x3FFF << 16 | CTL_SELECT | CTL_READ, 4
        show "invalid", 4
        call fill
        dma "read-supported", SEL_SUPPORTED << 16 | CTL_SELECT | CTL_READ, 8
        show "supported", 8
        request "ok-unknown-bit", 0x8
        request "ok-hotplug-only", 0x2
        request "ok-unplug", 0x5
        request "ok-unplug-only", 0x4
        request "ok-broadcast", 0x1
        request "ok-after-lock", 0x7
        call fill
        dma "read-requested", SEL_REQUESTED << 16 | CTL_SELECT | CTL_READ, 8
        show "requested", 8

        mov si, t_end
        call puts
.halt:  hlt
        jmp .halt

; run_dma: EAX = control, ECX = length; descriptor at DESC, buffer BUF
run_dma:
        bswap eax
        mov [DESC], eax
        mov eax, ecx
        bswap eax
        mov [DESC + 4], eax
        mov dword [DESC + 8], 0
        mov eax, BUF
        bswap eax
        mov [DESC + 12], eax
        xor eax, eax
        mov dx, 0x514
        out dx, eax
        mov eax, DESC
        bswap eax
        mov dx, 0x518
        out dx, eax
        ret

; fill: BUF = 32 bytes of 0xEE
fill:   mov di, BUF
        mov cx, 32
        mov al, 0xEE
        rep stosb
        ret

; show_buf: CS:SI = tag, CX = bytes from BUF
show_buf:
        call tag
        mov bx, BUF
.l:     mov al, [bx]
        call hex8
        inc bx
        loop .l
        jmp newline

; tag: prints "V <tag> " (CS:SI = tag); keeps EAX
tag:    push eax
        push si
        mov si, t_v
        call puts
        pop si
        call puts
        call space
        pop eax
        ret

%include "debugcon.inc"

t_v:      db "V ", 0
t_sig_hi: db "dma-register-0", 0
t_sig_lo: db "dma-register-4", 0
t_pio8:   db "selector-port-byte", 0
t_pio16:  db "selector-port-word", 0
t_end:    db "END", 10, 0

        times 0xFFF0 - ($ - $$) db 0xFF
reset:  jmp 0xF000:start
        times 0x10000 - ($ - $$) db 0xFF
