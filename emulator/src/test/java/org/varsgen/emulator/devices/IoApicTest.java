package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IoApicTest {
    private record Message(int destination, boolean logical, int mode, int vector, boolean level) { }

    private final List<Message> sent = new ArrayList<>();
    private IoApic ioapic;

    @BeforeEach
    void setUp() {
        ioapic = new IoApic((d, l, m, v, lv) -> sent.add(new Message(d, l, m, v, lv)));
    }

    private long readReg(int reg) {
        ioapic.write(0x00, 4, reg);
        return ioapic.read(0x10, 4);
    }

    private void writeReg(int reg, long value) {
        ioapic.write(0x00, 4, reg);
        ioapic.write(0x10, 4, value);
    }

    @Test
    void identificationRegistersAreQemus() {
        assertEquals(0x00170020L, readReg(0x01), "version 0x20, 24 entries");
        assertEquals(0, readReg(0x00));
        writeReg(0x00, 0x0F000000L);
        assertEquals(0x0F000000L, readReg(0x00));
        assertEquals(0x00, ioapic.read(0x00, 4) & 0xFF, "IOREGSEL reads back");
        assertEquals(0, ioapic.read(0x10, 2), "IOWIN answers only DWORD reads");
    }

    @Test
    void entriesResetMaskedAndKeepTheirReadOnlyBits() {
        for (int pin = 0; pin < IoApic.PINS; pin++) {
            assertEquals(0x10000L, readReg(0x10 + 2 * pin), "pin " + pin);
            assertEquals(0L, readReg(0x11 + 2 * pin));
        }
        writeReg(0x10 + 2 * 5, 0x0000_7FFFL);       // tries to set delivery status and Remote IRR too
        assertEquals(0x2FFFL, readReg(0x10 + 2 * 5), "bits 12 and 14 are read-only");
        writeReg(0x11 + 2 * 5, 0xFF000000L);
        assertEquals(0xFF000000L, readReg(0x11 + 2 * 5));
    }

    @Test
    void edgeInputIsDeliveredOncePerRisingLevelAndIgnoredWhileMasked() {
        writeReg(0x10 + 2 * 4, 0x31);                // pin 4: vector 0x31, fixed, edge, unmasked
        writeReg(0x11 + 2 * 4, 0);
        ioapic.setPin(4, true);
        ioapic.setPin(4, false);
        assertEquals(List.of(new Message(0, false, 0, 0x31, false)), sent);
        writeReg(0x10 + 2 * 4, 0x10031);             // masked
        ioapic.setPin(4, true);
        writeReg(0x10 + 2 * 4, 0x31);
        assertEquals(1, sent.size(), "an edge that arrived while masked is lost (82093AA)");
    }

    @Test
    void levelInputWaitsForEoiAndIsRedeliveredWhileAsserted() {
        writeReg(0x10 + 2 * 16, 0x8000 | 0x0900 | 0x41);   // level, lowest priority, logical
        writeReg(0x11 + 2 * 16, 0x01000000L);
        ioapic.setPin(16, true);
        assertEquals(1, sent.size());
        assertEquals(new Message(1, true, 1, 0x41, true), sent.get(0));
        assertTrue((readReg(0x10 + 2 * 16) & 0x4000) != 0, "Remote IRR set");
        ioapic.setPin(16, true);
        assertEquals(1, sent.size(), "no new message until EOI");
        ioapic.endOfInterrupt(0x41);
        assertEquals(2, sent.size(), "still asserted after EOI: delivered again");
        ioapic.setPin(16, false);
        ioapic.write(0x40, 4, 0x41);                 // the version 0x20 EOI register
        assertEquals(0, readReg(0x10 + 2 * 16) & 0x4000);
        assertEquals(2, sent.size());
    }

    @Test
    void q35RoutesIsaIrq0ToGsi2AndOthersStraight() {
        assertEquals(2, IsaIrqRouter.gsiOf(0));
        assertEquals(4, IsaIrqRouter.gsiOf(4));
        assertEquals(8, IsaIrqRouter.gsiOf(8));
        assertThrows(IllegalArgumentException.class, () -> IsaIrqRouter.gsiOf(16));
        DualPic pics = new DualPic();
        IsaIrqRouter router = new IsaIrqRouter(pics, ioapic);
        writeReg(0x10 + 2 * 2, 0x30);
        writeReg(0x10 + 2 * 0, 0x3F);
        router.line(0).pulse();
        assertEquals(List.of(new Message(0, false, 0, 0x30, false)), sent, "IRQ0 arrives on pin 2, not pin 0");
        assertEquals(0x01, pics.master().irr(), "and on the master PIC's IRQ0");
    }
}
