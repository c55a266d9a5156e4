package org.varsgen.emulator.watchdog;

import java.util.Optional;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.SystemMemory;
import org.varsgen.emulator.cpu.Cpu;
import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.time.VirtualClock;

/**
 * Recognises a guest stuck in a dead loop (edk2's {@code CpuDeadLoop}: a PAUSE/compare/jump
 * loop after an unhandled exception or an assertion), from guest-observable progress only, so
 * that the verdict is deterministic. Called by the run loop between instruction batches.
 *
 * <p>A candidate window starts whenever something progresses: a device access (any I/O or MMIO
 * read or write: a Stall() polls the PM timer, console output writes the UART or port 0x402, a
 * timer interrupt's handler writes an EOI), a sampled RIP outside a {@link #MAX_SPAN}-byte range,
 * another code segment, a halted CPU (HLT idles on timer interrupts) or a new board. If the
 * window lasts {@code windowNanos} of guest time, the RAM outside the stack must also be
 * unchanged over its second half (a CRC taken at half time and at the end, leaving out the
 * pages around RSP), and a short single-stepped trace must stay in the range and touch no
 * device; then it is a dead loop.
 */
public final class DeadLoopWatchdog {
    /** The widest loop recognised: a handful of instructions. */
    public static final long MAX_SPAN = 256;
    /** Default window: 1 G instructions, over half of a whole enrolment job; no healthy loop lasts that long. */
    public static final long DEFAULT_WINDOW_NANOS = 1_000_000_000L;
    /** Instructions single-stepped to confirm and measure the loop. */
    static final int TRACE = 512;
    /** Pages around RSP left out of the store check, each side. */
    private static final long STACK_SLACK = 8192;

    private final long windowNanos;
    private Cpu cpu;
    private long accesses;
    private long start;
    private long low;
    private long high;
    private int cs;
    private boolean code64;
    private long crc = -1;
    private long stackPage;

    public DeadLoopWatchdog(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("dead-loop window must be positive");
        }
        this.windowNanos = windowNanos;
    }

    public long windowNanos() {
        return windowNanos;
    }

    /**
     * Looks at the guest between batches; returns the dead loop once recognised. A new
     * {@code cpu} (after a machine reset) starts afresh.
     */
    public Optional<DeadLoop> check(Cpu cpu, VirtualClock clock, SystemMemory memory, IoSpace io) {
        Parts b = new Parts(cpu, clock, memory, io);
        CpuState s = cpu.state();
        long now = clock.now();
        long rip = s.rip;
        if (cpu != this.cpu || s.halted || deviceAccesses(b) != accesses || s.cs().selector != cs
                || s.in64BitMode() != code64 || Math.max(high, rip) - Math.min(low, rip) >= MAX_SPAN) {
            restart(b, now);
            return Optional.empty();
        }
        low = Math.min(low, rip);
        high = Math.max(high, rip);
        long elapsed = now - start;
        if (crc < 0 && elapsed >= windowNanos / 2) {
            stackPage = (s.ss().base + s.gpr[CpuState.RSP]) & ~0xFFFL;
            crc = ramCrc(b);
            return Optional.empty();
        }
        if (crc < 0 || elapsed < windowNanos) {
            return Optional.empty();
        }
        if (ramCrc(b) != crc) {
            restart(b, now);
            return Optional.empty();
        }
        return confirm(b, now);
    }

    /** Single-steps the loop: it must stay in range, not halt and touch no device. */
    private Optional<DeadLoop> confirm(Parts b, long now) {
        CpuState s = b.cpu.state();
        long rip = s.rip;
        TreeSet<Long> seen = new TreeSet<>();
        for (int i = 0; i < TRACE; i++) {
            seen.add(s.rip);
            if (b.cpu.run(1) != 1 || s.halted || deviceAccesses(b) != accesses
                    || seen.last() - seen.first() >= MAX_SPAN || b.cpu.shutdown()) {
                restart(b, b.clock.now());
                return Optional.empty();
            }
        }
        long linear = s.cs().base + seen.first();
        Optional<PeImage> module = new PeImageLocator(b.memory).find(linear);
        return Optional.of(new DeadLoop(rip, seen.first(), seen.last(), cs, now - start, module));
    }

    private void restart(Parts b, long now) {
        CpuState s = b.cpu.state();
        cpu = b.cpu;
        accesses = deviceAccesses(b);
        start = now;
        low = s.rip;
        high = s.rip;
        cs = s.cs().selector;
        code64 = s.in64BitMode();
        crc = -1;
    }

    private static long deviceAccesses(Parts b) {
        return b.io.deviceAccesses() + b.memory.deviceAccesses();
    }

    /** CRC-32 of RAM outside the stack pages (physical = linear, as in OVMF's identity map). */
    private long ramCrc(Parts b) {
        byte[] ram = b.memory.ram();
        long from = Math.max(0, Math.min(ram.length, stackPage - STACK_SLACK));
        long to = Math.max(from, Math.min(ram.length, stackPage + 4096 + STACK_SLACK));
        CRC32 c = new CRC32();
        c.update(ram, 0, (int) from);
        c.update(ram, (int) to, ram.length - (int) to);
        return c.getValue();
    }

    /** The parts of the machine the watchdog looks at. */
    private record Parts(Cpu cpu, VirtualClock clock, SystemMemory memory, IoSpace io) {
    }
}
