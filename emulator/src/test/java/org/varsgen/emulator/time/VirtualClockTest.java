package org.varsgen.emulator.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
    @Test
    void timersFireInDeadlineOrderThenArmingOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> fired = new ArrayList<>();
        VirtualClock.Timer a = clock.newTimer("a", () -> fired.add("a"));
        VirtualClock.Timer b = clock.newTimer("b", () -> fired.add("b"));
        VirtualClock.Timer c = clock.newTimer("c", () -> fired.add("c"));
        c.arm(100);
        b.arm(50);
        a.arm(100);
        clock.advance(99);
        clock.runDueTimers();
        assertEquals(List.of("b"), fired);
        clock.advance(1);
        clock.runDueTimers();
        assertEquals(List.of("b", "c", "a"), fired);
        assertEquals(VirtualClock.NEVER, clock.nextDeadline());
    }

    @Test
    void periodicTimerRearmsFromItsCallback() {
        VirtualClock clock = new VirtualClock();
        int[] ticks = {0};
        VirtualClock.Timer[] holder = new VirtualClock.Timer[1];
        holder[0] = clock.newTimer("tick", () -> {
            ticks[0]++;
            holder[0].arm(clock.now() + 10);
        });
        holder[0].arm(10);
        clock.advance(35);
        clock.runDueTimers();
        // Deadlines 10, 20 and 30 have all passed at 35; each re-arm is relative to now (35),
        // so a late caller sees one catch-up tick per call, not a burst.
        assertEquals(1, ticks[0]);
        assertEquals(45, clock.nextDeadline());
    }

    @Test
    void idleSkipJumpsToNextDeadlineOnlyWhenOneIsArmed() {
        VirtualClock clock = new VirtualClock();
        assertFalse(clock.skipToNextDeadline());
        VirtualClock.Timer t = clock.newTimer("t", () -> { });
        t.arm(1_000_000);
        assertTrue(clock.skipToNextDeadline());
        assertEquals(1_000_000, clock.now());
        assertTrue(clock.timerDue());
        t.cancel();
        assertFalse(clock.timerDue());
    }

    @Test
    void timeNeverRunsBackwards() {
        assertThrows(IllegalArgumentException.class, () -> new VirtualClock().advance(-1));
    }
}
