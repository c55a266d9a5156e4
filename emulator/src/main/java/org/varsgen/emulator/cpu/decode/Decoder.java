package org.varsgen.emulator.cpu.decode;

import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.cpu.GuestFault;

/**
 * The one x86 decoder: prefixes, opcode maps, ModRM/SIB/displacement, immediates and
 * RIP-relative addressing in 16-, 32- and 64-bit code. It accepts exactly the encodings the
 * interpreter implements; everything else raises #UD (an instruction over 15 bytes, #GP(0)).
 */
public final class Decoder {
    /** Supplies the bytes of the instruction being decoded, relative to its first byte. */
    public interface Fetcher {
        int fetch(int offset);
    }

    public static final int MODE16 = 0, MODE32 = 1, MODE64 = 2;

    private static final byte I_NONE = 0, I_B = 1, I_W = 2, I_Z = 3, I_V = 4, I_MOFFS = 5, I_ENTER = 6,
            I_FAR = 7, I_GRP3 = 8;

    private static final boolean[] MODRM1 = new boolean[256];
    private static final boolean[] MODRM2 = new boolean[256];
    private static final byte[] IMM1 = new byte[256];
    private static final byte[] IMM2 = new byte[256];
    /** One-byte opcodes that default to 64-bit operand size in 64-bit mode. */
    private static final boolean[] DEFAULT64 = new boolean[512];
    /** One-byte opcodes with no implementation at all (the 0F map is checked by Validity). */
    private static final boolean[] INVALID = new boolean[512];
    /** One-byte opcodes that do not exist in 64-bit mode. */
    private static final boolean[] INVALID64 = new boolean[256];

    static {
        for (int row = 0; row < 0x40; row += 8) {
            for (int i = 0; i < 4; i++) {
                MODRM1[row + i] = true;
            }
            IMM1[row + 4] = I_B;
            IMM1[row + 5] = I_Z;
        }
        for (int op : new int[] {0x62, 0x63, 0x69, 0x6B, 0xC0, 0xC1, 0xC4, 0xC5, 0xC6, 0xC7, 0xD0, 0xD1, 0xD2, 0xD3,
                0xF6, 0xF7, 0xFE, 0xFF}) {
            MODRM1[op] = true;
        }
        for (int op = 0x80; op <= 0x8F; op++) {
            MODRM1[op] = true;
        }
        for (int op = 0xD8; op <= 0xDF; op++) {
            MODRM1[op] = true;
        }
        IMM1[0x68] = I_Z; IMM1[0x69] = I_Z; IMM1[0x6A] = I_B; IMM1[0x6B] = I_B;
        for (int op = 0x70; op <= 0x7F; op++) {
            IMM1[op] = I_B;
        }
        IMM1[0x80] = I_B; IMM1[0x81] = I_Z; IMM1[0x82] = I_B; IMM1[0x83] = I_B;
        IMM1[0xA8] = I_B; IMM1[0xA9] = I_Z;
        for (int op = 0xA0; op <= 0xA3; op++) {
            IMM1[op] = I_MOFFS;
        }
        for (int op = 0xB0; op <= 0xB7; op++) {
            IMM1[op] = I_B;
        }
        for (int op = 0xB8; op <= 0xBF; op++) {
            IMM1[op] = I_V;
        }
        IMM1[0xC0] = I_B; IMM1[0xC1] = I_B; IMM1[0xC2] = I_W; IMM1[0xCA] = I_W; IMM1[0xC6] = I_B; IMM1[0xC7] = I_Z;
        IMM1[0xC8] = I_ENTER; IMM1[0xCD] = I_B; IMM1[0xD4] = I_B; IMM1[0xD5] = I_B;
        for (int op = 0xE0; op <= 0xE7; op++) {
            IMM1[op] = I_B;
        }
        IMM1[0xE8] = I_Z; IMM1[0xE9] = I_Z; IMM1[0xEA] = I_FAR; IMM1[0x9A] = I_FAR; IMM1[0xEB] = I_B;
        IMM1[0xF6] = I_GRP3; IMM1[0xF7] = I_GRP3;

        // 0F map: ModRM everywhere except these.
        for (int op = 0; op < 256; op++) {
            MODRM2[op] = true;
        }
        for (int op : new int[] {0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0E, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
                0x37, 0x77, 0xA0, 0xA1, 0xA2, 0xA8, 0xA9, 0xAA}) {
            MODRM2[op] = false;
        }
        for (int op = 0x80; op <= 0x8F; op++) {
            MODRM2[op] = false;
            IMM2[op] = I_Z;
            DEFAULT64[0x100 + op] = true;
        }
        for (int op = 0xC8; op <= 0xCF; op++) {
            MODRM2[op] = false;
        }
        IMM2[0x70] = I_B; IMM2[0x71] = I_B; IMM2[0x72] = I_B; IMM2[0x73] = I_B;
        IMM2[0xA4] = I_B; IMM2[0xAC] = I_B; IMM2[0xBA] = I_B; IMM2[0xC2] = I_B; IMM2[0xC4] = I_B; IMM2[0xC5] = I_B;
        IMM2[0xC6] = I_B;

        for (int op = 0x50; op <= 0x5F; op++) {
            DEFAULT64[op] = true;
        }
        for (int op = 0x70; op <= 0x7F; op++) {
            DEFAULT64[op] = true;
        }
        for (int op : new int[] {0x68, 0x6A, 0x8F, 0x9C, 0x9D, 0xC2, 0xC3, 0xC8, 0xC9, 0xE0, 0xE1, 0xE2, 0xE3, 0xE8,
                0xE9, 0xEB}) {
            DEFAULT64[op] = true;
        }
        for (int op : new int[] {0x1A0, 0x1A1, 0x1A8, 0x1A9}) {
            DEFAULT64[op] = true;
        }

        // INT1 (ICEBP) is not implemented; VEX (C4/C5 in 64-bit mode or with mod 3) neither.
        INVALID[0xF1] = true;
        for (int op : new int[] {0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37, 0x3F, 0x60, 0x61, 0x62,
                0x82, 0x9A, 0xC4, 0xC5, 0xCE, 0xD4, 0xD5, 0xD6, 0xEA}) {
            INVALID64[op] = true;
        }
    }

    private Decoder() {
    }

    /**
     * Decodes one instruction into {@code d}. Throws GuestFault #UD for encodings that do not
     * exist or are not implemented, #GP(0) past 15 bytes, and whatever the fetcher throws.
     */
    public static void decode(Fetcher f, int mode, Insn d) {
        d.mode = mode;
        d.pfx = 0;
        d.rex = 0;
        d.seg = -1;
        d.segOverride = false;
        d.hasModrm = false;
        d.mod = d.reg = d.rm = 0;
        d.base = -1;
        d.index = -1;
        d.scale = 0;
        d.disp = 0;
        d.imm = d.imm2 = 0;
        d.ssePrefix = 0;
        int pos = 0;
        int b;
        int lastRep = 0;
        for (;;) {
            if (pos >= 15) {
                throw GuestFault.gp(0);
            }
            b = f.fetch(pos++);
            switch (b) {
                case 0xF0: d.pfx |= Insn.PFX_LOCK; d.rex = 0; continue;
                case 0xF2: d.pfx = (d.pfx & ~Insn.PFX_REP) | Insn.PFX_REPNE; lastRep = 3; d.rex = 0; continue;
                case 0xF3: d.pfx = (d.pfx & ~Insn.PFX_REPNE) | Insn.PFX_REP; lastRep = 2; d.rex = 0; continue;
                case 0x26: setSeg(d, CpuState.ES, mode); continue;
                case 0x2E: setSeg(d, CpuState.CS, mode); continue;
                case 0x36: setSeg(d, CpuState.SS, mode); continue;
                case 0x3E: setSeg(d, CpuState.DS, mode); continue;
                case 0x64: setSeg(d, CpuState.FS, mode); d.segOverride = true; continue;
                case 0x65: setSeg(d, CpuState.GS, mode); d.segOverride = true; continue;
                case 0x66: d.pfx |= Insn.PFX_OPSIZE; d.rex = 0; continue;
                case 0x67: d.pfx |= Insn.PFX_ADDRSIZE; d.rex = 0; continue;
                default:
                    break;
            }
            if (mode == MODE64 && (b & 0xF0) == 0x40) {
                d.rex = b;
                continue;
            }
            break;
        }
        int op = b;
        if (b == 0x0F) {
            if (pos >= 15) {
                throw GuestFault.gp(0);
            }
            op = 0x100 | f.fetch(pos++);
        }
        d.op = op;
        d.ssePrefix = lastRep != 0 ? lastRep : (d.pfx & Insn.PFX_OPSIZE) != 0 ? 1 : 0;

        boolean opsize = (d.pfx & Insn.PFX_OPSIZE) != 0;
        boolean rexW = (d.rex & 8) != 0;
        if (mode == MODE64) {
            d.asize = (d.pfx & Insn.PFX_ADDRSIZE) != 0 ? 4 : 8;
            if (rexW) {
                d.osize = 8;
            } else if (DEFAULT64[op]) {
                d.osize = opsize ? 2 : 8;
            } else {
                d.osize = opsize ? 2 : 4;
            }
        } else {
            boolean big = mode == MODE32;
            d.asize = big ^ ((d.pfx & Insn.PFX_ADDRSIZE) != 0) ? 4 : 2;
            d.osize = big ^ opsize ? 4 : 2;
        }
        if (INVALID[op] || mode == MODE64 && op < 0x100 && INVALID64[op]) {
            throw GuestFault.ud();
        }

        boolean modrm = op < 0x100 ? MODRM1[op] : MODRM2[op & 0xFF];
        if (modrm) {
            pos = modrm(f, pos, mode, d);
        }
        if (mode == MODE64 && op == 0x63) {
            d.osize = rexW ? 8 : opsize ? 2 : 4;
        }
        if (mode == MODE64 && op == 0xFF && (d.reg & 7) >= 2 && (d.reg & 7) != 3 && (d.reg & 7) != 5) {
            d.osize = rexW ? 8 : opsize ? 2 : 8;
        }
        if (op >= 0x120 && op <= 0x123) {
            d.osize = mode == MODE64 ? 8 : 4;
        }

        int kind = op < 0x100 ? IMM1[op] : IMM2[op & 0xFF];
        if (op < 0x100 && (op & 0xF8) == 0xB8 && !rexW) {
            kind = I_Z;
        }
        switch (kind) {
            case I_NONE:
                break;
            case I_B:
                d.imm = (byte) f.fetch(pos);
                pos += 1;
                break;
            case I_W:
                d.imm = fetchLe(f, pos, 2) & 0xFFFF;
                pos += 2;
                break;
            case I_Z:
                if (d.osize == 2) {
                    d.imm = (short) fetchLe(f, pos, 2);
                    pos += 2;
                } else {
                    d.imm = (int) fetchLe(f, pos, 4);
                    pos += 4;
                }
                break;
            case I_V:
                d.imm = fetchLe(f, pos, 8);
                pos += 8;
                break;
            case I_MOFFS:
                d.imm = fetchLe(f, pos, d.asize);
                pos += d.asize;
                if (d.seg < 0) {
                    d.seg = CpuState.DS;
                }
                break;
            case I_ENTER:
                d.imm = fetchLe(f, pos, 2) & 0xFFFF;
                d.imm2 = f.fetch(pos + 2) & 0xFF;
                pos += 3;
                break;
            case I_FAR:
                if (d.osize == 2) {
                    d.imm = fetchLe(f, pos, 2) & 0xFFFF;
                    pos += 2;
                } else {
                    d.imm = fetchLe(f, pos, 4) & 0xFFFFFFFFL;
                    pos += 4;
                }
                d.imm2 = fetchLe(f, pos, 2) & 0xFFFF;
                pos += 2;
                break;
            case I_GRP3:
                if ((d.reg & 7) < 2) {
                    if (op == 0xF6) {
                        d.imm = (byte) f.fetch(pos);
                        pos += 1;
                    } else if (d.osize == 2) {
                        d.imm = (short) fetchLe(f, pos, 2);
                        pos += 2;
                    } else {
                        d.imm = (int) fetchLe(f, pos, 4);
                        pos += 4;
                    }
                }
                break;
            default:
                throw new IllegalStateException("immediate kind " + kind);
        }
        if (pos > 15) {
            throw GuestFault.gp(0);
        }
        d.len = pos;
        if (d.seg < 0) {
            d.seg = CpuState.DS;
        }
        if (!Validity.valid(d)) {
            throw GuestFault.ud();
        }
    }

    private static void setSeg(Insn d, int seg, int mode) {
        d.rex = 0;
        // In 64-bit mode the ES/CS/SS/DS overrides are ignored (their bases are zero anyway).
        if (mode != MODE64 || seg >= CpuState.FS) {
            d.seg = seg;
            d.segOverride = true;
        }
    }

    private static long fetchLe(Fetcher f, int pos, int size) {
        if (pos + size > 15) {
            throw GuestFault.gp(0);
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (f.fetch(pos + i) & 0xFF);
        }
        return v;
    }

    private static int modrm(Fetcher f, int pos, int mode, Insn d) {
        if (pos >= 15) {
            throw GuestFault.gp(0);
        }
        int m = f.fetch(pos++) & 0xFF;
        d.hasModrm = true;
        d.mod = m >> 6;
        d.reg = ((m >> 3) & 7) | ((d.rex & 4) << 1);
        int rm = m & 7;
        boolean forceReg = d.op >= 0x120 && d.op <= 0x123;
        if (forceReg) {
            d.mod = 3;
        }
        if (d.mod == 3) {
            d.rm = rm | ((d.rex & 1) << 3);
            return pos;
        }
        d.rm = rm;
        if (d.asize == 2) {
            int defSeg = CpuState.DS;
            switch (rm) {
                case 0: d.base = CpuState.RBX; d.index = CpuState.RSI; break;
                case 1: d.base = CpuState.RBX; d.index = CpuState.RDI; break;
                case 2: d.base = CpuState.RBP; d.index = CpuState.RSI; defSeg = CpuState.SS; break;
                case 3: d.base = CpuState.RBP; d.index = CpuState.RDI; defSeg = CpuState.SS; break;
                case 4: d.base = CpuState.RSI; break;
                case 5: d.base = CpuState.RDI; break;
                case 6:
                    if (d.mod != 0) {
                        d.base = CpuState.RBP;
                        defSeg = CpuState.SS;
                    }
                    break;
                default: d.base = CpuState.RBX; break;
            }
            if (d.mod == 0 && rm == 6) {
                d.disp = (short) fetchLe(f, pos, 2);
                pos += 2;
            } else if (d.mod == 1) {
                d.disp = (byte) f.fetch(pos++);
            } else if (d.mod == 2) {
                d.disp = (short) fetchLe(f, pos, 2);
                pos += 2;
            }
            if (d.seg < 0) {
                d.seg = defSeg;
            }
            return pos;
        }
        int base;
        if (rm == 4) {
            if (pos >= 15) {
                throw GuestFault.gp(0);
            }
            int sib = f.fetch(pos++) & 0xFF;
            d.scale = sib >> 6;
            int idx = ((sib >> 3) & 7) | ((d.rex & 2) << 2);
            d.index = idx == 4 ? -1 : idx;
            int b = sib & 7;
            if (b == 5 && d.mod == 0) {
                base = -1;
                d.disp = (int) fetchLe(f, pos, 4);
                pos += 4;
            } else {
                base = b | ((d.rex & 1) << 3);
            }
        } else if (rm == 5 && d.mod == 0) {
            base = mode == MODE64 ? Insn.BASE_RIP : -1;
            d.disp = (int) fetchLe(f, pos, 4);
            pos += 4;
        } else {
            base = rm | ((d.rex & 1) << 3);
        }
        d.base = base;
        if (d.mod == 1) {
            d.disp = (byte) f.fetch(pos++);
        } else if (d.mod == 2) {
            d.disp = (int) fetchLe(f, pos, 4);
            pos += 4;
        }
        if (d.seg < 0) {
            d.seg = (base == CpuState.RSP || base == CpuState.RBP) ? CpuState.SS : CpuState.DS;
        }
        return pos;
    }
}
