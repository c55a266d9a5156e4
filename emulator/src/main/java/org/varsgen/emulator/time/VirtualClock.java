package org.varsgen.emulator.time;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest's only notion of time: nanoseconds since power-on, advanced by the guest's own
 * actions (retired instructions, timer reads, HLT), never by the host clock, so that two runs
 * with the same inputs behave identically.
 *
 * <p>Devices arm {@link Timer}s; whoever advances the clock calls {@link #runDueTimers()} to
 * fire those whose deadline has passed, in deadline order (ties in arming order). There are
 * only a handful of timers in a PC, so a linear scan beats a heap and stays obviously
 * deterministic.
 */
public final class VirtualClock {
    /** Sentinel for "no timer armed". */
    public static final long NEVER = Long.MAX_VALUE;

    private final List<Timer> timers = new ArrayList<>();
    private long now;
    private long armSequence;
    private long nextDeadline = NEVER;

    /** Guest nanoseconds since power-on. */
    public long now() {
        return now;
    }

    /** Moves time forward by {@code nanos} (not negative). Does not fire timers. */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time cannot go backwards: " + nanos);
        }
        now += nanos;
    }

    /** The earliest deadline of any armed timer, or {@link #NEVER}. */
    public long nextDeadline() {
        return nextDeadline;
    }

    /** True when some armed timer's deadline has been reached. */
    public boolean timerDue() {
        return nextDeadline <= now;
    }

    /**
     * For an idle guest (HLT with interrupts enabled): jumps to the next deadline if it lies in
     * the future. Returns false when no timer is armed, so the guest would sleep forever.
     */
    public boolean skipToNextDeadline() {
        if (nextDeadline == NEVER) {
            return false;
        }
        if (nextDeadline > now) {
            now = nextDeadline;
        }
        return true;
    }

    /** Fires every timer whose deadline is at or before now, earliest first. */
    public void runDueTimers() {
        while (nextDeadline <= now) {
            Timer first = null;
            for (Timer t : timers) {
                if (t.deadline != NEVER && (first == null || t.deadline < first.deadline
                        || (t.deadline == first.deadline && t.sequence < first.sequence))) {
                    first = t;
                }
            }
            if (first == null) {
                nextDeadline = NEVER;
                return;
            }
            first.deadline = NEVER;
            recomputeNextDeadline();
            first.callback.run();
        }
    }

    /** Creates a disarmed timer that runs {@code callback} when its deadline passes. */
    public Timer newTimer(String name, Runnable callback) {
        Timer t = new Timer(name, callback);
        timers.add(t);
        return t;
    }

    private void recomputeNextDeadline() {
        long next = NEVER;
        for (Timer t : timers) {
            next = Math.min(next, t.deadline);
        }
        nextDeadline = next;
    }

    /** One device timer; re-arm it from its own callback for periodic behaviour. */
    public final class Timer {
        private final String name;
        private final Runnable callback;
        private long deadline = NEVER;
        private long sequence;

        private Timer(String name, Runnable callback) {
            this.name = name;
            this.callback = callback;
        }

        /** Arms (or re-arms) the timer for the absolute guest time {@code deadlineNanos}. */
        public void arm(long deadlineNanos) {
            deadline = deadlineNanos;
            sequence = armSequence++;
            recomputeNextDeadline();
        }

        public void cancel() {
            deadline = NEVER;
            recomputeNextDeadline();
        }

        public boolean armed() {
            return deadline != NEVER;
        }

        public long deadline() {
            return deadline;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name + (armed() ? "@" + deadline : " (disarmed)");
        }
    }
}
