package org.varsgen.emulator.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The run loop's outcomes, each from a tiny guest. */
class MachineRunTest {
    private static RunOutcome run(int[] program, RunLimits limits) {
        return new Machine(TestGuest.config(TestGuest.code(program))).run(limits, b -> { });
    }

    @Test
    void powerOffThroughPm1ControlEndsTheRunAtThatInstruction() {
        ByteArrayOutputStream com1 = new ByteArrayOutputStream();
        ByteArrayOutputStream debugcon = new ByteArrayOutputStream();
        StringWriter trace = new StringWriter();
        BoardConfig config = BoardConfig.builder("c", TestGuest.code(TestGuest.outputThenPowerOff()), "v", TestGuest.vars())
                .com1(com1::write).debugcon(debugcon::write).trace(trace).build();
        Machine machine = new Machine(config);
        RunOutcome o = machine.run(RunLimits.NONE.withMaxInstructions(1_000_000), b -> { });
        assertEquals(RunOutcome.Kind.POWER_OFF, o.kind(), o.describe());
        // jmp at the reset vector + 6 output instructions + 15 of the power-off sequence, nothing after the OUT
        assertEquals(1 + 6 + 15, o.instructions());
        assertEquals("A", com1.toString());
        assertEquals("B", debugcon.toString());
        assertTrue(trace.toString().contains("W acpi-cnt 0x604 2 0x2000"), trace.toString());
        assertArrayEquals(TestGuest.vars(), machine.board().varsContents());
    }

    @Test
    void haltWithInterruptsDisabledIsAHang() {
        RunOutcome o = run(TestGuest.CLI_HLT, RunLimits.NONE);
        assertEquals(RunOutcome.Kind.HANG, o.kind());
        assertEquals(TestGuest.CODE_IP + 2, o.rip());
        assertEquals(3, o.instructions());
    }

    @Test
    void haltWithInterruptsEnabledSkipsGuestTimeToTheNextTimer() {
        // Nothing interrupts the CPU (LINT0 is masked at reset) but the PIT keeps running:
        // each idle period jumps to its next deadline, so guest time runs out, not instructions.
        RunOutcome o = run(TestGuest.STI_HLT_LOOP, RunLimits.NONE.withMaxGuestNanos(2_000_000_000L));
        assertEquals(RunOutcome.Kind.GUEST_TIME_LIMIT, o.kind(), o.describe());
        assertTrue(o.instructions() < 10, o.describe());
        assertTrue(o.guestNanos() >= 2_000_000_000L);
    }

    @Test
    void instructionLimit() {
        RunOutcome o = run(TestGuest.SPIN, RunLimits.NONE.withMaxInstructions(12_345));
        assertEquals(RunOutcome.Kind.INSTRUCTION_LIMIT, o.kind());
        assertEquals(12_345, o.instructions());
        assertEquals(TestGuest.CODE_IP, o.rip());
    }

    @Test
    void guestTimeLimitWhileSpinning() {
        RunOutcome o = run(TestGuest.SPIN, RunLimits.NONE.withMaxGuestNanos(1_000_000));
        assertEquals(RunOutcome.Kind.GUEST_TIME_LIMIT, o.kind());
        assertTrue(o.guestNanos() >= 1_000_000);
    }

    @Test
    void wallClockLimitOnlyDecidesWhenToStop() {
        RunOutcome o = run(TestGuest.SPIN, RunLimits.NONE.withWallClockNanos(1));
        assertEquals(RunOutcome.Kind.WALL_CLOCK_LIMIT, o.kind());
    }

    @Test
    void resetThroughCf9RebuildsTheBoardUntilTheResetLimit() {
        Machine machine = new Machine(TestGuest.config(TestGuest.code(TestGuest.RESET_VIA_CF9)));
        Q35Board first = machine.board();
        RunOutcome o = machine.run(RunLimits.NONE.withMaxInstructions(1_000_000), b -> { });
        assertEquals(RunOutcome.Kind.RESET_LIMIT, o.kind(), o.describe());
        assertEquals(Machine.MAX_RESETS, o.resets());
        // each boot: the reset-vector jmp and three instructions up to the OUT
        assertEquals((Machine.MAX_RESETS + 1) * 4L, o.instructions());
        assertTrue(machine.board() != first);
    }

    @Test
    void tripleFaultIsReported() {
        // LIDT with a zero limit, then INT3: the IVT lookup faults, then the #GP, then the #DF.
        int[] program = {
            0x2E, 0x0F, 0x01, 0x1E, 0x00, 0xF1,   // lidt cs:[0xF100]
            0xCC,                                 // int3
        };
        byte[] code = TestGuest.code(program);
        int descriptor = TestGuest.CODE_SIZE - 0x10000 + 0xF100;
        for (int i = 0; i < 6; i++) {
            code[descriptor + i] = 0;
        }
        RunOutcome o = new Machine(TestGuest.config(code)).run(RunLimits.NONE.withMaxInstructions(1000), b -> { });
        assertEquals(RunOutcome.Kind.TRIPLE_FAULT, o.kind(), o.describe());
    }

    @Test
    void betweenBatchesSeesTheBoard() {
        int[] calls = {0};
        new Machine(TestGuest.config(TestGuest.code(TestGuest.SPIN)))
                .run(RunLimits.NONE.withMaxInstructions(Machine.BATCH * 3), b -> calls[0]++);
        assertEquals(3, calls[0]);
    }

    @Test
    void aJavaExceptionInsideTheEmulatorIsAnOutcomeWithRipAndCount() {
        BoardConfig config = BoardConfig.builder("c", TestGuest.code(TestGuest.outputThenPowerOff()), "v", TestGuest.vars())
                .debugcon(b -> {
                    throw new IllegalStateException("sink broke");
                }).build();
        RunOutcome o = new Machine(config).run(RunLimits.NONE, b -> { });
        assertEquals(RunOutcome.Kind.EMULATOR_ERROR, o.kind());
        assertEquals("java.lang.IllegalStateException: sink broke", o.detail());
        // the reset-vector jmp and the COM1 write retired; the OUT to 0x402 did not
        assertEquals(1 + 3 + 2, o.instructions());
        assertTrue(o.describe().startsWith("emulator error (java.lang.IllegalStateException: sink broke) at RIP 0x"), o.describe());
    }
}
