; Byte-by-byte copy loop (as CopyMem's unoptimised tail and many firmware loops do it).
; In: RSI source, RDI destination, RCX length (> 0), R8 repetitions (> 0). Ends with HLT.
bits 64
org 0x10000
outer:
        mov     r11, rsi
        mov     r12, rdi
        mov     rdx, rcx
copy:
        mov     al, [r11]
        mov     [r12], al
        inc     r11
        inc     r12
        dec     rdx
        jnz     copy
        dec     r8
        jnz     outer
        hlt
