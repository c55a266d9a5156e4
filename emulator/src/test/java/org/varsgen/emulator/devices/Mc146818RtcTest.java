package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

class Mc146818RtcTest {
    /** 2023-11-14 22:13:20 UTC, a Tuesday. */
    private static final long EPOCH = 1_700_000_000L;

    private VirtualClock clock;
    private Mc146818Rtc rtc;
    private RegionHandler indexPort;
    private RegionHandler dataPort;
    private boolean irq8;

    @BeforeEach
    void setUp() {
        clock = new VirtualClock();
        rtc = new Mc146818Rtc(clock, high -> irq8 = high, EPOCH);
        indexPort = rtc.regions().get(0).handler();
        dataPort = rtc.regions().get(1).handler();
    }

    private int read(int index) {
        indexPort.write(0, 1, index);
        return (int) dataPort.read(0, 1);
    }

    private void write(int index, int value) {
        indexPort.write(0, 1, index);
        dataPort.write(0, 1, value);
    }

    @Test
    void readsTheConfiguredStartTimeInBcd24Hour() {
        assertEquals(0x26, read(0x0A));
        assertEquals(0x02, read(0x0B), "QEMU's default: 24 hour, BCD");
        assertEquals(0x20, read(0x00));
        assertEquals(0x13, read(0x02));
        assertEquals(0x22, read(0x04));
        assertEquals(0x03, read(0x06), "Tuesday, with Sunday = 1");
        assertEquals(0x14, read(0x07));
        assertEquals(0x11, read(0x08));
        assertEquals(0x23, read(0x09));
        assertEquals(0x20, read(0x32), "century");
        assertEquals(0x20, read(0x37), "the PS/2 copy of the century");
    }

    @Test
    void binaryAnd12HourModes() {
        write(0x0B, 0x06);
        assertEquals(20, read(0x00));
        assertEquals(22, read(0x04));
        assertEquals(23, read(0x09));
        assertEquals(20, read(0x32));
        write(0x0B, 0x00);                         // 12 hour, BCD
        assertEquals(0x90, read(0x04), "10 PM");
        write(0x0B, 0x04);                         // 12 hour, binary
        assertEquals(0x8A, read(0x04));
    }

    @Test
    void timeAdvancesWithTheVirtualClockOnly() {
        clock.advance(61_500_000_000L);
        assertEquals(0x21, read(0x00));
        assertEquals(0x14, read(0x02));
    }

    @Test
    void updateInProgressDuringTheLast244MicrosecondsOfASecond() {
        clock.advance(999_000_000L);
        assertEquals(0, read(0x0A) & 0x80);
        clock.advance(800_000L);
        assertEquals(0x80, read(0x0A) & 0x80);
        clock.advance(300_000L);
        assertEquals(0, read(0x0A) & 0x80, "the next second has begun");
        assertEquals(0x21, read(0x00));
    }

    @Test
    void registersCAndDIgnoreWritesAndDReportsValidTime() {
        write(0x0D, 0x00);
        assertEquals(0x80, read(0x0D));
        write(0x0C, 0xFF);
        assertEquals(0x00, read(0x0C));
    }

    @Test
    void updateEndedFlagCountsSecondBoundariesSinceTheLastReadOfC() {
        assertEquals(0, read(0x0C));
        clock.advance(1_000_000_000L);
        assertEquals(0x10, read(0x0C));
        assertEquals(0x00, read(0x0C), "reading C clears it");
    }

    @Test
    void periodicInterruptOnIrq8UntilCIsRead() {
        write(0x0B, 0x42);                         // PIE
        assertEquals(976_562L, clock.nextDeadline(), "rate 6: 1024 Hz");
        ClockDriver.runUntil(clock, 1_000_000L);
        assertTrue(irq8);
        assertEquals(0xC0, read(0x0C) & 0xC0, "IRQF and PF");
        assertFalse(irq8);
        write(0x0A, 0x2F);                         // rate 15: 2 Hz
        assertEquals(clock.now() + 500_000_000L, clock.nextDeadline());
        write(0x0A, 0x6F);                         // divider held in reset: no periodic interrupt
        assertEquals(VirtualClock.NEVER, clock.nextDeadline());
        write(0x0A, 0x2F);
        write(0x0B, 0x02);
        assertEquals(VirtualClock.NEVER, clock.nextDeadline());
    }

    @Test
    void updateEndedInterruptWhenEnabled() {
        write(0x0B, 0x12);                         // UIE
        ClockDriver.runUntil(clock, 1_000_000_000L);
        assertTrue(irq8);
        assertEquals(0x90, read(0x0C) & 0x90);
    }

    @Test
    void aFrozenClockShowsItsStartTimeWhateverTheGuestTimeAndKeepsWhatTheGuestSets() {
        int seconds = read(0x00);
        int minutes = read(0x02);
        rtc.setFrozen(true);
        clock.advance(61_500_000_000L);
        assertEquals(seconds, read(0x00));
        assertEquals(minutes, read(0x02));
        assertEquals(0, read(0x0A) & 0x80, "no update in progress at a whole second");
        write(0x0B, 0x82);
        write(0x00, 0x42);
        write(0x0B, 0x02);
        clock.advance(3_000_000_000L);
        assertEquals(0x42, read(0x00), "the set time stands still too");
        rtc.setFrozen(false);
        clock.advance(2_000_000_000L);
        assertEquals(0x44, read(0x00), "thawed, it runs again from where it stood");
    }

    @Test
    void guestSetsTheTimeWithTheSetBit() {
        write(0x0B, 0x82);
        write(0x04, 0x05);
        write(0x02, 0x30);
        write(0x00, 0x00);
        clock.advance(5_000_000_000L);
        assertEquals(0x05, read(0x04), "frozen while SET");
        assertEquals(0x00, read(0x00));
        write(0x0B, 0x02);
        clock.advance(2_000_000_000L);
        assertEquals(0x02, read(0x00), "runs from the written time");
        assertEquals(0x30, read(0x02));
        assertEquals(0x05, read(0x04));
        assertEquals(0x14, read(0x07), "the date is untouched");
    }

    @Test
    void indexPortReadsAllOnesAndBit7IsTheNmiMask() {
        assertEquals(0xFF, indexPort.read(0, 1));
        write(0x8B, 0);                            // as OVMF's PcRtc writes indexes: with bit 7 set
        assertTrue(rtc.nmiDisabled());
        assertEquals(0x00, rtc.cmosByte(0x0B) & 0x02, "index 0x8B selected register B");
        write(0x0B, 0x02);
        assertFalse(rtc.nmiDisabled());
    }

    @Test
    void cmosRamBytesAreKept() {
        write(0x40, 0x5A);
        write(0x7F, 0xA5);
        assertEquals(0x5A, read(0x40));
        assertEquals(0xA5, read(0xFF));
    }

    /** Compared with QEMU 7.2's bytes in the CMOS dump of the DEBUG firmware (-m 256, 64 MiB disk). */
    @Test
    void qemuPcCmosLayout() {
        PcCmosLayout.fill(rtc, 256L << 20, 0, "cad");
        int[] geometry = PcCmosLayout.guessGeometry(64L << 20);
        PcCmosLayout.hardDisk0(rtc, geometry[0], geometry[1], geometry[2]);
        int[][] expected = {
            {0x10, 0x00}, {0x12, 0xF0}, {0x14, 0x06}, {0x15, 0x80}, {0x16, 0x02}, {0x17, 0xFF}, {0x18, 0xFF},
            {0x19, 0x2F}, {0x1B, 0x82}, {0x1C, 0x00}, {0x1D, 0x10}, {0x1E, 0xFF}, {0x1F, 0xFF}, {0x20, 0xC8},
            {0x21, 0x82}, {0x22, 0x00}, {0x23, 0x3F}, {0x30, 0xFF}, {0x31, 0xFF}, {0x34, 0x00}, {0x35, 0x0F},
            {0x38, 0x30}, {0x39, 0x00}, {0x3D, 0x12}, {0x5B, 0}, {0x5C, 0}, {0x5D, 0}, {0x5F, 0},
        };
        for (int[] e : expected) {
            assertEquals(e[1], read(e[0]), "CMOS 0x" + Integer.toHexString(e[0]));
        }
        assertThrows(IllegalArgumentException.class, () -> PcCmosLayout.fill(rtc, 1 << 20, 0, "x"));
    }
}
