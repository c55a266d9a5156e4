package org.varsgen.emulator.devices;

/**
 * The APIC bus seen from a sender (the IOAPIC, MSI writes): an interrupt message that every
 * local APIC examines and accepts when the destination names it.
 */
@FunctionalInterface
public interface ApicMessageSink {
    /** Delivery modes of the message, as in the ICR and the IOAPIC redirection table. */
    int FIXED = 0;
    int LOWEST_PRIORITY = 1;
    int SMI = 2;
    int NMI = 4;
    int INIT = 5;
    int STARTUP = 6;
    int EXTINT = 7;

    /**
     * @param destination  APIC ID (physical) or logical destination bit mask
     * @param logical      destination mode
     * @param deliveryMode one of the constants above
     * @param vector       interrupt vector (fixed, lowest priority) or SIPI page
     * @param level        level triggered (sets the TMR bit so that EOI is broadcast)
     */
    void deliver(int destination, boolean logical, int deliveryMode, int vector, boolean level);
}
