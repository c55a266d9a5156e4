; The smallest loop: DEC/JNZ. Its MIPS is the interpreter's floor of per-instruction cost
; (fetch, dispatch, lazy flags, retire), with no memory operand.
; In: RCX iterations per repetition (> 0), R8 repetitions (> 0). Out: RCX = 0. Ends with HLT.
bits 64
org 0x10000
outer:
        mov     rdx, rcx
spin:
        dec     rdx
        jnz     spin
        dec     r8
        jnz     outer
        hlt
