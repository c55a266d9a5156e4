package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The benchmark workloads compute what they claim, checked against Java's own CRC-32, a plain
 * copy and a Java model of the range decoder, so that the MIPS figures measure real work.
 */
class BenchWorkloadsTest {
    private static final int LEN = 3000;

    private static BenchWorkloads runToHlt(String name, int length, long repetitions) {
        BenchWorkloads w = new BenchWorkloads(name, length, repetitions);
        w.cpu.run(50_000_000);
        assertTrue(w.cpu.state().halted, name + " did not reach HLT; rip=" + Long.toHexString(w.cpu.state().rip));
        return w;
    }

    private static long javaCrc(BenchWorkloads w, int len) {
        CRC32 crc = new CRC32();
        crc.update(w.ram, (int) BenchWorkloads.SRC, len);
        return crc.getValue();
    }

    @Test
    void decJnzLoopsTheGivenCount() {
        BenchWorkloads w = runToHlt("dec-jnz", LEN, 3);
        assertEquals(0, w.cpu.state().gpr[CpuState.RDX]);
        assertEquals(0, w.cpu.state().gpr[CpuState.R8]);
        assertEquals(3 * (1 + 2 * LEN + 2) + 1, w.cpu.retiredInstructions());
    }

    @Test
    void crc32BitwiseMatchesJava() {
        BenchWorkloads w = runToHlt("crc32-bitwise", LEN, 2);
        assertEquals(javaCrc(w, LEN), w.cpu.state().gpr[CpuState.RAX]);
    }

    @Test
    void crc32TableMatchesJava() {
        BenchWorkloads w = runToHlt("crc32-table", LEN, 2);
        assertEquals(javaCrc(w, LEN), w.cpu.state().gpr[CpuState.RAX]);
    }

    @Test
    void byteCopyCopies() {
        BenchWorkloads w = runToHlt("bytecopy", LEN, 2);
        int src = (int) BenchWorkloads.SRC;
        int dst = (int) BenchWorkloads.DST;
        assertArrayEquals(Arrays.copyOfRange(w.ram, src, src + LEN), Arrays.copyOfRange(w.ram, dst, dst + LEN));
        assertEquals(0, w.ram[dst + LEN], "wrote past the end");
    }

    @Test
    void rangeDecoderMatchesModel() {
        BenchWorkloads w = runToHlt("rangedecoder", LEN, 2);
        byte[] input = Arrays.copyOfRange(w.ram, (int) BenchWorkloads.SRC, (int) BenchWorkloads.SRC + 2 * LEN + 5);
        RangeDecoderModel model = new RangeDecoderModel(input);
        byte[] expected = model.decode(LEN, 2);
        int dst = (int) BenchWorkloads.DST;
        assertArrayEquals(expected, Arrays.copyOfRange(w.ram, dst, dst + LEN));
        assertEquals(model.range, w.cpu.state().gpr[CpuState.R13]);
        assertEquals(model.code, w.cpu.state().gpr[CpuState.R14]);
    }

    /** The range decoder of bench/rangedecoder.asm, in Java. */
    private static final class RangeDecoderModel {
        private final byte[] in;
        private final int[] probs = new int[8 * 256];
        long range;
        long code;
        private int pos;

        RangeDecoderModel(byte[] in) {
            this.in = in;
            Arrays.fill(probs, 1024);
        }

        byte[] decode(int symbols, int repetitions) {
            byte[] out = new byte[symbols];
            for (int rep = 0; rep < repetitions; rep++) {
                range = 0xFFFFFFFFL;
                code = 0;
                for (int i = 1; i <= 4; i++) {
                    code = (code << 8) | (in[i] & 0xFF);
                }
                pos = 5;
                int prev = 0;
                for (int n = 0; n < symbols; n++) {
                    int base = (prev >> 5) * 256;
                    int m = 1;
                    while (m < 256) {
                        m = 2 * m + bit(base + m);
                    }
                    prev = m & 0xFF;
                    out[n] = (byte) prev;
                }
            }
            return out;
        }

        private int bit(int p) {
            long bound = (range >>> 11) * probs[p];
            int b;
            if (code < bound) {
                range = bound;
                probs[p] += (2048 - probs[p]) >> 5;
                b = 0;
            } else {
                range -= bound;
                code -= bound;
                probs[p] -= probs[p] >> 5;
                b = 1;
            }
            if (range < (1 << 24)) {
                range = (range << 8) & 0xFFFFFFFFL;
                code = ((code << 8) | (in[pos++] & 0xFF)) & 0xFFFFFFFFL;
            }
            return b;
        }
    }
}
