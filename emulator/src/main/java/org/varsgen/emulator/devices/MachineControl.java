package org.varsgen.emulator.devices;

/**
 * What the chipset asks of the machine as a whole. The board implements it: power-off ends the
 * run (after flushing the variable flash), reset restarts the CPU and resets the devices.
 */
public interface MachineControl {
    /** ACPI S5 (or S4) through PM1_CNT.SLP_EN: the guest is done. */
    void powerOff();

    /** A platform reset: 0xCF9 with RST_CPU, or port 0x92 bit 0 going from 0 to 1. */
    void reset();
}
