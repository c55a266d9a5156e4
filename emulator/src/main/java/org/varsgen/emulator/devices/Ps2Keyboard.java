package org.varsgen.emulator.devices;

import java.util.ArrayDeque;

/**
 * A PS/2 keyboard behind the i8042, as QEMU's ps2 keyboard answers: reset (0xFF -> 0xFA 0xAA),
 * enable/disable scanning, defaults, echo, identify, LEDs, typematic rate and scan-code set
 * get/set, each acknowledged with 0xFA; unknown commands are answered 0xFE (resend). It holds
 * the bytes it wants to send until the controller takes them.
 */
public final class Ps2Keyboard {
    static final int ACK = 0xFA;
    static final int RESEND = 0xFE;
    static final int SELF_TEST_PASSED = 0xAA;
    /** What a translating controller turns the scan-code set number into (sets 1, 2, 3). */
    private static final int[] TRANSLATED_SET = {0, 0x43, 0x41, 0x3F};
    private static final int QUEUE_LIMIT = 256;

    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private int pendingCommand = -1;   // a command waiting for its argument byte
    private boolean scanning = true;
    private int scanCodeSet = 2;
    private int leds;

    /** Bytes waiting for the controller. */
    boolean hasOutput() {
        return !queue.isEmpty();
    }

    int takeOutput() {
        return queue.poll();
    }

    private void send(int b) {
        if (queue.size() < QUEUE_LIMIT) {
            queue.add(b & 0xFF);
        }
    }

    private void resetDefaults() {
        scanning = true;
        scanCodeSet = 2;
        leds = 0;
    }

    public boolean scanning() {
        return scanning;
    }

    public int scanCodeSet() {
        return scanCodeSet;
    }

    public int leds() {
        return leds;
    }

    /** Key bytes from the host, as the guest should read them (set 1 when the controller translates). */
    public void typeBytes(int... bytes) {
        if (!scanning) {
            return;
        }
        for (int b : bytes) {
            send(b);
        }
    }

    /** A byte the controller passes on from port 0x60; {@code translating} is the i8042's XLAT bit. */
    void write(int value, boolean translating) {
        if (pendingCommand >= 0) {
            argument(value, translating);
            return;
        }
        switch (value) {
            case 0xED, 0xF0, 0xF3 -> {          // LEDs, scan-code set, typematic: an argument follows
                pendingCommand = value;
                send(ACK);
            }
            case 0xEE -> send(0xEE);            // echo
            case 0xF2 -> {                      // identify: MF2 keyboard
                send(ACK);
                send(0xAB);
                send(translating ? 0x41 : 0x83);
            }
            case 0xF4 -> {
                scanning = true;
                send(ACK);
            }
            case 0xF5 -> {
                resetDefaults();
                scanning = false;
                send(ACK);
            }
            case 0xF6 -> {
                resetDefaults();
                send(ACK);
            }
            case 0xFF -> {
                queue.clear();
                resetDefaults();
                send(ACK);
                send(SELF_TEST_PASSED);
            }
            default -> send(RESEND);
        }
    }

    private void argument(int value, boolean translating) {
        int command = pendingCommand;
        pendingCommand = -1;
        switch (command) {
            case 0xED -> {
                leds = value & 7;
                send(ACK);
            }
            case 0xF0 -> {
                if (value == 0) {
                    send(ACK);
                    send(translating ? TRANSLATED_SET[scanCodeSet] : scanCodeSet);
                } else if (value <= 3) {
                    scanCodeSet = value;
                    send(ACK);
                } else {
                    send(RESEND);
                }
            }
            default -> send(ACK);               // typematic rate and delay: accepted, no effect
        }
    }
}
