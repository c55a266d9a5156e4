package org.varsgen.emulator.devices;

/**
 * QEMU's q35 wiring of the sixteen ISA interrupt lines: each one drives the input of the same
 * number on the 8259 pair and an IOAPIC pin, where ISA IRQ 0 (the PIT) lands on GSI 2 (the
 * "interrupt source override" the ACPI MADT announces) and every other ISA IRQ n on GSI n.
 * IRQ 2 is the cascade input of the master PIC and is not an ISA device line.
 */
public final class IsaIrqRouter {
    private final DualPic pics;
    private final IoApic ioapic;

    public IsaIrqRouter(DualPic pics, IoApic ioapic) {
        this.pics = pics;
        this.ioapic = ioapic;
    }

    /** The IOAPIC pin (GSI) that ISA IRQ {@code isaIrq} reaches on q35. */
    public static int gsiOf(int isaIrq) {
        if (isaIrq < 0 || isaIrq > 15) {
            throw new IllegalArgumentException("no ISA IRQ " + isaIrq);
        }
        return isaIrq == 0 ? 2 : isaIrq;
    }

    /** The wire a device on ISA IRQ {@code isaIrq} drives. */
    public IrqLine line(int isaIrq) {
        int gsi = gsiOf(isaIrq);
        return high -> {
            pics.setIrq(isaIrq, high);
            ioapic.setPin(gsi, high);
        };
    }
}
