package org.varsgen.emulator.cpu.decode;

/**
 * One decoded instruction: the compact form that the interpreter executes and that the JIT will
 * compile. It is position-independent (RIP-relative operands keep their displacement), so it can
 * be cached per physical address and decode mode. See docs/cpu.md, "Decoded form".
 */
public final class Insn {
    public static final int PFX_LOCK = 1, PFX_REP = 2, PFX_REPNE = 4, PFX_OPSIZE = 8, PFX_ADDRSIZE = 16;
    /** Base register code meaning "RIP-relative" (the displacement is added to the next RIP). */
    public static final int BASE_RIP = 16;

    /** Opcode: 0x000-0x0FF one-byte map, 0x100-0x1FF the 0F map. */
    public int op;
    /** Length in bytes (1-15). */
    public int len;
    /** PFX_* bits. */
    public int pfx;
    /** The REX byte (0 when absent; 0x40 alone still changes byte-register naming). */
    public int rex;
    /** Decode mode this was decoded in: 0 = 16-bit, 1 = 32-bit, 2 = 64-bit code. */
    public int mode;
    /** Operand size in bytes for word/dword/qword operands (2, 4 or 8), after prefixes and 64-bit defaults. */
    public int osize;
    /** Address size in bytes (2, 4 or 8). */
    public int asize;
    /** Segment of the memory operand (CpuState.ES..GS): the override, else the default for the base. */
    public int seg;
    /** True when a segment override prefix was present. */
    public boolean segOverride;
    public boolean hasModrm;
    /** ModRM fields: mod, reg (with REX.R), rm (with REX.B; a register number when mod == 3). */
    public int mod, reg, rm;
    /** Memory operand: base register (-1 none, BASE_RIP), index register (-1 none), scale shift, displacement. */
    public int base = -1, index = -1, scale;
    public long disp;
    /** Immediates: the first (sign-extended per its size, or the moffs address) and the second (ENTER, far pointers). */
    public long imm, imm2;

    /**
     * The interpreter's specialised handler for this instruction (a dense id of
     * {@code cpu.FastForms}), assigned on its first execution; 0 until then.
     */
    public int form;

    public boolean has(int prefix) {
        return (pfx & prefix) != 0;
    }

    /** The mandatory-prefix selector of SSE instructions: 0 none, 1 = 66, 2 = F3, 3 = F2 (last F2/F3 wins). */
    public int ssePrefix;

    @Override
    public String toString() {
        return String.format("op=%03x len=%d osize=%d asize=%d mod=%d reg=%d rm=%d base=%d index=%d scale=%d disp=%x imm=%x",
                op, len, osize, asize, mod, reg, rm, base, index, scale, disp, imm);
    }
}
