package org.varsgen.generator.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.varsgen.fixtures.FirmwareFixtures;

/**
 * Replays the serial transcript of Debian's own generator run (pexpect's log: the guest's output
 * with what the script sent written in at the moment it sent it) through the engine.
 */
class ConsoleScriptEngineTest {
    private static final String TRANSCRIPT = "qemu-reference/serial-debian-job-ms.log";
    /** Guest time per replayed byte: 115200 baud is about 87 us per byte. */
    private static final long NANOS_PER_BYTE = 87_000;

    /** What debian/edk2-vars-generator.py sends: its sendline strings, each followed by "\n". */
    private static final List<String> DEBIAN_SENDS = List.of("\u001b\n", "FS0:\r\n", "EnrollDefaultKeys.efi\r\n",
            "setvar BootOrder =\r\n", "reset -s\r\n");

    private record Replay(ConsoleScriptEngine engine, List<byte[]> typed, List<Integer> positions, long endNanos) {
    }

    private static Replay replay(byte[] transcript, boolean noDefault) {
        ConsoleScriptEngine engine = new ConsoleScriptEngine(DebianJobScript.of(noDefault), 0);
        List<byte[]> typed = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < transcript.length; i++) {
            t = i * NANOS_PER_BYTE;
            engine.onSerialByte(transcript[i], t);
            byte[] out = engine.poll(t);
            if (out.length > 0) {
                typed.add(out);
                positions.add(i + 1);
            }
        }
        return new Replay(engine, typed, positions, t);
    }

    @Test
    void typesExactlyWhatDebiansJobTypedInOrderAndWhereItTypedIt() {
        byte[] log = FirmwareFixtures.read(TRANSCRIPT);
        Replay r = replay(log, false);
        assertEquals(DEBIAN_SENDS, r.typed().stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
        assertTrue(r.engine().allTyped());
        assertTrue(r.engine().failure().isEmpty(), () -> r.engine().failure().get().message());
        // pexpect logged each send right after the output chunk that held the prompt: the typed
        // bytes must follow closely in the transcript where the engine decided to type them.
        for (int k = 0; k < r.typed().size(); k++) {
            int at = indexOf(log, r.typed().get(k), r.positions().get(k));
            assertTrue(at >= 0 && at - r.positions().get(k) < 64,
                    "send " + k + " found at " + at + ", engine typed after byte " + r.positions().get(k));
        }
    }

    @Test
    void noDefaultAddsTheFlagToTheEnrolCommandOnly() {
        Replay r = replay(FirmwareFixtures.read(TRANSCRIPT), true);
        List<String> typed = r.typed().stream().map(b -> new String(b, StandardCharsets.US_ASCII)).toList();
        List<String> expected = new ArrayList<>(DEBIAN_SENDS);
        expected.set(2, "EnrollDefaultKeys.efi --no-default\r\n");
        assertEquals(expected, typed);
    }

    @Test
    void truncatedTranscriptReportsTheStepThatNeverCompleted() {
        byte[] log = FirmwareFixtures.read(TRANSCRIPT);
        int cut = indexOf(log, "info: success".getBytes(StandardCharsets.US_ASCII), 0);
        assertTrue(cut > 0);
        Replay r = replay(Arrays.copyOf(log, cut), false);
        assertEquals(3, r.typed().size(), "ESC, FS0: and the enrol command were typed");
        assertTrue(r.engine().failure().isEmpty(), "not failed before the deadline");
        assertArrayEquals(new byte[0], r.engine().poll(r.endNanos() + 119 * DebianJobScript.SECOND));
        assertTrue(r.engine().failure().isEmpty(), "still within the enrolment's 120 s");
        r.engine().poll(r.endNanos() + 121 * DebianJobScript.SECOND);
        ScriptFailure f = r.engine().failure().orElseThrow();
        assertEquals("enrolment", f.step());
        assertTrue(f.reason().contains("did not appear within 120.0 s"), f.reason());
        assertTrue(f.lastLines().contains("info: SetupMode=0 SecureBoot=1 SecureBootEnable=1 CustomMode=0 VendorKeys=0"),
                f.lastLines()::toString);
        assertTrue(f.message().startsWith("console step 'enrolment' failed: "), f.message());
    }

    @Test
    void truncatedBeforeTheCountdownFailsTheFirstStep() {
        byte[] log = FirmwareFixtures.read(TRANSCRIPT);
        int cut = indexOf(log, "Press".getBytes(StandardCharsets.US_ASCII), 0);
        Replay r = replay(Arrays.copyOf(log, cut), false);
        r.engine().poll(121 * DebianJobScript.SECOND);
        assertEquals("startup.nsh countdown", r.engine().failure().orElseThrow().step());
        assertTrue(r.typed().isEmpty());
    }

    @Test
    void promptAfterEnrolmentWithoutSuccessFailsAtOnce() {
        byte[] log = FirmwareFixtures.read(TRANSCRIPT);
        int at = indexOf(log, "info: success".getBytes(StandardCharsets.US_ASCII), 0);
        byte[] damaged = log.clone();
        System.arraycopy("info: failure".getBytes(StandardCharsets.US_ASCII), 0, damaged, at, 13);
        Replay r = replay(damaged, false);
        ScriptFailure f = r.engine().failure().orElseThrow();
        assertEquals("enrolment", f.step());
        assertTrue(f.reason().contains("without \"info: success\""), f.reason());
        assertEquals(3, r.typed().size(), "nothing typed after the failed enrolment");
        assertFalse(r.engine().allTyped());
    }

    @Test
    void powerOffDeadlineAfterTheLastStep() {
        Replay r = replay(FirmwareFixtures.read(TRANSCRIPT), false);
        r.engine().poll(r.endNanos() + 31 * DebianJobScript.SECOND);
        assertEquals("power-off after reset -s", r.engine().failure().orElseThrow().step());
    }

    @Test
    void promptsSplitByControlSequencesAreFound() {
        ConsoleScript script = new ConsoleScript(List.of(ConsoleStep.of("p", "Shell> ", "x", DebianJobScript.SECOND)),
                "end", DebianJobScript.SECOND);
        ConsoleScriptEngine engine = new ConsoleScriptEngine(script, 0);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes("\u001b[1m\u001b[33mShe\u001b[10;08Hll>\u001b[0m \u001b[=3h".getBytes(StandardCharsets.US_ASCII));
        for (byte b : in.toByteArray()) {
            engine.onSerialByte(b, 5);
        }
        assertArrayEquals("x".getBytes(StandardCharsets.US_ASCII), engine.poll(6));
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
