; ahci-probe.asm: a 64 KiB flash image for QEMU's pflash unit 0 that drives the ICH9 AHCI
; controller (00:1f.2) and its disk on port 0 the way OVMF's AtaAtapiPassThru does, and prints
; on the debug console (port 0x402), in hex:
;   PCI <256 bytes>            00:1f.2's configuration space at reset
;   H <11 dwords>              HBA registers 0x00-0x28 after the HBA reset
;   P <tag> <16 dwords>        port 0 registers 0x00-0x3C
;   F <256 bytes>              the received-FIS area (cleared before each command)
;   D <bytes>                  data a command read (its PRD buffer)
;   END
; Used by scripts/capture-qemu-probes.sh; assemble in this directory with
; `nasm -f bin -o ahci-probe.bin ahci-probe.asm`. Runs in real mode from the isa-bios alias at
; 0xF0000, with FS given a 4 GiB limit ("unreal mode") to reach the ABAR at 0x80000000.
bits 16
org 0

ABAR       equ 0x80000000
P0         equ ABAR + 0x100
CLB        equ 0x10000            ; command list (slot 0 used)
FB         equ 0x11000            ; received-FIS area
TBL        equ 0x12000            ; command table: FIS at 0, PRDT at 0x80
BUF        equ 0x13000            ; data in
WBUF       equ 0x14000            ; data out (0xA5 bytes)
PCI_AHCI   equ 0x8000FA00         ; bus 0, device 0x1f, function 2

start:
        cli
        cld
        xor ax, ax
        mov ss, ax
        mov sp, 0x7000
        mov ds, ax
        mov es, ax
        call unreal

        ; clear the command list, FIS area, table and buffers; fill the write buffer
        mov ebx, CLB
.clear: mov dword [fs:ebx], 0
        add ebx, 4
        cmp ebx, WBUF
        jb .clear
.fill:  mov dword [fs:ebx], 0xA5A5A5A5
        add ebx, 4
        cmp ebx, WBUF + 0x1000
        jb .fill

        ; configuration space as QEMU presents it
        mov si, str_pci
        call puts
        xor cx, cx
.pci:   mov eax, PCI_AHCI
        or al, cl
        mov dx, 0xCF8
        out dx, eax
        mov dx, 0xCFC
        in eax, dx
        call hexle32
        add cl, 4
        jnz .pci
        call newline

        ; BAR5 = ABAR, memory and bus master on
        mov al, 0x24
        mov ecx, ABAR
        call pci_write
        mov al, 0x04
        mov ecx, 0x0006
        call pci_write

        ; HBA reset, then the HBA registers
        mov ebx, ABAR + 4
        mov dword [fs:ebx], 0x80000001
.hr:    test byte [fs:ebx], 1
        jnz .hr
        mov si, str_h
        call puts
        mov ebx, ABAR
        mov cx, 11
        call dump_dwords

        ; port 0: CLB, FB, SCTL as OVMF writes them
        mov si, str_reset
        call dump_port
        mov dword [fs:dword P0 + 0x00], CLB
        mov dword [fs:dword P0 + 0x04], 0
        mov dword [fs:dword P0 + 0x08], FB
        mov dword [fs:dword P0 + 0x0C], 0
        mov dword [fs:dword P0 + 0x2C], 0x300
        mov dword [fs:dword P0 + 0x18], 0x16         ; FRE | POD | SUD
        mov si, str_fre
        call dump_port
        call dump_fis
        mov dword [fs:dword P0 + 0x30], 0xFFFFFFFF   ; SERR
        mov dword [fs:dword P0 + 0x10], 0xFFFFFFFF   ; IS
        or dword [fs:dword P0 + 0x18], 1             ; ST
        mov si, str_st
        call dump_port

        mov si, commands
.next:  cmp byte [cs:si], 0
        je .done
        call run_command
        add si, CMD_SIZE
        jmp .next
.done:
        mov si, str_end
        call puts
.halt:  hlt
        jmp .halt

; command descriptors: command, features, LBA (6 bytes), count (word), device, flags, bytes (dword);
; flags: 1 = a write, 2 = afterwards clear PxCMD.ST and set it again, dumping the port each time
CMD_SIZE equ 16
%macro ata 7
        db %1, %2
        dd (%3) & 0xFFFFFFFF
        dw (%3) >> 32
        dw %4
        db %5, %6
        dd %7
%endmacro
commands:
        ata 0xEC, 0x00, 0, 1, 0xA0, 0, 512          ; IDENTIFY DEVICE
        ata 0xEF, 0x03, 0, 0x42, 0xA0, 0, 0         ; SET FEATURES: UDMA mode 2
        ata 0xEC, 0x00, 0, 1, 0xA0, 0, 512          ; IDENTIFY DEVICE again
        ata 0xEF, 0x77, 0, 0, 0xA0, 2, 0            ; SET FEATURES: unknown subcommand; then stop and start
        ata 0xB0, 0xDA, 0xC24F00, 0, 0xA0, 0, 0     ; SMART RETURN STATUS
        ata 0x25, 0x00, 1, 2, 0x40, 0, 1024         ; READ DMA EXT
        ata 0xC8, 0x00, 5, 1, 0x40, 0, 512          ; READ DMA
        ata 0x35, 0x00, 3, 1, 0x40, 1, 512          ; WRITE DMA EXT
        ata 0x25, 0x00, 3, 1, 0x40, 0, 512          ; READ DMA EXT of what was written
        ata 0xA1, 0x00, 0, 1, 0xA0, 0, 512          ; IDENTIFY PACKET DEVICE (not a disk command)
        ata 0x25, 0x00, 2048, 1, 0x40, 0, 512       ; READ DMA EXT past the end
        ata 0xEA, 0x00, 0, 0, 0xA0, 0, 0            ; FLUSH CACHE EXT
        ata 0x20, 0x00, 7, 1, 0xE0, 0, 512          ; READ SECTORS
        ata 0xE5, 0x00, 0, 0, 0xA0, 0, 0            ; CHECK POWER MODE
        db 0

; run_command: CS:SI = descriptor. Builds slot 0, issues it, waits for CI to clear, dumps.
run_command:
        push si
        ; clear the FIS area and the read buffer
        mov ebx, FB
.c1:    mov dword [fs:ebx], 0
        add ebx, 4
        cmp ebx, FB + 0x100
        jb .c1
        mov ebx, BUF
.c2:    mov dword [fs:ebx], 0
        add ebx, 4
        cmp ebx, BUF + 0x1000
        jb .c2
        ; header: CFL 5, W, PRDTL 1 when there is data
        mov eax, 5
        test byte [cs:si + 11], 1
        jz .h1
        or eax, 1 << 6
.h1:    cmp dword [cs:si + 12], 0
        je .h2
        or eax, 1 << 16
.h2:    mov [fs:dword CLB], eax
        mov dword [fs:dword CLB + 4], 0
        mov dword [fs:dword CLB + 8], TBL
        mov dword [fs:dword CLB + 12], 0
        ; H2D register FIS
        mov byte [fs:dword TBL + 0], 0x27
        mov byte [fs:dword TBL + 1], 0x80
        mov al, [cs:si + 0]
        mov [fs:dword TBL + 2], al
        mov al, [cs:si + 1]
        mov [fs:dword TBL + 3], al
        mov eax, [cs:si + 2]
        mov [fs:dword TBL + 4], al
        mov [fs:dword TBL + 5], ah
        shr eax, 16
        mov [fs:dword TBL + 6], al
        mov [fs:dword TBL + 8], ah
        mov al, [cs:si + 10]
        mov [fs:dword TBL + 7], al
        mov ax, [cs:si + 6]
        mov [fs:dword TBL + 9], al
        mov [fs:dword TBL + 10], ah
        mov ax, [cs:si + 8]
        mov [fs:dword TBL + 12], al
        mov [fs:dword TBL + 13], ah
        ; PRDT entry 0
        mov eax, BUF
        test byte [cs:si + 11], 1
        jz .p1
        mov eax, WBUF
.p1:    mov [fs:dword TBL + 0x80], eax
        mov dword [fs:dword TBL + 0x84], 0
        mov dword [fs:dword TBL + 0x88], 0
        mov eax, [cs:si + 12]
        dec eax
        mov [fs:dword TBL + 0x8C], eax
        ; issue and wait
        mov dword [fs:dword P0 + 0x10], 0xFFFFFFFF
        mov dword [fs:dword P0 + 0x38], 1
        ; wait until the slot clears or a D2H FIS arrives (a failed command stays issued); some
        ; commands (FLUSH) complete asynchronously in QEMU, so the bound is generous
        mov ecx, 100000000
.wait:  test dword [fs:dword P0 + 0x38], 1
        jz .issued
        test dword [fs:dword P0 + 0x10], 1
        jnz .issued
        dec ecx
        jnz .wait
.issued:
        mov si, str_c
        call puts
        pop si
        push si
        mov al, [cs:si]
        call hex8
        call space
        mov eax, [fs:dword CLB + 4]               ; PRDBC
        call hex32
        call newline
        mov si, str_cmd
        call dump_port
        call dump_fis
        pop si
        push si
        mov ecx, [cs:si + 12]
        test byte [cs:si + 11], 1
        jnz .nodata
        test ecx, ecx
        jz .nodata
        mov si, str_d
        call puts
        mov ebx, BUF
.d:     mov al, [fs:ebx]
        call hex8
        inc ebx
        dec ecx
        jnz .d
        call newline
.nodata:
        pop si
        test byte [cs:si + 11], 2
        jz .ret
        push si
        and dword [fs:dword P0 + 0x18], ~1
        mov si, str_stop
        call dump_port
        or dword [fs:dword P0 + 0x18], 1
        mov si, str_start
        call dump_port
        pop si
.ret:   ret

; pci_write: AL = register, ECX = value
pci_write:
        movzx eax, al
        or eax, PCI_AHCI
        mov dx, 0xCF8
        out dx, eax
        mov dx, 0xCFC
        mov eax, ecx
        out dx, eax
        ret

; dump_port: CS:SI = tag; prints "P <tag> " and port 0's registers 0x00-0x3C
dump_port:
        push si
        mov si, str_p
        call puts
        pop si
        call puts
        call space
        mov ebx, P0
        mov cx, 16
        ; fall through
; dump_dwords: EBX = address, CX = count; prints dwords (as numbers) and a newline
dump_dwords:
.l:     mov eax, [fs:ebx]
        call hex32
        call space
        add ebx, 4
        loop .l
        jmp newline

; dump_fis: "F " and the 256-byte received-FIS area
dump_fis:
        mov si, str_f
        call puts
        mov ebx, FB
.l:     mov al, [fs:ebx]
        call hex8
        inc ebx
        cmp ebx, FB + 0x100
        jb .l
        jmp newline

; hexle32: EAX as four bytes in memory order
hexle32:
        push cx
        mov cx, 4
.l:     call hex8
        shr eax, 8
        loop .l
        pop cx
        ret

%include "debugcon.inc"

str_pci:   db "PCI ", 0
str_h:     db "H ", 0
str_p:     db "P ", 0
str_f:     db "F ", 0
str_d:     db "D ", 0
str_c:     db "C ", 0
str_reset: db "reset", 0
str_fre:   db "fre", 0
str_st:    db "st", 0
str_cmd:   db "cmd", 0
str_stop:  db "stop", 0
str_start: db "start", 0
str_end:   db "END", 10, 0

%include "unreal.inc"

        times 0xFFF0 - ($ - $$) db 0xFF
reset:  jmp 0xF000:start
        times 0x10000 - ($ - $$) db 0xFF
