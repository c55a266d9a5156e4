package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.IoSpace;

/** Debug console 0x402, POST port 0x80, port 0x92. */
class IsaOddsAndEndsTest {
    private final ChipsetFixture f = new ChipsetFixture(1 << 20);

    @Test
    void debugConsoleReadsBackE9AndCollectsBytes() {
        assertEquals(0xE9L, f.io.read(0x402, 1));
        for (byte b : "Hello\n".getBytes(StandardCharsets.US_ASCII)) {
            f.io.write(0x402, 1, b);
        }
        assertEquals("Hello\n", f.debugOutput.toString(StandardCharsets.US_ASCII));
        f.io.write(0x402, 2, 0x4141);
        assertEquals(6, f.debugOutput.size(), "word writes are not valid for isa-debugcon");
        assertEquals(0L, f.io.read(0x402, 2));
    }

    @Test
    void withoutDebugConsoleTheProbeSeesAllOnes() {
        assertEquals(0xFFL, new IoSpace().read(0x402, 1));
    }

    @Test
    void postPortKeepsTheCodeAndReadsAllOnes() {
        IoSpace io = new IoSpace();
        PostPort post = new PostPort();
        io.add(post.region());
        assertEquals(-1, post.lastCode());
        io.write(0x80, 1, 0x55);
        assertEquals(0x55, post.lastCode());
        assertEquals(0xFFL, io.read(0x80, 1));
    }

    @Test
    void port92DrivesA20AndResetsOnRisingBitZero() {
        assertEquals(0L, f.io.read(0x92, 1));
        f.io.write(0x92, 1, 0x02);               // OVMF's PlatformMiscInitialization
        assertTrue(f.a20);
        assertEquals(0x02L, f.io.read(0x92, 1));
        assertEquals(0, f.resets);
        f.io.write(0x92, 1, 0x03);
        assertEquals(1, f.resets);
        f.io.write(0x92, 1, 0x03);
        assertEquals(1, f.resets, "only a 0-to-1 transition resets");
        f.io.write(0x92, 1, 0x00);
        assertFalse(f.a20);
    }
}
