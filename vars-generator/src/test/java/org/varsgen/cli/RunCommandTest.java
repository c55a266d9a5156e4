package org.varsgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varsgen.emulator.board.TestGuest;

/** {@code varsgen run} with tiny hand-assembled guests: exit codes, messages, outputs. */
class RunCommandTest {
    @TempDir
    Path dir;

    private Path code(int[] program) throws Exception {
        return Files.write(dir.resolve("code.fd"), TestGuest.code(program));
    }

    private Path vars() throws Exception {
        return Files.write(dir.resolve("vars.fd"), TestGuest.vars());
    }

    @Test
    void powerOffExitsZeroWritesVarsAndCom1GoesToStdout() throws Exception {
        Path out = dir.resolve("out.fd");
        Path debugcon = dir.resolve("debug.log");
        CliRun r = CliRun.of("run", "--code", code(TestGuest.outputThenPowerOff()).toString(), "--vars", vars().toString(),
                "--vars-out", out.toString(), "--debugcon", debugcon.toString(), "--no-stdin");
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals("A", r.out());
        assertEquals("", r.err());
        assertEquals("B", Files.readString(debugcon));
        assertArrayEquals(TestGuest.vars(), Files.readAllBytes(out));
    }

    @Test
    void hangIsAGuestFailureWithRipAndTheLastLines() throws Exception {
        int[] program = TestGuest.concat(TestGuest.output("abc\r\nlast serial", "first\nlast debug\n"), TestGuest.CLI_HLT);
        Path out = dir.resolve("out.fd");
        CliRun r = CliRun.of("run", "--code", code(program).toString(), "--vars", vars().toString(),
                "--vars-out", out.toString(), "--serial", dir.resolve("serial.log").toString(), "--no-stdin");
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, r.err());
        long rip = TestGuest.CODE_IP + program.length;
        assertTrue(lines[0].startsWith("varsgen: guest hang (HLT with interrupts disabled) at RIP 0x"
                + Long.toHexString(rip) + " after "), lines[0]);
        assertTrue(lines[0].contains("last debug console line: \"last debug\""), lines[0]);
        assertTrue(lines[0].contains("last serial line: \"last serial\""), lines[0]);
        assertFalse(Files.exists(out), "no vars output without power-off");
        assertEquals("abc\r\nlast serial", Files.readString(dir.resolve("serial.log")));
    }

    @Test
    void instructionLimit() throws Exception {
        CliRun r = CliRun.of("run", "--code", code(TestGuest.SPIN).toString(), "--vars", vars().toString(),
                "--max-instructions", "5000", "--no-stdin");
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("varsgen: guest instruction limit (5000 instructions) at RIP 0xf000 after 5,000 instructions"),
                r.err());
    }

    @Test
    void inputScriptTypesAfterThePrompt() throws Exception {
        // The guest prints a prompt with a colour escape inside, then waits (sti; hlt) forever:
        // the script must see "ok>" through the escape and type "hi" + CR into COM1's receiver.
        int[] program = TestGuest.concat(TestGuest.output("o\u001b[1mk>", ""), TestGuest.STI_HLT_LOOP);
        Path script = Files.writeString(dir.resolve("in.script"), "# test\nexpect ok>\nsend hi\nexpect never\n");
        CliRun r = CliRun.of("run", "--code", code(program).toString(), "--vars", vars().toString(),
                "--input-script", script.toString(), "--max-guest-seconds", "1");
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode());
        assertTrue(r.err().contains("guest time limit"), r.err());
        assertTrue(r.err().endsWith("input script waiting for \"never\"\n"), r.err());
    }

    @Test
    void inputScriptWaitingWithoutConsoleOutputStopsAtTheExpectTimeout() throws Exception {
        // The guest idles (sti; hlt) after its prompt; the prompt the script waits for never comes.
        int[] program = TestGuest.concat(TestGuest.output("Press F2", ""), TestGuest.STI_HLT_LOOP);
        Path script = Files.writeString(dir.resolve("in.script"), "expect Shell>\nsend reset -s\n");
        CliRun r = CliRun.of("run", "--code", code(program).toString(), "--vars", vars().toString(),
                "--input-script", script.toString(), "--expect-timeout", "2", "--max-guest-seconds", "30");
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode());
        assertTrue(r.err().startsWith("varsgen: guest no progress (no console output for 2.0 s of guest time while the "
                + "input script waited) at RIP 0x"), r.err());
        assertTrue(r.err().contains("last serial line: \"Press F2\""), r.err());
        assertTrue(r.err().endsWith("input script waiting for \"Shell>\"\n"), r.err());
        // guest time: the prompt plus the budget, give or take one timer period of HLT skipping
        String seconds = r.err().replaceAll("(?s).*instructions, ([0-9.]+) s guest time.*", "$1");
        assertTrue(Double.parseDouble(seconds) >= 2.0 && Double.parseDouble(seconds) < 2.2, r.err());
    }

    @Test
    void deadLoopIsAGuestFailureNamingTheLoop() throws Exception {
        int[] program = TestGuest.concat(TestGuest.output("!!!! X64 Exception Type - 06(#UD - Invalid Opcode) !!!!", ""),
                new int[] {0xF3, 0x90, 0xEB, 0xFC});   // pause; jmp back
        CliRun r = CliRun.of("run", "--code", code(program).toString(), "--vars", vars().toString(), "--no-stdin",
                "--dead-loop-seconds", "0.01", "--max-guest-seconds", "1", "--serial", dir.resolve("s.log").toString());
        assertEquals(ExitCodes.GUEST_FAILURE, r.exitCode());
        long loop = TestGuest.CODE_IP + 6L * 55;
        assertTrue(r.err().startsWith(String.format("varsgen: guest dead loop (loop at 0x%x-0x%x (CS 0xf000) in no known "
                + "PE image, no device access and no store outside the stack for 0.01 s of guest time) at RIP 0x", loop,
                loop + 2)), r.err());
        assertTrue(r.err().contains("last serial line: \"!!!! X64 Exception Type - 06(#UD - Invalid Opcode) !!!!\""), r.err());
    }

    @Test
    void badInputsAndUsage() throws Exception {
        Path missing = dir.resolve("missing.fd");
        CliRun r = CliRun.of("run", "--code", missing.toString(), "--vars", vars().toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertEquals("varsgen: " + missing + ": no such file (code image)\n", r.err());

        Path odd = Files.write(dir.resolve("odd.fd"), new byte[1000]);
        r = CliRun.of("run", "--code", odd.toString(), "--vars", vars().toString(), "--no-stdin");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("varsgen: " + odd + ": a flash image must be"), r.err());

        r = CliRun.of("run", "--code", code(TestGuest.SPIN).toString(), "--vars", vars().toString(),
                "--disk-image", odd.toString(), "--disk-file", "A=" + odd);
        assertEquals(ExitCodes.USAGE, r.exitCode());

        r = CliRun.of("run", "--code", code(TestGuest.SPIN).toString(), "--vars", vars().toString(), "--memory", "lots");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals(256L << 20, RunCommand.parseMemory("256M"));
        assertEquals(1L << 30, RunCommand.parseMemory("1g"));
        assertEquals(128L << 20, RunCommand.parseMemory("128"));

        Path badScript = Files.writeString(dir.resolve("bad.script"), "wait for it\n");
        r = CliRun.of("run", "--code", code(TestGuest.SPIN).toString(), "--vars", vars().toString(),
                "--input-script", badScript.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertEquals("varsgen: " + badScript + ":1: unknown step \"wait\" (expected expect, send or send-raw)\n", r.err());
    }
}
