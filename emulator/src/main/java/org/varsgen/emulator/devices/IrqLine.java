package org.varsgen.emulator.devices;

/**
 * One interrupt request wire from a device to an interrupt controller input (or to several,
 * as q35 wires ISA IRQs to both the 8259 pair and the IOAPIC).
 *
 * <p>Devices drive a level; edge-triggered inputs react to the rising edge.
 */
@FunctionalInterface
public interface IrqLine {
    void setLevel(boolean high);

    default void raise() {
        setLevel(true);
    }

    default void lower() {
        setLevel(false);
    }

    /** A pulse: high, then low, as edge-triggered ISA devices signal. */
    default void pulse() {
        setLevel(true);
        setLevel(false);
    }

    /** A wire to nowhere. */
    IrqLine NONE = high -> { };
}
