package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.time.VirtualClock;

class Pit8254Test {
    private VirtualClock clock;
    private Pit8254 pit;
    private SpeakerPort portB;
    private final List<Long> risingEdges = new ArrayList<>();
    private boolean irq0;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        pit = new Pit8254(clock, high -> {
            if (high && !irq0) {
                risingEdges.add(clock.now());
            }
            irq0 = high;
        });
        portB = new SpeakerPort(clock, pit);
        risingEdges.clear();
    }

    private void out(int port, int value) {
        pit.write(port - 0x40, 1, value);
    }

    private int in(int port) {
        return (int) pit.read(port - 0x40, 1);
    }

    /** Guest time of input-clock tick {@code n}, rounded up to the nanosecond. */
    private static long tick(long n) {
        return (n * 1_000_000_000L + Pit8254.FREQUENCY_HZ - 1) / Pit8254.FREQUENCY_HZ;
    }

    @Test
    void channel0RunsInMode3At18HzAfterReset() {
        ClockDriver.runUntil(clock, 120_000_000);
        assertEquals(List.of(tick(65536), tick(2 * 65536)), risingEdges, "a rising edge every 65536 ticks");
    }

    @Test
    void mode2RateGeneratorInterruptsOncePerPeriod() {
        out(0x43, 0x34);                 // channel 0, lo/hi, mode 2
        out(0x40, 1193 & 0xFF);
        out(0x40, 1193 >> 8);
        ClockDriver.runUntil(clock, 5_000_000);
        assertEquals(List.of(tick(1193), tick(2 * 1193), tick(3 * 1193), tick(4 * 1193), tick(5 * 1193)), risingEdges);
    }

    @Test
    void mode0InterruptsOnTerminalCountOnly() {
        out(0x43, 0x30);                 // channel 0, lo/hi, mode 0
        assertFalse(irq0, "a mode 0 control word drives OUT low");
        out(0x40, 100);
        out(0x40, 0);
        ClockDriver.runUntil(clock, 1_000_000);
        assertEquals(List.of(tick(100)), risingEdges);
        assertTrue(irq0, "OUT stays high after terminal count");
    }

    @Test
    void countsReadLowThenHighAndLatchFreezesTheValue() {
        out(0x43, 0x30);
        out(0x40, 0x00);
        out(0x40, 0x10);                 // 4096
        clock.advance(tick(96));
        assertEquals(4000 & 0xFF, in(0x40));
        clock.advance(tick(100) - tick(96));
        assertEquals(3996 >> 8, in(0x40), "high byte of the count now");
        out(0x43, 0x00);                 // latch channel 0
        clock.advance(tick(500));
        assertEquals(3996 & 0xFF, in(0x40));
        assertEquals(3996 >> 8, in(0x40));
        int low = in(0x40);
        int high = in(0x40);
        assertTrue(((high << 8) | low) < 3996, "after the latch is read the live count returns");
    }

    @Test
    void lowOnlyAndHighOnlyAccessModes() {
        out(0x43, 0x90);                 // channel 2, high byte only, mode 0
        out(0x42, 0x12);
        assertEquals(0x12, in(0x42));
        assertEquals(0x12, in(0x42), "MSB mode reads the high byte every time");
        out(0x43, 0x94);                 // channel 2, low byte only, mode 2
        out(0x42, 0x34);
        assertEquals(0x34, in(0x42));
    }

    @Test
    void readBackLatchesStatusAndCount() {
        out(0x43, 0xB6);                 // channel 2, lo/hi, mode 3, binary
        out(0x42, 0x00);
        out(0x42, 0x01);
        out(0x43, 0xE8);                 // read-back: status and count of channel 2
        int status = in(0x42);
        assertEquals(0x36, status & 0x3F, "access lo/hi, mode 3, binary");
        assertEquals(0x80, status & 0x80, "OUT high at the start of mode 3");
        assertEquals(0x00, in(0x42));
        assertEquals(0x01, in(0x42));
        assertEquals(0, in(0x43), "the control register is write-only");
    }

    @Test
    void mode3SquareWaveHalfPeriods() {
        out(0x43, 0x36);
        out(0x40, 100);
        out(0x40, 0);
        assertTrue(pit.out(0));
        clock.advance(tick(49));
        assertTrue(pit.out(0));
        clock.advance(tick(51) - tick(49));
        assertFalse(pit.out(0));
        clock.advance(tick(101) - tick(51));
        assertTrue(pit.out(0));
    }

    @Test
    void port61GatesChannel2AndShowsItsOutput() {
        assertEquals(0x20, portB.read(0, 1) & 0x21, "after reset: gate low, channel 2 in mode 3 with OUT high");
        portB.write(0, 1, 0x01);                 // gate on
        out(0x43, 0xB0);                         // channel 2, lo/hi, mode 0
        out(0x42, 50);
        out(0x42, 0);
        assertEquals(0x01, portB.read(0, 1) & 0x21, "gate on, OUT2 low while counting");
        clock.advance(tick(50));
        assertEquals(0x21, portB.read(0, 1) & 0x21, "OUT2 high at terminal count");
        portB.write(0, 1, 0x03);
        assertEquals(0x02, portB.read(0, 1) & 0x02, "speaker data enable reads back");
    }

    @Test
    void refreshBitTogglesWithGuestTimeOnly() {
        int first = (int) portB.read(0, 1) & 0x10;
        assertEquals(first, (int) portB.read(0, 1) & 0x10, "no toggle without time passing");
        clock.advance(SpeakerPort.REFRESH_HALF_PERIOD_NS);
        assertEquals(first ^ 0x10, (int) portB.read(0, 1) & 0x10);
    }

    @Test
    void gateRisingEdgeTriggersMode1() {
        out(0x43, 0xB2);                         // channel 2, lo/hi, mode 1
        out(0x42, 10);
        out(0x42, 0);
        clock.advance(tick(50));
        assertTrue(pit.out(2), "waiting for the trigger with OUT high");
        assertEquals(10, in(0x42));
        portB.write(0, 1, 0x01);
        assertFalse(pit.out(2), "one-shot running: OUT low");
        clock.advance(tick(10));
        assertTrue(pit.out(2));
    }
}
