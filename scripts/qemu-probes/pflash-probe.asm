; pflash-probe.asm: a 64 KiB flash image for QEMU's pflash unit 0 that exercises both CFI flash
; devices (unit 1, the vars flash, right below this image; unit 0, this image, read-only) with
; the commands OVMF uses and the ones around them, printing on the debug console (port 0x402):
;   V <tag> <hex>   a value read after the step named by tag (reads of 1, 2 or 4 bytes)
;   END
; Used by scripts/capture-qemu-pflash.sh, which makes the vars image 0x84000 bytes, so unit 1
; starts at 4 GiB - 64 KiB - 0x84000. Assemble in this directory with
; `nasm -f bin -o pflash-probe.bin pflash-probe.asm`.
bits 16
org 0

UNIT0      equ 0xFFFF0000
UNIT1      equ UNIT0 - 0x84000

%macro cmd 2                     ; cmd address, byte: a command (or data) write
        mov byte [fs:dword %1], %2
%endmacro
%macro rd8 2                     ; rd8 tag, address
        mov si, %%t
        mov al, [fs:dword %2]
        call show8
        jmp %%e
%%t:    db %1, 0
%%e:
%endmacro
%macro rd16 2
        mov si, %%t
        mov ax, [fs:dword %2]
        call show16
        jmp %%e
%%t:    db %1, 0
%%e:
%endmacro
%macro rd32 2
        mov si, %%t
        mov eax, [fs:dword %2]
        call show32
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
        call unreal

        rd8 "array", UNIT1 + 0x10
        rd32 "array32", UNIT1 + 0x10
        ; CFI query: every byte of the table and beyond, then wide reads
        cmd UNIT1 + 0x55, 0x98
        mov si, str_cfi
        call puts
        mov ebx, UNIT1
.cfi:   mov al, [fs:ebx]
        call hex8
        inc ebx
        cmp ebx, UNIT1 + 0x60
        jb .cfi
        call newline
        rd16 "cfi16", UNIT1 + 0x10
        rd32 "cfi32", UNIT1 + 0x10
        rd8 "cfi-high", UNIT1 + 0x110
        cmd UNIT1, 0x70                           ; anything but 0xFF keeps query mode
        rd8 "cfi-after-70", UNIT1 + 0x10
        cmd UNIT1, 0xFF
        rd8 "cfi-exit", UNIT1 + 0x10
        ; read id
        cmd UNIT1, 0x90
        rd8 "id0", UNIT1
        rd8 "id1", UNIT1 + 1
        rd8 "id2", UNIT1 + 2
        rd32 "id32", UNIT1
        cmd UNIT1, 0xFF
        ; status: reset value, widths
        cmd UNIT1, 0x70
        rd8 "status", UNIT1 + 0x10
        rd16 "status16", UNIT1 + 0x10
        rd32 "status32", UNIT1 + 0x10
        ; OVMF's probe: clear status (array again), read status, program, read status
        cmd UNIT1 + 0x10, 0x50
        rd8 "after-50", UNIT1 + 0x10
        cmd UNIT1 + 0x10, 0x70
        rd8 "status-cleared", UNIT1 + 0x10
        cmd UNIT1 + 0x20000, 0x10
        rd8 "program-setup", UNIT1 + 0x20000
        cmd UNIT1 + 0x20000, 0x12
        rd8 "programmed", UNIT1 + 0x20000
        rd32 "programmed32", UNIT1 + 0x20000
        cmd UNIT1, 0xFF
        rd32 "array-programmed", UNIT1 + 0x20000
        ; a 4-byte program
        cmd UNIT1 + 0x20010, 0x40
        mov dword [fs:dword UNIT1 + 0x20010], 0x11223344
        cmd UNIT1, 0xFF
        rd32 "array-program32", UNIT1 + 0x20010
        ; block erase: setup (QEMU erases here already), confirm
        cmd UNIT1 + 0x20123, 0x20
        rd8 "erase-setup", UNIT1 + 0x20000
        cmd UNIT1 + 0x20123, 0xD0
        rd8 "erase-confirmed", UNIT1 + 0x20000
        cmd UNIT1, 0xFF
        rd32 "array-erased", UNIT1 + 0x20000
        rd32 "array-next-sector", UNIT1 + 0x21000
        ; a bad confirm, an unknown command
        cmd UNIT1 + 0x22000, 0x20
        cmd UNIT1 + 0x22000, 0x42
        rd8 "bad-confirm", UNIT1 + 0x22000
        cmd UNIT1, 0x42
        rd8 "unknown", UNIT1 + 0x10
        ; lock commands
        cmd UNIT1, 0x60
        cmd UNIT1, 0xD0
        rd8 "unlock", UNIT1 + 0x10
        cmd UNIT1, 0xFF
        ; write to buffer: 0xE8, count - 1, data, confirm
        cmd UNIT1 + 0x23000, 0xE8
        rd8 "buffer-setup", UNIT1 + 0x23000
        cmd UNIT1 + 0x23000, 2
        cmd UNIT1 + 0x23000, 0xA0
        cmd UNIT1 + 0x23001, 0xA1
        cmd UNIT1 + 0x23002, 0xA2
        cmd UNIT1 + 0x23000, 0xD0
        rd8 "buffer-done", UNIT1 + 0x23000
        cmd UNIT1, 0xFF
        rd32 "array-buffer", UNIT1 + 0x23000
        ; the read-only unit 0 (we run from the isa-bios copy at 0xF0000, so this is safe)
        cmd UNIT0 + 0x100, 0x50
        cmd UNIT0 + 0x100, 0x10
        cmd UNIT0 + 0x100, 0x00
        rd8 "ro-program", UNIT0 + 0x100
        cmd UNIT0 + 0x100, 0x20
        cmd UNIT0 + 0x100, 0xD0
        rd8 "ro-erase", UNIT0 + 0x100
        cmd UNIT0, 0xFF
        rd32 "ro-array", UNIT0 + 0x100

        mov si, str_end
        call puts
.halt:  hlt
        jmp .halt

; show8/16/32: "V <tag> <value>"; CS:SI = tag
show8:  push ax
        call tag
        pop ax
        call hex8
        jmp newline
show16: push ax
        call tag
        pop ax
        call hex16
        jmp newline
show32: push eax
        call tag
        pop eax
        call hex32
        jmp newline
tag:    push si
        mov si, str_v
        call puts
        pop si
        call puts
        jmp space

%include "debugcon.inc"
%include "unreal.inc"

str_v:   db "V ", 0
str_cfi: db "CFI ", 0
str_end: db "END", 10, 0

        times 0xFFF0 - ($ - $$) db 0xFF
reset:  jmp 0xF000:start
        times 0x10000 - ($ - $$) db 0xFF
