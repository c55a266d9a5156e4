package org.varsgen.emulator.devices;

import org.varsgen.emulator.time.VirtualClock;

/** Moves a virtual clock forward the way the CPU loop will: stopping at each deadline to fire it. */
final class ClockDriver {
    private ClockDriver() {
    }

    static void runUntil(VirtualClock clock, long time) {
        while (clock.nextDeadline() <= time) {
            long deadline = clock.nextDeadline();
            if (deadline > clock.now()) {
                clock.advance(deadline - clock.now());
            }
            clock.runDueTimers();
        }
        if (time > clock.now()) {
            clock.advance(time - clock.now());
        }
    }
}
