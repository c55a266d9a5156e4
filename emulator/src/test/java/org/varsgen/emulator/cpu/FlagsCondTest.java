package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Condition codes read straight from the lazy operands (after SUB/CMP and logic operations)
 * agree with the conditions evaluated from the materialized RFLAGS bits, in every width, on
 * random and edge-case operands.
 */
class FlagsCondTest {
    private static final long[] EDGES = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFFL,
        0x80000000L, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE};

    private static boolean fromBits(long fl, int cc) {
        boolean cf = (fl & Flags.CF) != 0, zf = (fl & Flags.ZF) != 0, sf = (fl & Flags.SF) != 0;
        boolean of = (fl & Flags.OF) != 0, pf = (fl & Flags.PF) != 0;
        boolean r;
        switch (cc >> 1) {
            case 0: r = of; break;
            case 1: r = cf; break;
            case 2: r = zf; break;
            case 3: r = cf || zf; break;
            case 4: r = sf; break;
            case 5: r = pf; break;
            case 6: r = sf != of; break;
            default: r = zf || sf != of; break;
        }
        return (cc & 1) != 0 ? !r : r;
    }

    private static void check(int kind, int size, long a, long b) {
        Flags f = new Flags();
        new Alu(f).arith(kind, size, a, b);
        long bits = f.get();
        for (int cc = 0; cc < 16; cc++) {
            assertEquals(fromBits(bits, cc), f.cond(cc),
                    String.format("kind %d size %d a %x b %x cc %d", kind, size, a, b, cc));
        }
    }

    @Test
    void conditionsMatchMaterializedFlags() {
        SplittableRandom rnd = new SplittableRandom(42);
        int[] kinds = {Alu.SUB, Alu.CMP, Alu.AND, Alu.OR, Alu.XOR, Alu.ADD};
        for (int size : new int[] {1, 2, 4, 8}) {
            for (int kind : kinds) {
                for (long a : EDGES) {
                    for (long b : EDGES) {
                        check(kind, size, a, b);
                    }
                }
                for (int i = 0; i < 2000; i++) {
                    check(kind, size, rnd.nextLong(), rnd.nextLong());
                }
            }
        }
    }
}
