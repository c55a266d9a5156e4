; CRC-32 (reflected, polynomial EDB88320), table-driven (one byte per iteration).
; In: RSI buffer, RCX length (> 0), R8 repetitions (> 0), R10 1 KiB table area.
; Builds the 256-entry table at R10 first, then runs the byte loop R8 times.
; Out: EAX = CRC-32 of the buffer. Ends with HLT.
bits 64
org 0x10000
        xor     ebx, ebx
build:
        mov     eax, ebx
        mov     r9d, 8
build_bit:
        shr     eax, 1
        jnc     build_no_xor
        xor     eax, 0xEDB88320
build_no_xor:
        dec     r9d
        jnz     build_bit
        mov     [r10 + rbx*4], eax
        inc     ebx
        cmp     ebx, 256
        jb      build
outer:
        mov     eax, 0xFFFFFFFF
        mov     rdi, rsi
        mov     rdx, rcx
next_byte:
        movzx   ebx, al
        xor     bl, [rdi]
        shr     eax, 8
        xor     eax, [r10 + rbx*4]
        inc     rdi
        dec     rdx
        jnz     next_byte
        not     eax
        dec     r8
        jnz     outer
        hlt
