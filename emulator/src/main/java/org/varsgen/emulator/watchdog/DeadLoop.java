package org.varsgen.emulator.watchdog;

import java.util.Optional;

/**
 * Where a dead loop was found.
 *
 * @param rip         RIP when it was recognised
 * @param low         lowest RIP seen in the loop
 * @param high        highest RIP seen in the loop (the start of the last instruction)
 * @param csSelector  the code segment
 * @param windowNanos the guest time it ran without progress
 * @param module      the PE image containing the loop, if found
 */
public record DeadLoop(long rip, long low, long high, int csSelector, long windowNanos, Optional<PeImage> module) {
    /** One line, for the run's outcome. */
    public String describe() {
        return String.format("loop at 0x%x-0x%x (CS 0x%x) in %s, no device access and no store outside the stack "
                + "for %.2f s of guest time", low, high, csSelector,
                module.map(PeImage::describe).orElse("no known PE image"), windowNanos / 1e9);
    }
}
