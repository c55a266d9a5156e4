; CRC-32 (reflected, polynomial EDB88320), one bit per iteration: the shape of a
; compiler's plain CRC loop. In: RSI buffer, RCX length (> 0), R8 repetitions (> 0).
; Out: EAX = CRC-32 of the buffer (of the last repetition). Ends with HLT.
bits 64
org 0x10000
outer:
        mov     eax, 0xFFFFFFFF
        mov     rdi, rsi
        mov     rdx, rcx
next_byte:
        xor     al, [rdi]
        mov     r9d, 8
next_bit:
        shr     eax, 1
        jnc     no_xor
        xor     eax, 0xEDB88320
no_xor:
        dec     r9d
        jnz     next_bit
        inc     rdi
        dec     rdx
        jnz     next_byte
        not     eax
        dec     r8
        jnz     outer
        hlt
