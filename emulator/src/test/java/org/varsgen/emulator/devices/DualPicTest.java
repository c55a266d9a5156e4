package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DualPicTest {
    private DualPic pics;
    private boolean intr;

    @BeforeEach
    void setUp() {
        pics = new DualPic();
        pics.setOutput(high -> intr = high);
    }

    /** The classic PC initialisation: vectors 0x08 and 0x70, cascade on IRQ2, 8086 mode. */
    private void initialise(int icw4) {
        Pic8259 m = pics.master();
        Pic8259 s = pics.slave();
        m.write(0, 0x11);
        m.write(1, 0x08);
        m.write(1, 0x04);
        m.write(1, icw4);
        s.write(0, 0x11);
        s.write(1, 0x70);
        s.write(1, 0x02);
        s.write(1, icw4);
        m.write(1, 0x00);
        s.write(1, 0x00);
    }

    @Test
    void edgeInterruptIsDeliveredAndHeldInServiceUntilEoi() {
        initialise(0x01);
        pics.setIrq(1, true);
        assertTrue(intr);
        assertEquals(0x02, pics.master().read(0), "IRR read after init");
        assertEquals(0x09, pics.acknowledge());
        assertFalse(intr);
        pics.master().write(0, 0x0B);            // OCW3: read ISR
        assertEquals(0x02, pics.master().read(0));
        pics.master().write(0, 0x20);            // non-specific EOI
        assertEquals(0x00, pics.master().read(0));
        pics.setIrq(1, false);
        pics.setIrq(1, true);
        assertTrue(intr, "a new rising edge requests again");
    }

    @Test
    void edgeRequestNeedsAFallingEdgeFirst() {
        initialise(0x01);
        pics.setIrq(4, true);
        assertEquals(0x0C, pics.acknowledge());
        pics.master().write(0, 0x20);
        pics.setIrq(4, true);                    // still high: no new edge
        assertFalse(intr);
    }

    @Test
    void levelTriggeredInputStaysRequestedWhileHigh() {
        initialise(0x01);
        pics.slave().writeElcr(0xFF);
        assertEquals(0xDE, pics.slave().elcr(), "IRQ8 and IRQ13 cannot be level triggered");
        pics.master().writeElcr(0xFF);
        assertEquals(0xF8, pics.master().elcr(), "IRQ0-2 cannot be level triggered");
        pics.setIrq(11, true);
        assertEquals(0x73, pics.acknowledge());
        pics.slave().write(0, 0x20);
        pics.master().write(0, 0x20);
        assertTrue(intr, "still asserted: requests again after EOI");
        pics.setIrq(11, false);
        assertEquals(0, pics.slave().irr() & 0x08, "the level request disappears with the line");
        // The master's cascade input is edge triggered and latched the second request, so the
        // INTA that follows finds nothing on the slave: the spurious IRQ15 vector.
        assertEquals(0x77, pics.acknowledge());
    }

    @Test
    void icw1LtimMakesEveryInputLevelTriggered() {
        Pic8259 m = pics.master();
        m.write(0, 0x19);                        // ICW1 with LTIM
        m.write(1, 0x08);
        m.write(1, 0x04);
        m.write(1, 0x01);
        m.write(1, 0x00);
        pics.setIrq(1, true);
        assertEquals(0x09, pics.acknowledge());
        m.write(0, 0x20);
        assertTrue(intr, "a level input still high requests again");
        pics.setIrq(1, false);
        assertFalse(intr);
    }

    @Test
    void maskedInputsDoNotInterrupt() {
        initialise(0x01);
        pics.master().write(1, 0xFF);
        pics.setIrq(3, true);
        assertFalse(intr);
        assertEquals(0x08, pics.master().read(0), "IRR still records the request");
        assertEquals(0xFF, pics.master().read(1));
        pics.master().write(1, 0xF7);
        assertTrue(intr);
    }

    @Test
    void cascadeDeliversSlaveVectorsAndBothChipsNeedEoi() {
        initialise(0x01);
        pics.setIrq(12, true);
        assertTrue(intr);
        assertEquals(0x74, pics.acknowledge());
        pics.slave().write(0, 0x0B);
        assertEquals(0x10, pics.slave().read(0));
        pics.master().write(0, 0x0B);
        assertEquals(0x04, pics.master().read(0), "the master has IRQ2 in service");
    }

    @Test
    void spuriousInterruptsAnswerIrq7AndIrq15Vectors() {
        initialise(0x01);
        assertEquals(0x0F, pics.acknowledge(), "nothing pending: master IRQ7 vector");
        pics.master().write(0, 0x0B);
        assertEquals(0, pics.master().read(0), "spurious IRQ7 sets no ISR bit");
        pics.setIrq(10, true);
        pics.slave().write(1, 0xFF);             // the slave's request vanishes, its INT stays latched on the master
        pics.master().write(1, 0x00);
        pics.setIrq(2, true);                    // cascade line still high in the master's IRR
        assertEquals(0x77, pics.acknowledge(), "slave with nothing pending: IRQ15 vector");
    }

    @Test
    void higherPriorityInterruptsNestButLowerOnesWait() {
        initialise(0x01);
        pics.setIrq(5, true);
        assertEquals(0x0D, pics.acknowledge());
        pics.setIrq(6, true);
        assertFalse(intr, "IRQ6 waits for IRQ5's EOI");
        pics.setIrq(3, true);
        assertTrue(intr, "IRQ3 preempts IRQ5");
        assertEquals(0x0B, pics.acknowledge());
    }

    @Test
    void specialMaskModeLetsLowerPrioritiesThrough() {
        initialise(0x01);
        pics.setIrq(5, true);
        assertEquals(0x0D, pics.acknowledge());
        pics.master().write(1, 0x20);            // mask the one in service
        pics.master().write(0, 0x68);            // OCW3: set special mask mode
        pics.setIrq(6, true);
        assertTrue(intr, "in special mask mode a masked in-service IRQ no longer blocks");
        pics.master().write(0, 0x48);            // reset special mask mode
        assertFalse(intr);
    }

    @Test
    void autoEoiLeavesNothingInService() {
        initialise(0x03);
        pics.setIrq(1, true);
        assertEquals(0x09, pics.acknowledge());
        pics.master().write(0, 0x0B);
        assertEquals(0, pics.master().read(0));
    }

    @Test
    void specificEoiAndPriorityRotation() {
        initialise(0x01);
        pics.setIrq(1, true);
        pics.acknowledge();
        pics.master().write(0, 0x61);            // specific EOI for IRQ1
        pics.master().write(0, 0x0B);
        assertEquals(0, pics.master().read(0));
        pics.master().write(0, 0xC4);            // set priority: IRQ4 lowest, IRQ5 highest
        pics.setIrq(3, true);
        pics.setIrq(6, true);
        assertEquals(0x0E, pics.acknowledge(), "after rotation IRQ6 outranks IRQ3");
    }

    @Test
    void pollCommandAcknowledgesThroughAPortRead() {
        initialise(0x01);
        pics.setIrq(6, true);
        pics.master().write(0, 0x0C);            // OCW3 poll
        assertEquals(0x86, pics.master().read(0));
        pics.master().write(0, 0x0B);
        assertEquals(0x40, pics.master().read(0));
    }

    @Test
    void regionsUseQemuNamesAndDeclarations() {
        var regions = pics.regions();
        assertEquals(4, regions.size());
        assertEquals("pic", regions.get(0).name());
        assertEquals(0x4D1, regions.get(3).base());
        assertEquals(1, regions.get(0).constraints().implMax());
        regions.get(2).handler().write(0, 1, 0xFF);
        assertEquals(0xF8, regions.get(2).handler().read(0, 1));
    }
}
