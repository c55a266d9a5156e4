package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.time.VirtualClock;

class Uart16550Test {
    private VirtualClock clock;
    private Uart16550 uart;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private boolean irq;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        uart = new Uart16550("com1", 0x3F8, high -> irq = high, clock);
        uart.setOutput(sent::write);
        sent.reset();
    }

    private int in(int reg) {
        return (int) uart.read(reg, 1);
    }

    private void out(int reg, int value) {
        uart.write(reg, 1, value);
    }

    /** What OVMF's PciSioSerialDxe does: 115200 8N1, FIFOs on. */
    private void programLikeOvmf() {
        out(3, 0x83);
        out(0, 0x01);
        out(1, 0x00);
        out(3, 0x03);
        out(2, 0x07);
    }

    @Test
    void resetValuesAreQemus() {
        assertEquals(0x60, in(5), "LSR: THR and transmitter empty");
        assertEquals(0x01, in(2), "IIR: no interrupt, no FIFO");
        assertEquals(0x08, in(4), "MCR: OUT2");
        assertEquals(0xB0, in(6), "MSR: DCD, DSR, CTS");
        assertEquals(0x00, in(3));
        assertEquals(0x00, in(7));
    }

    @Test
    void scratchRegisterProbe() {
        out(7, 0xAA);
        assertEquals(0xAA, in(7));
        out(7, 0x55);
        assertEquals(0x55, in(7));
    }

    @Test
    void divisorLatchBehindDlab() {
        out(3, 0x80);
        out(0, 0x01);
        out(1, 0x02);
        assertEquals(0x01, in(0));
        assertEquals(0x02, in(1));
        out(3, 0x03);
        assertEquals(0x00, in(1), "IER, not DLM");
        assertEquals(4 * 10 * 0x201 * 1_000_000_000L / 115_200, 4 * uart.characterTimeNs());
    }

    @Test
    void transmitIsInstantAndReachesTheHost() {
        programLikeOvmf();
        for (byte b : "Shell>".getBytes(StandardCharsets.US_ASCII)) {
            out(0, b);
            assertEquals(0x60, in(5) & 0x60);
        }
        assertEquals("Shell>", sent.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void hostInputArrivesInRbrWithDataReady() {
        programLikeOvmf();
        uart.queueInput("FS0:\r".getBytes(StandardCharsets.US_ASCII));
        StringBuilder got = new StringBuilder();
        while ((in(5) & 0x01) != 0) {
            got.append((char) in(0));
        }
        assertEquals("FS0:\r", got.toString());
        assertEquals(0x60, in(5));
    }

    @Test
    void hostInputBeyondTheFifoWaitsWithoutOverrun() {
        programLikeOvmf();
        byte[] many = new byte[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = (byte) i;
        }
        uart.queueInput(many);
        assertEquals(40 - Uart16550.FIFO_SIZE, uart.pendingInput());
        for (int i = 0; i < many.length; i++) {
            assertEquals(0, in(5) & 0x02, "no overrun");
            assertEquals(i, in(0));
        }
        assertEquals(0, in(5) & 0x01);
    }

    @Test
    void withoutFifoOneByteAtATime() {
        uart.queueInput(new byte[] {1, 2});
        assertEquals(1, uart.pendingInput());
        assertEquals(1, in(0));
        assertEquals(2, in(0));
        assertEquals(0, in(5) & 0x01);
    }

    @Test
    void loopbackReturnsTransmittedBytesAndModemLines() {
        out(4, 0x1F);                    // loopback with DTR, RTS, OUT1, OUT2
        out(0, 0x42);
        assertEquals(0, sent.size(), "nothing leaves in loopback");
        assertEquals(0x01, in(5) & 0x01);
        assertEquals(0x42, in(0));
        assertEquals(0xF0, in(6), "RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD");
        out(4, 0x12);                    // loopback with RTS only
        assertEquals(0x10, in(6));
        uart.queueInput(new byte[] {7});
        assertEquals(0, in(5) & 0x01, "the receive line is cut in loopback");
        out(4, 0x08);
        assertEquals(7, in(0), "arrives once loopback ends");
    }

    @Test
    void overrunWithoutFifoSetsOeAndLineStatusInterrupt() {
        out(1, 0x04);                    // RLS interrupt
        out(4, 0x18);
        out(0, 1);
        out(0, 2);                       // loopback receive into a full RBR
        assertTrue(irq);
        assertEquals(0x06, in(2) & 0x0F, "receiver line status has top priority");
        assertEquals(0x02, in(5) & 0x02);
        assertEquals(0, in(5) & 0x02, "reading LSR clears OE");
        assertFalse(irq);
    }

    @Test
    void interruptIdentificationPriorities() {
        programLikeOvmf();
        out(2, 0x47);                    // FIFO, trigger level 4
        assertEquals(0xC1, in(2), "FIFOs enabled, no interrupt");
        out(1, 0x02);                    // THRE interrupt: THR is empty, so at once
        assertTrue(irq);
        assertEquals(0xC2, in(2));
        assertFalse(irq, "reading IIR acknowledges THRE");
        out(1, 0x03);                    // and received data
        uart.queueInput(new byte[] {1, 2, 3});
        assertFalse(irq, "below the trigger level of 4");
        uart.queueInput(new byte[] {4});
        assertTrue(irq);
        assertEquals(0xC4, in(2), "received data available");
        for (int i = 0; i < 4; i++) {
            in(0);
        }
        assertFalse(irq);
    }

    @Test
    void characterTimeoutBelowTheTriggerLevel() {
        programLikeOvmf();
        out(2, 0xC7);                    // trigger level 14
        out(1, 0x01);
        uart.queueInput(new byte[] {9});
        assertFalse(irq);
        long fourCharacters = 4 * uart.characterTimeNs();
        assertEquals(fourCharacters, clock.nextDeadline());
        ClockDriver.runUntil(clock, fourCharacters);
        assertTrue(irq);
        assertEquals(0xCC, in(2), "character timeout");
        assertEquals(9, in(0));
        assertFalse(irq);
    }

    @Test
    void fifoResetFlushesTheReceiver() {
        programLikeOvmf();
        uart.queueInput(new byte[] {1, 2, 3});
        out(2, 0x03);                    // keep FIFOs, reset the receive FIFO
        assertEquals(0, in(5) & 0x01);
    }

    @Test
    void modemStatusChangesRaiseTheLowestPriorityInterrupt() {
        out(1, 0x08);
        assertFalse(irq, "no change, no interrupt");
        assertEquals(0x01, in(2) & 0x0F);
        uart.setModemInputs(false, true, true, true);     // CTS drops, RI rises
        assertTrue(irq);
        assertEquals(0x00, in(2) & 0x0F, "modem status");
        assertEquals(0xE1, in(6), "DSR, RI and DCD up, delta CTS; RI rising sets no delta");
        assertFalse(irq, "reading MSR clears the deltas");
        uart.setModemInputs(false, true, false, true);
        assertEquals(0xA4, in(6), "trailing edge of RI");
    }
}
