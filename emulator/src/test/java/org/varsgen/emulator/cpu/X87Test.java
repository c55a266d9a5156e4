package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The x87 instruction set against hand-computed results: operand forms and their directions,
 * stack faults, compares into EFLAGS, rounding and precision control, remainders, bit-exact
 * 80-bit moves, environment save/restore, BCD, and the transcendental functions.
 */
class X87Test {
    /** Results go to 0x3000 upwards; constants follow the code (jumped over). */
    private static TestMachine run(String code, String data) {
        TestMachine m = new TestMachine();
        m.run64("fninit\njmp start\nalign 16\n" + data + "\nstart:\n" + code);
        return m;
    }

    private static double d(TestMachine m, long addr) {
        return Double.longBitsToDouble(m.read64(addr));
    }

    private static int sw(TestMachine m, long addr) {
        return (int) (m.read64(addr) & 0xFFFF);
    }

    @Test
    void operandFormsAndDirections() {
        TestMachine m = run("fld qword [rel two]\nfld qword [rel three]\n" // st0 = 3, st1 = 2
                + "fld st0\nfsub st0, st2\nfstp qword [0x3000]\n" // 3 - 2
                + "fld st0\nfsubr st0, st2\nfstp qword [0x3008]\n" // 2 - 3
                + "fld st1\nfld st1\nfsub st1, st0\nfstp st0\nfstp qword [0x3010]\n" // st1 = 2 - 3
                + "fld st1\nfld st1\nfsubr st1, st0\nfstp st0\nfstp qword [0x3018]\n" // st1 = 3 - 2
                + "fld st1\nfld st1\nfdivp st1, st0\nfstp qword [0x3020]\n" // 2 / 3 (DE F8+i)
                + "fld st1\nfld st1\nfdivrp st1, st0\nfstp qword [0x3028]\n" // 3 / 2 (DE F0+i)
                + "fld st0\nfmul qword [rel two]\nfstp qword [0x3030]\n"
                + "fld st0\nfidiv dword [rel four]\nfstp qword [0x3038]\n"
                + "fld st0\nfisubr word [rel four16]\nfstp qword [0x3040]\n"
                + "fld st0\nfdivr dword [rel half]\nfstp qword [0x3048]\n"
                + "faddp st1, st0\nfstp qword [0x3050]\nfnstsw [0x3058]",
                "two: dq 2.0\nthree: dq 3.0\nfour: dd 4\nfour16: dw 4\nhalf: dd 0.5");
        assertEquals(1.0, d(m, 0x3000));
        assertEquals(-1.0, d(m, 0x3008));
        assertEquals(-1.0, d(m, 0x3010));
        assertEquals(1.0, d(m, 0x3018));
        assertEquals(2.0 / 3.0, d(m, 0x3020));
        assertEquals(1.5, d(m, 0x3028));
        assertEquals(6.0, d(m, 0x3030));
        assertEquals(0.75, d(m, 0x3038));
        assertEquals(1.0, d(m, 0x3040));
        assertEquals(0.5 / 3.0, d(m, 0x3048));
        assertEquals(5.0, d(m, 0x3050));
        assertEquals(0, sw(m, 0x3058) & 0x3800, "balanced stack: TOP back at 0");
    }

    @Test
    void fcomipSetsEflagsAndPops() {
        // the bookworm OVMF sequence: FCOMIP ST, ST(1) then JA
        TestMachine m = run("fld qword [rel two]\nfld qword [rel three]\nfcomip st0, st1\nseta al\nsetb bl\nsetz cl\nsetp dl\n"
                + "fld qword [rel two]\nfucomip st0, st1\nsetz ch\nsetc dh\nfnstsw [0x3000]\n"
                + "fld qword [rel nan]\nfucomi st0, st1\nsetp ah\nfnstsw [0x3002]\nfcomi st0, st1\nfnstsw [0x3004]",
                "two: dq 2.0\nthree: dq 3.0\nnan: dq 0x7FF8000000000000");
        long a = m.reg(CpuState.RAX);
        assertEquals(1, a & 0xFF, "3 > 2: JA taken");
        assertEquals(0, m.reg(CpuState.RBX) & 0xFF);
        assertEquals(0x0100, m.reg(CpuState.RCX) & 0xFFFF, "ZF only on equal");
        assertEquals(0x0000, m.reg(CpuState.RDX) & 0xFFFF, "no PF, no CF on equal");
        assertEquals(0x3800, sw(m, 0x3000) & 0x3800, "two pops leave one value (TOP 7)");
        assertEquals(1, (a >> 8) & 0xFF, "unordered sets PF");
        assertEquals(0, sw(m, 0x3002) & 1, "FUCOMI with a QNaN raises nothing");
        assertEquals(1, sw(m, 0x3004) & 1, "FCOMI with a QNaN raises IE");
    }

    @Test
    void stackOverflowAndUnderflowGiveIndefinite() {
        TestMachine m = run("fld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfld1\nfnstsw [0x3000]\nfld1\nfnstsw [0x3002]\n"
                + "fst qword [0x3008]\nfistp dword [0x3010]\nfninit\nfadd st0, st1\nfnstsw [0x3004]\n"
                + "fninit\nfld1\nfsqrt\nfchs\nfsqrt\nfstp qword [0x3018]\nfnstsw [0x3006]", "");
        assertEquals(0, sw(m, 0x3000) & 0x7F, "eight pushes fit");
        assertEquals(0x0241, sw(m, 0x3002) & 0x47FF, "ninth: IE, SF and C1 (overflow)");
        assertEquals(0xFFF8000000000000L, m.read64(0x3008), "QNaN real indefinite");
        assertEquals(0x80000000L, m.read64(0x3010) & 0xFFFFFFFFL, "integer indefinite");
        assertEquals(0x0041, sw(m, 0x3004) & 0x47FF, "underflow: IE, SF, C1 clear");
        assertEquals(0xFFF8000000000000L, m.read64(0x3018), "sqrt(-1) is the indefinite");
        assertEquals(0x0001, sw(m, 0x3006) & 0x7F, "invalid without stack fault");
    }

    @Test
    void unmaskedExceptionSetsSummaryBits() {
        TestMachine m = run("mov word [0x3000], 0x037B\nfldcw [0x3000]\nfldz\nfld1\nfdiv st0, st1\nfnstsw ax\n"
                + "fstp qword [0x3008]", "");
        assertEquals(0x8084, (m.reg(CpuState.RAX) & 0xFFFF) & 0x80FF, "ZE unmasked: ES and B");
        assertEquals(Double.POSITIVE_INFINITY, d(m, 0x3008));
    }

    @Test
    void roundingAndPrecisionControl() {
        TestMachine m = run("fld1\nfld qword [rel three]\nfdivr st0, st1\nfstp qword [0x3000]\n" // nearest
                + "mov word [0x3100], 0x0B7F\nfldcw [0x3100]\nfld qword [rel three]\nfdivr st0, st1\nfstp qword [0x3008]\n" // up
                + "mov word [0x3100], 0x077F\nfldcw [0x3100]\nfld qword [rel three]\nfdivr st0, st1\nfstp qword [0x3010]\n" // down
                + "fld qword [rel m25]\nfistp dword [0x3018]\n" // down: -3
                + "mov word [0x3100], 0x007F\nfldcw [0x3100]\nfld qword [rel three]\nfdivr st0, st1\nfstp qword [0x3020]\n"
                + "fnstsw [0x3028]\nfld qword [rel m25]\nfistp dword [0x3030]\nfld qword [rel p35]\nfrndint\nfstp qword [0x3038]"
                + "\nfld qword [rel big]\nfistp word [0x3040]\nfnstsw [0x3042]",
                "three: dq 3.0\nm25: dq -2.5\np35: dq 3.5\nbig: dq 40000.0");
        double third = 1.0 / 3.0;
        assertEquals(third, d(m, 0x3000));
        assertEquals(Math.nextUp(third), d(m, 0x3008), "1/3 rounded up");
        assertEquals(third, d(m, 0x3010), "1/3 rounded down is the nearest here");
        assertEquals(-3, (int) m.read64(0x3018));
        assertEquals((double) (float) third, d(m, 0x3020), "24-bit precision control");
        assertEquals(0x20, sw(m, 0x3028) & 0x20, "PE");
        assertEquals(-2, (int) m.read64(0x3030), "nearest-even");
        assertEquals(4.0, d(m, 0x3038));
        assertEquals(0x8000, m.read64(0x3040) & 0xFFFF, "40000 does not fit in 16 bits");
        assertEquals(1, sw(m, 0x3042) & 1);
    }

    @Test
    void remaindersSetQuotientBits() {
        TestMachine m = run("fld qword [rel five]\nfld qword [rel seventeen]\nfprem\nfnstsw [0x3000]\nfstp qword [0x3008]\n"
                + "fld qword [rel eighteen]\nfprem1\nfnstsw [0x3002]\nfstp qword [0x3010]\n"
                + "fld qword [rel huge]\nfprem\nfnstsw [0x3004]\nfstp st0\nfstp st0\n"
                + "fld qword [rel twelve]\nfxtract\nfstp qword [0x3018]\nfstp qword [0x3020]\n"
                + "fld qword [rel twelve]\nfld1\nfld1\nfadd st0, st0\nfld qword [rel twelve]\nfscale\nfstp qword [0x3028]",
                "five: dq 5.0\nseventeen: dq 17.0\neighteen: dq 18.0\nhuge: dq 0x1p100\ntwelve: dq 12.0");
        assertEquals(2.0, d(m, 0x3008));
        assertEquals(0x4200, sw(m, 0x3000) & 0x4700, "q = 3: C3 (q1) and C1 (q0), C2 clear");
        assertEquals(-2.0, d(m, 0x3010), "18 rem 5 with the nearest quotient 4");
        assertEquals(0x0100, sw(m, 0x3002) & 0x4700, "q = 4: C0 (q2)");
        assertEquals(0x0400, sw(m, 0x3004) & 0x0400, "2^100 rem 5 is partial: C2");
        assertEquals(1.5, d(m, 0x3018), "significand of 12");
        assertEquals(3.0, d(m, 0x3020), "exponent of 12");
        assertEquals(48.0, d(m, 0x3028), "12 * 2^2");
    }

    @Test
    void extendedMovesAreBitExact() {
        // 1 + 2^-63 is not a double; moves keep all 64 bits, arithmetic rounds
        TestMachine m = run("fld tword [rel odd]\nfld st0\nfxch st1\nfchs\nfabs\nfstp tword [0x3000]\n"
                + "fld tword [rel one]\nfstp tword [0x3010]\nfld tword [rel odd]\nfstp qword [0x3020]\n"
                + "fld tword [rel odd]\nfld1\nfmulp st1, st0\nfstp tword [0x3030]",
                "odd: dq 0x8000000000000001\ndw 0x3FFF\none: dt 1.0");
        assertEquals(0x8000000000000001L, m.read64(0x3000));
        assertEquals(0x3FFF, m.read64(0x3008) & 0xFFFF);
        assertEquals(0x8000000000000000L, m.read64(0x3010));
        assertEquals(0x3FFF, m.read64(0x3018) & 0xFFFF);
        assertEquals(1.0, d(m, 0x3020), "rounded to double");
        assertEquals(0x8000000000000000L, m.read64(0x3030), "arithmetic works on the double value");
    }

    @Test
    void compareFamilyAndClassification() {
        TestMachine m = run("fld qword [rel two]\nfcom qword [rel three]\nfnstsw [0x3000]\nficom word [rel two16]\nfnstsw [0x3002]\n"
                + "ftst\nfnstsw [0x3004]\nfxam\nfnstsw [0x3006]\nfchs\nfxam\nfnstsw [0x3008]\nfstp st0\nfxam\nfnstsw [0x300A]\n"
                + "fldz\nfxam\nfnstsw [0x300C]\nfld qword [rel two]\nfld qword [rel three]\nfcompp\nfnstsw [0x300E]",
                "two: dq 2.0\nthree: dq 3.0\ntwo16: dw 2");
        assertEquals(0x0100, sw(m, 0x3000) & 0x4500, "2 < 3: C0");
        assertEquals(0x4000, sw(m, 0x3002) & 0x4500, "2 = 2: C3");
        assertEquals(0x0000, sw(m, 0x3004) & 0x4500, "2 > 0");
        assertEquals(0x0400, sw(m, 0x3006) & 0x4700, "normal, positive");
        assertEquals(0x0600, sw(m, 0x3008) & 0x4700, "normal, negative (C1)");
        assertEquals(0x4100, sw(m, 0x300A) & 0x4500, "empty");
        assertEquals(0x4000, sw(m, 0x300C) & 0x4500, "zero");
        assertEquals(0x0000, sw(m, 0x300E) & 0x4500, "3 > 2");
        assertEquals(0x3800, sw(m, 0x300E) & 0x3800, "FCOMPP popped both");
    }

    @Test
    void fcmovFollowsEflags() {
        TestMachine m = run("fld qword [rel two]\nfld qword [rel three]\nfld1\nmov eax, 1\ncmp eax, 2\n" // CF = 1
                + "fcmovb st0, st1\nfst qword [0x3000]\nfcmovnb st0, st2\nfst qword [0x3008]\n"
                + "cmp eax, 1\nfcmove st0, st2\nfstp qword [0x3010]",
                "two: dq 2.0\nthree: dq 3.0");
        assertEquals(3.0, d(m, 0x3000));
        assertEquals(3.0, d(m, 0x3008), "not below: unchanged");
        assertEquals(2.0, d(m, 0x3010));
    }

    @Test
    void environmentAndStateSaveRestore() {
        TestMachine m = run("fld qword [rel three]\nfld tword [rel odd]\nmov word [0x3100], 0x0F7F\nfldcw [0x3100]\n"
                + "fnstenv [0x3200]\nfnstcw [0x3000]\nfldenv [0x3200]\nfnstcw [0x3002]\n"
                + "fnsave [0x3300]\nfnstcw [0x3004]\nfnstsw [0x3006]\nfrstor [0x3300]\nfnstcw [0x3008]\n"
                + "fstp tword [0x3010]\nfstp qword [0x3020]\nfnstsw [0x300A]",
                "three: dq 3.0\nodd: dq 0x8000000000000001\ndw 0x3FFF");
        assertEquals(0x0F7F, sw(m, 0x3000), "FNSTENV masks all (already masked)");
        assertEquals(0x0F7F, m.read64(0x3200) & 0xFFFFFFFFL, "control word");
        assertEquals(0x3000, m.read64(0x3204) & 0x3800, "TOP 6 in the stored status word");
        assertEquals(0x0FFF, m.read64(0x3208) & 0xFFFF, "tags: ST0, ST1 valid in physical 6, 7");
        assertEquals(0x0F7F, sw(m, 0x3002));
        assertEquals(0x037F, sw(m, 0x3004), "FNSAVE reinitialises");
        assertEquals(0, sw(m, 0x3006) & 0x3800);
        assertEquals(0x8000000000000001L, m.read64(0x3300 + 28), "ST0 at offset 28");
        assertEquals(0x0F7F, sw(m, 0x3008));
        assertEquals(0x8000000000000001L, m.read64(0x3010));
        assertEquals(3.0, d(m, 0x3020));
        assertEquals(0, sw(m, 0x300A) & 0x3841, "restored stack is balanced, no fault");
    }

    @Test
    void packedBcd() {
        TestMachine m = run("fbld [rel bcd]\nfst qword [0x3000]\nfchs\nfbstp [0x3010]",
                "bcd: dq 0x0000000000001234\ndw 0");
        assertEquals(1234.0, d(m, 0x3000));
        assertEquals(0x1234, m.read64(0x3010));
        assertEquals(0x8000, m.read64(0x3018) & 0xFFFF, "sign byte");
    }

    @Test
    void constantsAndTranscendentals() {
        TestMachine m = run("fldpi\nfcos\nfstp qword [0x3000]\nfld1\nfld1\nfpatan\nfstp qword [0x3008]\n"
                + "fld1\nfld qword [rel eight]\nfyl2x\nfstp qword [0x3010]\nfld1\nf2xm1\nfstp qword [0x3018]\n"
                + "fld qword [rel two]\nfsqrt\nfstp qword [0x3020]\nfldz\nfsincos\nfstp qword [0x3028]\nfstp qword [0x3030]\n"
                + "fld qword [rel huge]\nfsin\nfnstsw [0x3038]\nfstp qword [0x3040]\nfldl2t\nfstp qword [0x3048]\n"
                + "fldz\nfptan\nfstp qword [0x3050]\nfstp qword [0x3058]",
                "eight: dq 8.0\ntwo: dq 2.0\nhuge: dq 0x1p64");
        assertEquals(-1.0, d(m, 0x3000));
        assertEquals(Math.PI / 4, d(m, 0x3008));
        assertEquals(3.0, d(m, 0x3010), "1 * log2(8)");
        assertEquals(1.0, d(m, 0x3018), "2^1 - 1");
        assertEquals(Math.sqrt(2), d(m, 0x3020));
        assertEquals(1.0, d(m, 0x3028), "cos 0 on top");
        assertEquals(0.0, d(m, 0x3030));
        assertEquals(0x0400, sw(m, 0x3038) & 0x0400, "2^64 is out of FSIN's range: C2");
        assertEquals(0x1p64, d(m, 0x3040), "operand left unchanged");
        assertEquals(Math.log(10) / Math.log(2), d(m, 0x3048), 1e-15);
        assertEquals(1.0, d(m, 0x3050), "FPTAN pushes 1");
        assertEquals(0.0, d(m, 0x3058));
    }
}
