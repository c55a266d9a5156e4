package org.varsgen.emulator.devices.fwcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class E820TableTest {
    private static long[] entry(byte[] t, int i) {
        ByteBuffer b = ByteBuffer.wrap(t, 20 * i, 20).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getLong(), b.getLong(), b.getInt()};
    }

    @Test
    void smallMachineHasTheHoleThenLowRam() {
        byte[] t = E820Table.q35(256L << 20).bytes();
        assertEquals(40, t.length);
        assertEquals(0xFD00000000L, entry(t, 0)[0]);
        assertEquals(E820Table.TYPE_RESERVED, entry(t, 0)[2]);
        assertEquals(0x10000000L, entry(t, 1)[1]);
    }

    /** q35 keeps 2 GiB below 4 GiB once RAM reaches 2.75 GiB, and maps the rest from 4 GiB. */
    @Test
    void largeMachineSplitsAroundTheMmioHole() {
        byte[] t = E820Table.q35(3L << 30).bytes();
        assertEquals(60, t.length);
        assertEquals(0x80000000L, entry(t, 1)[1]);
        assertEquals(1L << 32, entry(t, 2)[0]);
        assertEquals(1L << 30, entry(t, 2)[1]);
        byte[] small = E820Table.q35(0xA0000000L).bytes();
        assertEquals(40, small.length, "below 0xB0000000 all RAM stays low");
    }
}
