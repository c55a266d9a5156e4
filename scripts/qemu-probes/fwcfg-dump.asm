; fwcfg-dump.asm: a 64 KiB flash image for QEMU's pflash unit 0 that prints the fw_cfg
; interface as QEMU presents it on the debug console (port 0x402), in hex:
;   K <key> <bytes>           the first bytes of each legacy item (reads past an item's end are 0)
;   F <select> <size> <name>  one line per directory entry, followed by its contents as
;   D <bytes>                 lines of up to 64 bytes
;   END
; Used by scripts/capture-qemu-fwcfg.sh; assemble with `nasm -f bin -o fwcfg-dump.bin fwcfg-dump.asm`
; in this directory (it includes debugcon.inc).
; The image runs in real mode from the isa-bios alias at 0xF0000 (a 64 KiB flash maps whole there).
bits 16
org 0

FWCFG_SEL  equ 0x510
FWCFG_DATA equ 0x511
DIRBUF     equ 0x1000          ; directory copy in RAM (DS = 0)

start:
        cli
        cld
        xor ax, ax
        mov ss, ax
        mov sp, 0x7000
        mov ds, ax
        mov es, ax

        ; legacy items 0x0000..0x0018: 32 bytes each
        xor bx, bx
.legacy:
        mov cx, 32
        call dump_key
        inc bx
        cmp bx, 0x19
        jb .legacy
        ; x86 items 0x8000..0x8004: 256 bytes each
        mov bx, 0x8000
.arch:
        mov cx, 256
        call dump_key
        inc bx
        cmp bx, 0x8005
        jb .arch

        ; the file directory: count, then 64-byte entries copied to DIRBUF
        mov ax, 0x19
        mov dx, FWCFG_SEL
        out dx, ax
        mov dx, FWCFG_DATA
        xor ebp, ebp
        mov cx, 4
.count:
        in al, dx
        shl ebp, 8
        mov bl, al
        movzx ebx, bl
        or ebp, ebx
        loop .count
        mov di, DIRBUF
        mov ax, bp
        shl ax, 6
        mov cx, ax
        rep insb
        ; print and dump each file
        mov di, DIRBUF
.file:
        test bp, bp
        jz .done
        mov si, str_f
        call puts
        mov ax, [di + 4]        ; select, big-endian
        xchg al, ah
        push ax
        call hex16
        call space
        mov eax, [di]           ; size, big-endian
        bswap eax
        mov ecx, eax
        call hex32
        call space
        lea si, [di + 8]
        call puts_ds
        call newline
        pop ax
        mov dx, FWCFG_SEL
        out dx, ax
        call dump_data
        add di, 64
        dec bp
        jmp .file
.done:
        mov si, str_end
        call puts
.halt:
        hlt
        jmp .halt

; dump_key: BX = key, CX = byte count; prints "K kkkk hh..."
dump_key:
        push cx
        mov si, str_k
        call puts
        mov ax, bx
        call hex16
        call space
        mov dx, FWCFG_SEL
        mov ax, bx
        out dx, ax
        pop cx
.l:     mov dx, FWCFG_DATA
        in al, dx
        call hex8
        loop .l
        jmp newline

; dump_data: ECX = byte count of the selected item; prints "D " lines of 64 bytes
dump_data:
        mov dx, FWCFG_DATA
        xor ebx, ebx
.l:     test ecx, ecx
        jz .end
        test bl, 63
        jnz .byte
        test ebx, ebx
        jz .first
        call newline
.first: mov si, str_d
        call puts
.byte:  mov dx, FWCFG_DATA
        in al, dx
        call hex8
        inc ebx
        dec ecx
        jmp .l
.end:   test ebx, ebx
        jz .ret
        call newline
.ret:   ret

%include "debugcon.inc"

str_k:   db "K ", 0
str_f:   db "F ", 0
str_d:   db "D ", 0
str_end: db "END", 10, 0

        times 0xFFF0 - ($ - $$) db 0xFF
reset:  jmp 0xF000:start        ; the CPU starts at 0xFFFFFFF0, the image's last 16 bytes
        times 0x10000 - ($ - $$) db 0xFF
