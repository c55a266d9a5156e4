package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.cpu.decode.Decoder;
import org.varsgen.emulator.cpu.decode.Insn;

/** The decoder on hand-encoded bytes: prefixes, ModRM/SIB forms, immediates, and #UD. */
class DecoderTest {
    static Insn decode(int mode, int... bytes) {
        Insn d = new Insn();
        Decoder.decode(off -> off < bytes.length ? bytes[off] & 0xFF : 0, mode, d);
        return d;
    }

    static int fault(int mode, int... bytes) {
        GuestFault f = assertThrows(GuestFault.class, () -> decode(mode, bytes));
        return f.vector;
    }

    @Test
    void legacyPrefixesCombine() {
        // lock add dword fs:[rax], ecx with 66/67 around: 64-bit mode.
        Insn d = decode(Decoder.MODE64, 0x64, 0x67, 0xF0, 0x01, 0x08);
        assertEquals(5, d.len);
        assertEquals(CpuState.FS, d.seg);
        assertEquals(4, d.asize);
        assertEquals(4, d.osize);
        assertTrue(d.has(Insn.PFX_LOCK));
        d = decode(Decoder.MODE64, 0x66, 0x01, 0xC8);
        assertEquals(2, d.osize);
        // REX.W wins over 66.
        d = decode(Decoder.MODE64, 0x66, 0x48, 0x01, 0xC8);
        assertEquals(8, d.osize);
        // A REX before a legacy prefix is ignored.
        d = decode(Decoder.MODE64, 0x48, 0x66, 0x01, 0xC8);
        assertEquals(2, d.osize);
        assertEquals(0, d.rex);
        // REP and REPNE: the last one wins.
        d = decode(Decoder.MODE64, 0xF2, 0xF3, 0xA4);
        assertTrue(d.has(Insn.PFX_REP));
        assertTrue(!d.has(Insn.PFX_REPNE));
        // In 16-bit code 66 selects 32-bit operands and 67 32-bit addressing.
        d = decode(Decoder.MODE16, 0x66, 0x67, 0x8B, 0x04, 0x24);
        assertEquals(4, d.osize);
        assertEquals(4, d.asize);
        assertEquals(CpuState.SS, d.seg, "ESP base defaults to SS");
        assertEquals(5, d.len);
        // Segment overrides other than FS/GS are ignored in 64-bit mode, honoured elsewhere.
        assertEquals(CpuState.DS, decode(Decoder.MODE64, 0x2E, 0x8B, 0x00).seg);
        assertEquals(CpuState.CS, decode(Decoder.MODE32, 0x2E, 0x8B, 0x00).seg);
    }

    @Test
    void addressingForms() {
        // mov rax, [rip+0x10]
        Insn d = decode(Decoder.MODE64, 0x48, 0x8B, 0x05, 0x10, 0, 0, 0);
        assertEquals(Insn.BASE_RIP, d.base);
        assertEquals(0x10, d.disp);
        assertEquals(7, d.len);
        // In 32-bit code the same ModRM is an absolute disp32.
        d = decode(Decoder.MODE32, 0x8B, 0x05, 0x78, 0x56, 0x34, 0x12);
        assertEquals(-1, d.base);
        assertEquals(0x12345678, d.disp);
        // SIB with REX.X/B: mov eax, [r12 + r13*8 - 2]
        d = decode(Decoder.MODE64, 0x43, 0x8B, 0x44, 0xEC, 0xFE);
        assertEquals(12, d.base);
        assertEquals(13, d.index);
        assertEquals(3, d.scale);
        assertEquals(-2, d.disp);
        // SIB with no base (mod 0, base 5): disp32, and index 4 means none.
        d = decode(Decoder.MODE64, 0x8B, 0x04, 0x25, 0, 0x10, 0, 0);
        assertEquals(-1, d.base);
        assertEquals(-1, d.index);
        assertEquals(0x1000, d.disp);
        // 16-bit forms: [bp+di+disp8] defaults to SS, [disp16].
        d = decode(Decoder.MODE16, 0x8B, 0x43, 0x04);
        assertEquals(CpuState.RBP, d.base);
        assertEquals(CpuState.RDI, d.index);
        assertEquals(CpuState.SS, d.seg);
        d = decode(Decoder.MODE16, 0x8B, 0x1E, 0x34, 0x12);
        assertEquals(-1, d.base);
        assertEquals(0x1234, d.disp);
        assertEquals(4, d.len);
    }

    @Test
    void immediates() {
        assertEquals(10, decode(Decoder.MODE64, 0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8).len);
        assertEquals(0x0807060504030201L, decode(Decoder.MODE64, 0x48, 0xB8, 1, 2, 3, 4, 5, 6, 7, 8).imm);
        assertEquals(-1, decode(Decoder.MODE64, 0x48, 0xC7, 0xC0, 0xFF, 0xFF, 0xFF, 0xFF).imm);
        assertEquals(4, decode(Decoder.MODE16, 0x81, 0xC3, 0x34, 0x12).len);
        assertEquals(9, decode(Decoder.MODE64, 0xA1, 1, 2, 3, 4, 5, 6, 7, 8).len, "moffs is 8 bytes in 64-bit mode");
        assertEquals(6, decode(Decoder.MODE64, 0x67, 0xA1, 1, 2, 3, 4).len, "67: moffs is 4 bytes");
        assertEquals(4, decode(Decoder.MODE64, 0xC8, 0x10, 0x00, 0x01).len);
        assertEquals(8, decode(Decoder.MODE16, 0x66, 0xEA, 0xAF, 0xFE, 0xFF, 0xFF, 0x10, 0x00).len);
        // F6 /0 has an immediate, F6 /2 has none.
        assertEquals(3, decode(Decoder.MODE64, 0xF6, 0xC0, 0x01).len);
        assertEquals(2, decode(Decoder.MODE64, 0xF6, 0xD0).len);
        // Near branches default to 64-bit operand size in long mode.
        assertEquals(8, decode(Decoder.MODE64, 0xE8, 0, 0, 0, 0).osize);
        assertEquals(8, decode(Decoder.MODE64, 0xFF, 0xD0).osize);
        assertEquals(5, decode(Decoder.MODE64, 0x0F, 0x84, 0, 0, 0, 0).len - 1);
    }

    @Test
    void invalidEncodingsRaiseUd() {
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0x06));          // PUSH ES in 64-bit mode
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0xC4, 0xE2, 0x79, 0x00, 0xC0)); // VEX
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0xF0, 0x90));    // LOCK NOP
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0xF0, 0x01, 0xC8)); // LOCK with a register destination
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0x8D, 0xC0));    // LEA with a register source
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0x0F, 0xFF));
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0xFF, 0xF8));    // FF /7
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0x0F, 0xC7, 0xC8)); // CMPXCHG8B with a register
        assertEquals(GuestFault.UD, fault(Decoder.MODE64, 0x0F, 0x6F, 0xC0)); // MMX MOVQ: no MMX
        assertEquals(GuestFault.GP, fault(Decoder.MODE64, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90)); // 16 bytes
        assertEquals(15, decode(Decoder.MODE64, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
                0x66, 0x66, 0x66, 0x90).len);
    }

    @Test
    void everyPrefixCombinationDecodesConsistently() {
        int[] prefixes = {0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x64, 0x65};
        for (int mask = 0; mask < (1 << prefixes.length); mask++) {
            for (int rex : new int[] {0, 0x40, 0x48, 0x4F}) {
                int n = Integer.bitCount(mask) + (rex != 0 ? 1 : 0);
                int[] b = new int[n + 3];
                int p = 0;
                for (int i = 0; i < prefixes.length; i++) {
                    if ((mask & (1 << i)) != 0) {
                        b[p++] = prefixes[i];
                    }
                }
                if (rex != 0) {
                    b[p++] = rex;
                }
                b[p++] = 0x8B; // mov r, [rax + disp8]
                b[p++] = 0x40;
                b[p] = 0x7F;
                Insn d = decode(Decoder.MODE64, b);
                assertEquals(n + 3, d.len);
                boolean w = (rex & 8) != 0;
                boolean o16 = (mask & 1) != 0;
                assertEquals(w ? 8 : o16 ? 2 : 4, d.osize);
                assertEquals((mask & 2) != 0 ? 4 : 8, d.asize);
                int seg = (mask & 0x40) != 0 && b[n - (rex != 0 ? 2 : 1)] == 0x65 ? CpuState.GS
                        : (mask & 0x20) != 0 ? (mask & 0x40) != 0 ? CpuState.GS : CpuState.FS : CpuState.DS;
                assertEquals(seg, d.seg, "prefix mask " + mask);
                assertEquals(0x7F, d.disp);
                assertEquals((rex & 4) != 0 ? 8 : 0, d.reg);
            }
        }
    }
}
