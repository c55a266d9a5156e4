package org.varsgen.emulator.cpu;

import org.varsgen.emulator.cpu.decode.Insn;

/**
 * Instructions that exist only outside 64-bit mode: the BCD adjustments (DAA, DAS, AAA, AAS,
 * AAM, AAD), SALC, ARPL, BOUND, LES and LDS. Nothing on the firmware's path uses them; they are
 * here so that the integer instruction set is complete. Flags follow QEMU TCG's helpers.
 */
final class LegacyOps {
    private static final long CF = Flags.CF, PF = Flags.PF, AF = Flags.AF, ZF = Flags.ZF, SF = Flags.SF;

    private final Cpu cpu;
    private final Interpreter in;
    private final long[] r;
    private final Flags f;

    LegacyOps(Cpu cpu, Interpreter in) {
        this.cpu = cpu;
        this.in = in;
        this.r = cpu.state.gpr;
        this.f = cpu.flags;
    }

    private static long szp(int al) {
        return (al == 0 ? ZF : 0) | (al & 0x80) | ((Integer.bitCount(al) & 1) == 0 ? PF : 0);
    }

    void bcd(Insn d, int op) {
        long fl = f.arith();
        int al = (int) r[0] & 0xFF;
        int ah = (int) (r[0] >> 8) & 0xFF;
        switch (op) {
            case 0x27: { // DAA
                long nf = 0;
                int al1 = al;
                if ((al & 0x0F) > 9 || (fl & AF) != 0) {
                    al = (al + 6) & 0xFF;
                    nf |= AF;
                }
                if (al1 > 0x99 || (fl & CF) != 0) {
                    al = (al + 0x60) & 0xFF;
                    nf |= CF;
                }
                setAl(al);
                f.setArith(nf | szp(al));
                return;
            }
            case 0x2F: { // DAS
                long nf = 0;
                int al1 = al;
                if ((al & 0x0F) > 9 || (fl & AF) != 0) {
                    nf |= AF;
                    if (al < 6 || (fl & CF) != 0) {
                        nf |= CF;
                    }
                    al = (al - 6) & 0xFF;
                }
                if (al1 > 0x99 || (fl & CF) != 0) {
                    al = (al - 0x60) & 0xFF;
                    nf |= CF;
                }
                setAl(al);
                f.setArith(nf | szp(al));
                return;
            }
            case 0x37: case 0x3F: { // AAA, AAS
                boolean aaa = op == 0x37;
                int carry = aaa ? (al > 0xF9 ? 1 : 0) : (al < 6 ? 1 : 0);
                if ((al & 0x0F) > 9 || (fl & AF) != 0) {
                    al = (aaa ? al + 6 : al - 6) & 0x0F;
                    ah = (aaa ? ah + 1 + carry : ah - 1 - carry) & 0xFF;
                    fl |= CF | AF;
                } else {
                    fl &= ~(CF | AF);
                    al &= 0x0F;
                }
                r[0] = (r[0] & ~0xFFFFL) | al | ((long) ah << 8);
                f.setArith(fl);
                return;
            }
            case 0xD4: { // AAM
                int base = (int) d.imm & 0xFF;
                if (base == 0) {
                    throw new GuestFault(GuestFault.DE, -1);
                }
                int q = al / base;
                int rem = al % base;
                r[0] = (r[0] & ~0xFFFFL) | rem | ((long) q << 8);
                f.logic(8, rem);
                return;
            }
            case 0xD5: { // AAD
                int base = (int) d.imm & 0xFF;
                int v = (ah * base + al) & 0xFF;
                r[0] = (r[0] & ~0xFFFFL) | v;
                f.logic(8, v);
                return;
            }
            default: // SALC
                setAl(f.cf() ? 0xFF : 0);
        }
    }

    private void setAl(int al) {
        r[0] = (r[0] & ~0xFFL) | al;
    }

    void arpl(Insn d) {
        if (!cpu.state.protectedMode() || (cpu.flags.other & Flags.VM) != 0) {
            throw GuestFault.ud();
        }
        long dst = in.readRm(d, 2);
        long src = in.getReg(d.reg, 2, d);
        boolean adjust = (dst & 3) < (src & 3);
        if (adjust) {
            in.writeRm(d, 2, (dst & ~3L) | (src & 3));
        }
        f.putArith(Flags.ZF, adjust);
    }

    void bound(Insn d) {
        int os = d.osize;
        long lin = in.addr(d);
        long lower = Interpreter.sext(in.readAt(lin, os), os);
        long upper = Interpreter.sext(in.readAt(lin + os, os), os);
        long index = Interpreter.sext(in.getReg(d.reg, os, d), os);
        if (index < lower || index > upper) {
            throw new GuestFault(GuestFault.BR, -1);
        }
    }

    void loadFarPointer(Insn d, int seg) {
        int os = d.osize;
        long lin = in.addr(d);
        long off = in.readAt(lin, os);
        int sel = (int) in.readAt(lin + os, 2);
        cpu.sys.loadSegment(seg, sel);
        in.setRegSized(d.reg, os, off);
    }
}
