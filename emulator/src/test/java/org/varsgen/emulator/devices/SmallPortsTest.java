package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmallPortsTest {
    @Test
    void debugConsoleReadsBackE9AndForwardsBytes() {
        DebugConsole con = new DebugConsole();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        con.setOutput(log::write);
        assertEquals(0xE9, con.read(0, 1));
        for (byte b : "SecCoreStartupWithStack".getBytes(StandardCharsets.US_ASCII)) {
            con.write(0, 1, b);
        }
        assertEquals("SecCoreStartupWithStack", log.toString(StandardCharsets.US_ASCII));
        assertEquals(0x402, con.region().base());
        assertEquals("isa-debugcon", con.region().name());
    }

    @Test
    void postPortKeepsTheLastCodeAndReadsAllOnes() {
        PostPort post = new PostPort();
        assertEquals(-1, post.lastCode());
        post.write(0, 1, 0x1234);
        assertEquals(0x34, post.lastCode());
        assertEquals(0xFF, post.read(0, 1));
    }
}
