package org.varsgen.emulator.cpu;

/**
 * The CPU's view of its interrupt inputs: INTR from the interrupt controllers (the local APIC,
 * fed by the 8259 PICs and the IOAPIC), and the NMI, SMI and INIT signals.
 *
 * <p>The CPU samples these at instruction boundaries; see ARCHITECTURE.md for the order.
 */
public interface InterruptPins {
    /** True when a maskable interrupt is waiting for delivery (INTR asserted, before RFLAGS.IF). */
    boolean interruptPending();

    /** The interrupt-acknowledge cycle: returns the vector of the interrupt being delivered. */
    int acknowledgeInterrupt();

    /** True, once, when an NMI has been raised since the last call. */
    boolean takeNmi();

    /** True, once, when an SMI has been raised since the last call. */
    boolean takeSmi();

    /** True, once, when an INIT signal has been raised since the last call. */
    boolean takeInit();

    /** Pins with nothing attached: no interrupts ever arrive. */
    InterruptPins NONE = new InterruptPins() {
        @Override public boolean interruptPending() { return false; }
        @Override public int acknowledgeInterrupt() { throw new IllegalStateException("no interrupt pending"); }
        @Override public boolean takeNmi() { return false; }
        @Override public boolean takeSmi() { return false; }
        @Override public boolean takeInit() { return false; }
    };
}
