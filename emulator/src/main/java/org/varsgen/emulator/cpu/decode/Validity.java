package org.varsgen.emulator.cpu.decode;

/**
 * Which decoded encodings the interpreter implements, down to ModRM.reg of group opcodes,
 * mod restrictions, mandatory SSE prefixes and LOCK. Anything else is #UD.
 */
final class Validity {
    private Validity() {
    }

    static boolean valid(Insn d) {
        int op = d.op;
        int r = d.reg & 7;
        boolean mem = d.hasModrm && d.mod != 3;
        if (d.has(Insn.PFX_LOCK) && !lockable(d, mem)) {
            return false;
        }
        if (op < 0x100) {
            switch (op) {
                case 0x8D: return mem;
                case 0x8C: return r < 6;
                case 0x62: case 0xC4: case 0xC5: return mem; // BOUND, LES, LDS (VEX otherwise)
                case 0x8E: return r != 1 && r < 6;
                case 0x8F: case 0xC6: case 0xC7: return r == 0;
                case 0xFE: return r < 2;
                case 0xFF: return r != 7 && (mem || (r != 3 && r != 5));
                case 0xD8: case 0xD9: case 0xDA: case 0xDB: case 0xDC: case 0xDD: case 0xDE: case 0xDF:
                    return x87(d, mem);
                default: return true;
            }
        }
        int sse = d.ssePrefix;
        switch (op & 0xFF) {
            case 0x00: return r < 4;
            case 0x01:
                if (mem) {
                    return r != 5;
                }
                return r == 4 || r == 6 || (r == 7 && (d.rm & 7) == 0 && d.mode == Decoder.MODE64);
            case 0x06: case 0x08: case 0x09: case 0x0B: case 0x0D: case 0x18: case 0x19: case 0x1A: case 0x1B:
            case 0x1C: case 0x1D: case 0x1E: case 0x1F:
            case 0x30: case 0x31: case 0x32: case 0xA0: case 0xA1: case 0xA2: case 0xA3: case 0xA4: case 0xA5:
            case 0xA8: case 0xA9: case 0xAA: case 0xAB: case 0xAC: case 0xAD: case 0xAF: case 0xB0: case 0xB1:
            case 0xB3: case 0xB6: case 0xB7: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF: case 0xC0:
            case 0xC1:
                return true;
            case 0x20: case 0x22: return r == 0 || r == 2 || r == 3 || r == 4; // CR8 is REX.R + 0
            case 0x21: case 0x23: return r < 8;
            case 0xB2: case 0xB4: case 0xB5: return mem;
            case 0xBA: return r >= 4;
            case 0xC3: return mem && sse == 0;
            case 0xC7: return mem && r == 1;
            case 0xAE:
                if (mem) {
                    return sse == 0 && (r <= 3 || r == 7);
                }
                return sse == 0 && r >= 5;
            case 0x10: case 0x11: return true;
            case 0x12: case 0x13: case 0x16: case 0x17: return sse <= 1 && (mem || (op & 1) == 0 && sse == 0);
            case 0x28: case 0x29: case 0x54: case 0x55: case 0x56: case 0x57: return sse <= 1;
            case 0x2B: return sse <= 1 && mem;
            case 0x60: case 0x61: case 0x62: case 0x64: case 0x65: case 0x66: case 0x68: case 0x69: case 0x6A:
            case 0x6C: case 0x6D: case 0x6E: case 0x70: case 0x74: case 0x75: case 0x76: case 0xD4: case 0xD7:
            case 0xDA: case 0xDB: case 0xDE: case 0xDF: case 0xEB: case 0xEF: case 0xF8: case 0xF9: case 0xFA:
            case 0xFB: case 0xFC: case 0xFD: case 0xFE: case 0xD6:
                return sse == 1 && (op != 0x1D7 || !mem);
            case 0x6F: case 0x7F: return sse == 1 || sse == 2;
            case 0x7E: return sse == 1 || sse == 2;
            case 0xE7: return sse == 1 && mem;
            case 0x71: case 0x72: return sse == 1 && !mem && (r == 2 || r == 4 || r == 6);
            case 0x73: return sse == 1 && !mem && (r == 2 || r == 3 || r == 6 || r == 7);
            default:
                if (op >= 0x140 && op <= 0x14F || op >= 0x180 && op <= 0x19F || op >= 0x1C8 && op <= 0x1CF) {
                    return true;
                }
                return false;
        }
    }

    private static boolean lockable(Insn d, boolean mem) {
        if (!mem) {
            return false;
        }
        int op = d.op;
        int r = d.reg & 7;
        if (op < 0x40) {
            return (op & 7) < 2 && (op & 0x38) != 0x38;
        }
        switch (op) {
            case 0x80: case 0x81: case 0x82: case 0x83: return r != 7;
            case 0x86: case 0x87: return true;
            case 0xF6: case 0xF7: return r == 2 || r == 3;
            case 0xFE: case 0xFF: return r < 2;
            case 0x1AB: case 0x1B3: case 0x1BB: case 0x1B0: case 0x1B1: case 0x1C0: case 0x1C1: case 0x1C7:
                return true;
            case 0x1BA: return r >= 5;
            default: return false;
        }
    }

    /**
     * The x87 opcodes: every documented form plus the register aliases hardware and QEMU execute
     * (DC D0/D8 FCOM/FCOMP, DE D0 FCOMP, DD C8 and DF C8 FXCH, D9 D8 and DF D0/D8 FSTP, DF C0 FFREEP).
     */
    private static boolean x87(Insn d, boolean mem) {
        int r = d.reg & 7;
        int rm = d.rm & 7;
        switch (d.op) {
            case 0xD9:
                if (mem) {
                    return r != 1;
                }
                switch (r) {
                    case 2: return rm == 0;
                    case 4: return rm != 2 && rm != 3 && rm < 6;
                    case 5: return rm != 7;
                    default: return true;
                }
            case 0xDA: return mem || r < 4 || r == 5 && rm == 1;
            case 0xDB:
                if (mem) {
                    return r != 4 && r != 6;
                }
                return r < 4 || r == 4 && rm < 5 || r == 5 || r == 6;
            case 0xDD: return mem ? r != 5 : r < 6;
            case 0xDE: return mem || r != 3 || rm == 1;
            case 0xDF: return mem || r < 4 || r == 4 && rm == 0 || r == 5 || r == 6;
            default: return true; // D8, DC: all forms
        }
    }
}
