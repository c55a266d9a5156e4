package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Sampling the interrupt pins only after the board signals a change
 * ({@link Cpu#setPinsChangeNotification}) delivers interrupts at the same boundaries as
 * sampling at every instruction, including one that waits for STI while it stays pending.
 */
class PinsNotificationTest {
    /** Real mode, IVT entry 0x30 -> 0x2000:0 with the handler "inc si; iret", code at 0x1000:0. */
    private static Cpu machine(EventsAndCodeTest.OnePin pin, int... code) {
        TestMachine base = new TestMachine();
        Cpu cpu = new Cpu(base.memory, base.io, pin, base.clock);
        base.load(0xC0, 0x00, 0x00, 0x00, 0x20);
        base.load(0x20000, 0x46, 0xCF);
        cpu.state().segments[CpuState.CS].load(0x1000, 0x10000, 0xFFFF,
                SegmentCache.ATTR_P | SegmentCache.ATTR_S | 0xB);
        cpu.state().rip = 0;
        cpu.state().gpr[CpuState.RSP] = 0x8000;
        base.load(0x10000, code);
        return cpu;
    }

    @Test
    void pinsAreSampledAfterASignal() {
        EventsAndCodeTest.OnePin pin = new EventsAndCodeTest.OnePin();
        Cpu cpu = machine(pin, 0xFB, 0x90, 0x90, 0x90, 0x90, 0xF4); // sti; nop x4; hlt
        cpu.setPinsChangeNotification(true);
        cpu.step();
        cpu.step();
        pin.pending = true; // raised without telling the CPU: not sampled
        cpu.step();
        assertEquals(0, pin.acknowledged);
        assertEquals(3, cpu.state().rip);
        cpu.pinsChanged();
        cpu.step(); // delivery
        assertEquals(1, pin.acknowledged);
        assertEquals(0, cpu.state().rip, "in the handler");
        assertEquals(0x2000, cpu.state().segments[CpuState.CS].selector);
    }

    @Test
    void maskedInterruptIsTakenAfterStiAsWithPolling() {
        int[] code = {0xFA, 0x90, 0x90, 0xFB, 0x47, 0x47, 0x47, 0xF4}; // cli; nop; nop; sti; inc di x3; hlt
        long[] results = new long[2];
        for (int notify = 0; notify < 2; notify++) {
            EventsAndCodeTest.OnePin pin = new EventsAndCodeTest.OnePin();
            Cpu cpu = machine(pin, code);
            cpu.setPinsChangeNotification(notify == 1);
            cpu.step(); // CLI
            pin.pending = true;
            cpu.pinsChanged();
            cpu.run(100);
            assertEquals(1, pin.acknowledged);
            assertEquals(1, cpu.state().gpr[CpuState.RSI]);
            assertEquals(3, cpu.state().gpr[CpuState.RDI]);
            // The same count of retired instructions: delivered at the same boundary.
            results[notify] = cpu.retiredInstructions();
        }
        assertEquals(results[0], results[1]);
    }
}
