package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;

/**
 * The handful of instruction forms that make up most of what firmware executes (measured on
 * SEC's LZMA decompression: register moves and ALU operations, loads and stores, Jcc, LEA,
 * MOVZX), each given a dense id so that the interpreter runs them through one small switch with
 * the operand size and register-or-memory choice already made. Everything else is {@link #GENERIC}
 * and goes through the full opcode switches. Only 32- and 64-bit operand sizes are specialised
 * (no partial-register merging, no byte-register aliasing).
 */
final class FastForms {
    static final int UNCLASSIFIED = 0, GENERIC = 1;
    /** MOV between registers, load into a register, store from a register (89/8B). */
    static final int MOV_RR = 2, MOV_LOAD = 3, MOV_STORE = 4;
    /** ALU group 00-3F, r/m destination or register destination, register operands (01/03 forms). */
    static final int ALU_RM_R = 5, ALU_R_RM = 6;
    /** ALU register destination with a memory source (03 forms), and group 1 with an immediate (81/83). */
    static final int ALU_R_MEM = 7, ALU_R_IMM = 8;
    /** Jcc (70-7F, 0F 80-8F), JMP rel (EB/E9), LEA, MOVZX from memory (0F B6/B7), MOV r, imm (B8+r). */
    static final int JCC = 9, JMP = 10, LEA = 11, MOVZX_LOAD = 12, MOV_R_IMM = 13;
    /** TEST r/m, r between registers (85), shifts by an immediate on a register (C1). */
    static final int TEST_RR = 14, SHIFT_R_IMM = 15;
    /** ALU on a memory destination with a register (01-39 forms) or an immediate (81/83). */
    static final int ALU_MEM_R = 16, ALU_MEM_IMM = 17;
    /** INC/DEC of a register (FF /0, /1), IMUL r, r/m (0F AF), MOV r/m, imm to memory (C7). */
    static final int INC_R = 18, DEC_R = 19, IMUL_R_RM = 20, MOV_MEM_IMM = 21;
    /** Byte MOV to and from memory (88/8A), with the byte-register naming of the generic path. */
    static final int MOV8_STORE = 22, MOV8_LOAD = 23;
    /** PUSH r, POP r (50-5F), CALL rel (E8), RET (C3): the stack helpers of the generic path. */
    static final int PUSH_R = 24, POP_R = 25, CALL_REL = 26, RET = 27;

    private FastForms() {
    }

    static int classify(Insn d) {
        int op = d.op;
        boolean wide = d.osize == 4 || d.osize == 8;
        boolean reg = d.mod == 3;
        if (op < 0x100 && (op & 0xF0) == 0x70 || op >= 0x180 && op <= 0x18F) {
            return JCC;
        }
        if (op == 0xEB || op == 0xE9) {
            return JMP;
        }
        if (op >= 0x50 && op <= 0x5F) {
            return op < 0x58 ? PUSH_R : POP_R;
        }
        if (op == 0xE8 || op == 0xC3) {
            return op == 0xE8 ? CALL_REL : RET;
        }
        if (op == 0x88 || op == 0x8A) {
            return reg ? GENERIC : op == 0x88 ? MOV8_STORE : MOV8_LOAD;
        }
        if (op == 0x89 && !reg || op == 0xC7 && !reg) {
            return op == 0x89 ? MOV_STORE : MOV_MEM_IMM; // stores of any width: the write truncates
        }
        if (!wide) {
            return GENERIC;
        }
        if (op < 0x40 && (op & 7) == 1) {
            return reg ? ALU_RM_R : d.has(Insn.PFX_LOCK) ? GENERIC : ALU_MEM_R;
        }
        if (op < 0x40 && (op & 7) == 3) {
            return reg ? ALU_R_RM : ALU_R_MEM;
        }
        switch (op) {
            case 0x89: return MOV_RR;
            case 0x8B: return reg ? GENERIC : MOV_LOAD;
            case 0x81: case 0x83: return reg ? ALU_R_IMM : d.has(Insn.PFX_LOCK) ? GENERIC : ALU_MEM_IMM;
            case 0xFF: return !reg || d.reg > 1 ? GENERIC : d.reg == 0 ? INC_R : DEC_R;
            case 0x1AF: return IMUL_R_RM;
            case 0x85: return reg ? TEST_RR : GENERIC;
            case 0x8D: return LEA;
            case 0xC1: return reg ? SHIFT_R_IMM : GENERIC;
            case 0x1B6: case 0x1B7: return reg ? GENERIC : MOVZX_LOAD;
            case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
                return MOV_R_IMM;
            default: return GENERIC;
        }
    }
}
