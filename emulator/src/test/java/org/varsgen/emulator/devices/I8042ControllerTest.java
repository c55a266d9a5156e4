package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class I8042ControllerTest {
    private I8042Controller kbc;
    private boolean irq1;
    private boolean irq12;
    private int resets;
    private final List<Boolean> a20 = new ArrayList<>();

    @BeforeEach
    void setUp() {
        kbc = new I8042Controller(high -> irq1 = high, high -> irq12 = high);
        kbc.setResetCallback(() -> resets++);
        kbc.setA20Line(a20::add);
    }

    /** Sends a byte to the keyboard and returns what comes back, as Ps2KeyboardDxe polls it. */
    private List<Integer> toKeyboard(int value) {
        kbc.writeData(value);
        return drain();
    }

    private List<Integer> drain() {
        List<Integer> got = new ArrayList<>();
        while ((kbc.readStatus() & 0x01) != 0) {
            got.add(kbc.readData());
        }
        return got;
    }

    /** The order and the answers of QEMU 7.2 in the firmware's device trace. */
    @Test
    void ovmfKeyboardDriverSequence() {
        assertEquals(0x18, kbc.readStatus());
        kbc.writeCommand(0xAD);
        kbc.writeCommand(0xA7);
        assertEquals(0x18, kbc.readStatus());
        kbc.writeCommand(0xAA);
        assertEquals(0x1D, kbc.readStatus());
        assertEquals(0x55, kbc.readData());
        assertEquals(0x1C, kbc.readStatus(), "the system flag stays set after the self-test");
        kbc.writeCommand(0x60);
        kbc.writeData(0x67);
        assertEquals(0x1C, kbc.readStatus());
        assertEquals(List.of(0xFA), toKeyboard(0xF4));
        kbc.writeCommand(0xAB);
        assertEquals(List.of(0x00), drain());
        assertEquals(List.of(0xFA, 0xAA), toKeyboard(0xFF));
        assertEquals(List.of(0xFA), toKeyboard(0xF0));
        assertEquals(List.of(0xFA), toKeyboard(0x02));
        assertEquals(List.of(0xFA), toKeyboard(0xF4));
        assertEquals(List.of(0xFA), toKeyboard(0xED));
        assertEquals(List.of(0xFA), toKeyboard(0x00));
        assertEquals(0x1C, kbc.readStatus());
        assertEquals(2, kbc.keyboard().scanCodeSet());
    }

    @Test
    void configurationByteReadsBackAndGatesIrq1() {
        kbc.writeCommand(0x20);
        assertEquals(0x03, kbc.readData(), "QEMU's reset value: both port interrupts enabled");
        kbc.writeCommand(0x60);
        kbc.writeData(0x65);
        kbc.writeCommand(0x20);
        assertTrue(irq1, "keyboard interrupt enabled and a byte waits");
        assertEquals(0x65, kbc.readData());
        assertFalse(irq1);
        kbc.writeCommand(0x60);
        kbc.writeData(0x64);
        kbc.writeCommand(0x20);
        assertFalse(irq1, "IRQ1 disabled in the configuration byte");
        assertEquals(0x64, kbc.readData());
    }

    @Test
    void disabledKeyboardHoldsItsBytes() {
        kbc.writeCommand(0xAD);
        kbc.typeBytes(0x1E, 0x9E);
        assertEquals(0, kbc.readStatus() & 0x01);
        kbc.writeCommand(0xAE);
        assertEquals(List.of(0x1E, 0x9E), drain());
    }

    @Test
    void scanCodeSetQueryIsTranslatedLikeQemu() {
        kbc.writeCommand(0x60);
        kbc.writeData(0x47);                  // translation on
        toKeyboard(0xF0);
        assertEquals(List.of(0xFA, 0x41), toKeyboard(0x00), "set 2 through the translator");
        kbc.writeCommand(0x60);
        kbc.writeData(0x07);
        toKeyboard(0xF0);
        assertEquals(List.of(0xFA, 0x02), toKeyboard(0x00));
        assertEquals(List.of(0xFA, 0xAB, 0x83), toKeyboard(0xF2));
        assertEquals(List.of(0xEE), toKeyboard(0xEE));
        assertEquals(List.of(0xFE), toKeyboard(0x12), "unknown command: resend");
    }

    @Test
    void ledsAndScanningState() {
        toKeyboard(0xED);
        toKeyboard(0x07);
        assertEquals(7, kbc.keyboard().leds());
        toKeyboard(0xF5);
        assertFalse(kbc.keyboard().scanning());
        kbc.typeBytes(0x1E);
        assertEquals(List.of(), drain(), "no keys while scanning is disabled");
        toKeyboard(0xF4);
        assertTrue(kbc.keyboard().scanning());
    }

    @Test
    void resetPulseAndOutputPort() {
        kbc.writeCommand(0xFE);
        assertEquals(1, resets);
        kbc.writeCommand(0xFF);
        assertEquals(1, resets, "0xFF pulses no line");
        kbc.writeCommand(0xDD);
        kbc.writeCommand(0xDF);
        assertEquals(List.of(false, true), a20);
        kbc.writeCommand(0xD0);
        assertEquals(0x03, kbc.readData() & 0x03, "reset line high, A20 on");
        kbc.writeCommand(0xD1);
        kbc.writeData(0x02);                  // bit 0 clear: reset
        assertEquals(2, resets);
    }

    @Test
    void auxiliaryPortAndMouse() {
        kbc.writeCommand(0xA9);
        assertEquals(List.of(0x00), drain());
        kbc.writeCommand(0xD4);
        kbc.writeData(0xFF);
        assertEquals(0x21, kbc.readStatus() & 0x21, "a mouse byte sets the auxiliary flag");
        assertTrue(irq12);
        assertEquals(List.of(0xFA, 0xAA, 0x00), drain());
        kbc.writeCommand(0xD3);
        kbc.writeData(0x99);
        assertEquals(0x21, kbc.readStatus() & 0x21);
        assertEquals(0x99, kbc.readData());
        kbc.writeCommand(0xD2);
        kbc.writeData(0x98);
        assertEquals(0x01, kbc.readStatus() & 0x21);
        assertEquals(0x98, kbc.readData());
    }

    @Test
    void emptyOutputBufferRereadsTheLastByte() {
        kbc.writeCommand(0xAA);
        assertEquals(0x55, kbc.readData());
        assertEquals(0x55, kbc.readData());
    }
}
