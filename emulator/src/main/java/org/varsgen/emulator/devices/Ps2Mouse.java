package org.varsgen.emulator.devices;

import java.util.ArrayDeque;

/**
 * The PS/2 mouse QEMU always attaches to the i8042's auxiliary port. It never moves; it answers
 * the commands a driver probes with: reset (0xFA 0xAA 0x00), identify (0xFA 0x00), status
 * request (0xFA and three status bytes) and acknowledges everything else, taking the argument
 * of the commands that have one.
 */
public final class Ps2Mouse {
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private int pendingCommand = -1;
    private int sampleRate = 100;
    private int resolution = 2;
    private boolean reporting;

    boolean hasOutput() {
        return !queue.isEmpty();
    }

    int takeOutput() {
        return queue.poll();
    }

    void write(int value) {
        if (pendingCommand >= 0) {
            if (pendingCommand == 0xF3) {
                sampleRate = value;
            } else {
                resolution = value & 3;
            }
            pendingCommand = -1;
            queue.add(Ps2Keyboard.ACK);
            return;
        }
        queue.add(Ps2Keyboard.ACK);
        switch (value) {
            case 0xE8, 0xF3 -> pendingCommand = value;   // resolution, sample rate
            case 0xE9 -> {
                queue.add(reporting ? 0x20 : 0);
                queue.add(resolution);
                queue.add(sampleRate);
            }
            case 0xF2 -> queue.add(0x00);
            case 0xF4 -> reporting = true;
            case 0xF5 -> reporting = false;
            case 0xF6 -> {
                sampleRate = 100;
                resolution = 2;
                reporting = false;
            }
            case 0xFF -> {
                sampleRate = 100;
                resolution = 2;
                reporting = false;
                queue.add(0xAA);
                queue.add(0x00);
            }
            default -> { }
        }
    }
}
