package org.varsgen.emulator.board;

import java.util.Optional;
import java.util.function.Consumer;
import org.varsgen.emulator.cpu.Cpu;
import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.time.VirtualClock;
import org.varsgen.emulator.watchdog.DeadLoop;
import org.varsgen.emulator.watchdog.DeadLoopWatchdog;

/**
 * The run loop: runs the CPU in batches, lets timers fire (the CPU runs due timers after each
 * instruction), skips guest time to the next timer deadline while the CPU halts with
 * interrupts enabled, performs machine resets, and stops on power-off, a triple fault, a hang
 * or a limit. Between batches it calls the host side (console input, output flushing), so that
 * what the host feeds the guest depends only on guest progress, not on host timing.
 */
public final class Machine {
    /** Instructions per batch: how often limits and the host side are looked at. */
    static final long BATCH = 200_000;
    /** More resets than this in one run is reported as a reset loop. */
    static final int MAX_RESETS = 16;

    private final BoardConfig config;
    private Q35Board board;
    private long instructionsBeforeBoard;
    private int resets;
    private String stopReason;
    private RunOutcome.Kind stopKind;
    private DeadLoopWatchdog watchdog = new DeadLoopWatchdog(DeadLoopWatchdog.DEFAULT_WINDOW_NANOS);
    private DeadLoop deadLoop;

    public Machine(BoardConfig config) {
        this.config = config;
        this.board = new Q35Board(config);
    }

    /** The current board (replaced on every machine reset). */
    public Q35Board board() {
        return board;
    }

    /**
     * Ends the run before the next batch, with a {@link RunOutcome.Kind#STOPPED} outcome; for the
     * host side (called from {@code betweenBatches}), e.g. when a console script has failed.
     */
    public void stop(String reason) {
        stop(RunOutcome.Kind.STOPPED, reason);
    }

    /** As {@link #stop(String)}, with the outcome kind to report (e.g. {@link RunOutcome.Kind#NO_PROGRESS}). */
    public void stop(RunOutcome.Kind kind, String reason) {
        stopKind = kind;
        stopReason = reason;
    }

    /**
     * Sets the dead-loop watchdog's guest-time window ({@link DeadLoopWatchdog}); on by default
     * with {@link DeadLoopWatchdog#DEFAULT_WINDOW_NANOS}, off with null.
     */
    public void setWatchdog(DeadLoopWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** The dead loop that ended the run, when it ended as {@link RunOutcome.Kind#DEAD_LOOP}. */
    public Optional<DeadLoop> deadLoop() {
        return Optional.ofNullable(deadLoop);
    }

    /** Guest instructions retired so far, across resets. */
    public long instructions() {
        return instructionsBeforeBoard + board.cpu.retiredInstructions();
    }

    /**
     * Runs until the guest powers off, fails or a limit is reached. {@code betweenBatches} is
     * called on this thread with the current board before every batch (feed UART input there).
     */
    public RunOutcome run(RunLimits limits, Consumer<Q35Board> betweenBatches) {
        long wallStart = System.nanoTime();
        try {
            while (true) {
                Q35Board b = board;
                Cpu cpu = b.cpu;
                if (b.powerOffRequested()) {
                    return outcome(RunOutcome.Kind.POWER_OFF, "");
                }
                if (stopReason != null) {
                    return outcome(stopKind, stopReason);
                }
                if (b.resetRequested()) {
                    if (resets == MAX_RESETS) {
                        return outcome(RunOutcome.Kind.RESET_LIMIT, resets + " machine resets");
                    }
                    machineReset();
                    continue;
                }
                if (cpu.shutdown()) {
                    return outcome(RunOutcome.Kind.TRIPLE_FAULT, "");
                }
                if (instructions() >= limits.maxInstructions()) {
                    return outcome(RunOutcome.Kind.INSTRUCTION_LIMIT, limits.maxInstructions() + " instructions");
                }
                if (b.clock.now() >= limits.maxGuestNanos()) {
                    return outcome(RunOutcome.Kind.GUEST_TIME_LIMIT, limits.maxGuestNanos() / 1e9 + " s");
                }
                if (System.nanoTime() - wallStart >= limits.wallClockNanos()) {
                    return outcome(RunOutcome.Kind.WALL_CLOCK_LIMIT, limits.wallClockNanos() / 1e9 + " s host time");
                }
                if (watchdog != null) {
                    deadLoop = watchdog.check(cpu, b.clock, b.memory, b.io).orElse(null);
                    if (deadLoop != null) {
                        return outcome(RunOutcome.Kind.DEAD_LOOP, deadLoop.describe());
                    }
                }
                betweenBatches.accept(b);
                if (stopReason != null) {
                    continue;
                }
                long budget = Math.min(BATCH, limits.maxInstructions() - instructions());
                long done = cpu.run(budget);
                if (done < budget && cpu.state().halted && !b.powerOffRequested() && !b.resetRequested()
                        && !cpu.shutdown()) {
                    RunOutcome hang = idle(b);
                    if (hang != null) {
                        return hang;
                    }
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            return outcome(RunOutcome.Kind.EMULATOR_ERROR, e.toString());
        } finally {
            board.flushTrace();
        }
    }

    /**
     * The CPU halted with nothing deliverable. With interrupts disabled nothing on this board
     * can wake it (no device raises NMI, SMI or INIT by itself): a hang. Otherwise guest time
     * skips to the next timer deadline and the due timers run; with no timer armed it is a hang.
     */
    private RunOutcome idle(Q35Board b) {
        if ((b.cpu.rflags() & 0x200) == 0) {
            return outcome(RunOutcome.Kind.HANG, "HLT with interrupts disabled");
        }
        VirtualClock clock = b.clock;
        if (!clock.skipToNextDeadline()) {
            return outcome(RunOutcome.Kind.HANG, "HLT with no timer armed");
        }
        clock.runDueTimers();
        return null;
    }

    /** Rebuilds the board in its reset state; vars flash, disk and guest time carry over. */
    private void machineReset() {
        Q35Board old = board;
        old.flushTrace();
        VirtualClock clock = new VirtualClock();
        clock.advance(old.clock.now());
        instructionsBeforeBoard += old.cpu.retiredInstructions();
        resets++;
        board = new Q35Board(config, clock, old.varsContents(), old.diskContents());
    }

    private RunOutcome outcome(RunOutcome.Kind kind, String detail) {
        CpuState s = board.cpu.state();
        long rip = s.rip;
        return new RunOutcome(kind, detail, rip, instructions(), board.clock.now(), resets);
    }
}
