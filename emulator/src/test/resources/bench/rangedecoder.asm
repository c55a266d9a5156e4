; An LZMA-like range decoder: 8-bit symbols decoded bit by bit through a binary tree of
; 11-bit probabilities, the literal context chosen by the top 3 bits of the previous symbol
; (as LZMA's literal coder with lc=3), with adaptive probability updates and byte-wise
; normalisation. In: RSI input (at least 5 bytes + one per symbol), RDI output, RCX symbols
; (> 0), R10 probability area (8 * 256 words, set to 1024 by the caller), R8 repetitions.
; Each repetition restarts at the same input and output but keeps the probabilities.
; Out: the symbols at RDI; R13D range, R14D code at the end. Ends with HLT.
bits 64
org 0x10000
outer:
        mov     r11, rsi                ; input pointer
        mov     r12, rdi                ; output pointer
        mov     r15, rcx                ; symbols left
        mov     r13d, 0xFFFFFFFF        ; range
        mov     r14d, [r11 + 1]         ; code = bytes 1..4, big-endian
        bswap   r14d
        add     r11, 5
        xor     ebp, ebp                ; previous symbol
symbol:
        mov     ebx, ebp
        shr     ebx, 5
        shl     ebx, 9                  ; context * 256 words
        lea     r9, [r10 + rbx]
        mov     ebx, 1                  ; tree index
bit:
        movzx   eax, word [r9 + rbx*2]  ; probability
        mov     edx, r13d
        shr     edx, 11
        imul    edx, eax                ; bound
        cmp     r14d, edx
        jae     one
        mov     r13d, edx
        mov     ecx, 2048
        sub     ecx, eax
        shr     ecx, 5
        add     eax, ecx
        mov     [r9 + rbx*2], ax
        add     ebx, ebx
        jmp     normalise
one:
        sub     r13d, edx
        sub     r14d, edx
        mov     ecx, eax
        shr     ecx, 5
        sub     eax, ecx
        mov     [r9 + rbx*2], ax
        lea     ebx, [rbx + rbx + 1]
normalise:
        cmp     r13d, 0x1000000
        jae     normalised
        shl     r13d, 8
        shl     r14d, 8
        movzx   eax, byte [r11]
        or      r14d, eax
        inc     r11
normalised:
        cmp     ebx, 256
        jb      bit
        mov     ebp, ebx
        and     ebp, 0xFF
        mov     [r12], bpl
        inc     r12
        dec     r15
        jnz     symbol
        mov     rcx, r12
        sub     rcx, rdi                ; restore the symbol count for the next repetition
        dec     r8
        jnz     outer
        hlt
