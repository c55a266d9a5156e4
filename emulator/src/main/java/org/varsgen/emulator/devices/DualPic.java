package org.varsgen.emulator.devices;

import java.util.List;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The PC's two cascaded 8259 PICs: the master at 0x20/0x21 with the slave's INT output on its
 * IRQ2, the slave at 0xA0/0xA1 carrying IRQ 8-15, and the ICH9 edge/level control registers
 * (ELCR) at 0x4D0/0x4D1. The master's INT output drives the local APIC's LINT0 (or the CPU's
 * INTR directly when the APIC is disabled); {@link #acknowledge()} is the INTA cycle.
 */
public final class DualPic {
    /** QEMU's pic_base_ioport_ops: implemented for bytes, any access up to 4 bytes valid. */
    public static final AccessConstraints PIC_ACCESS = AccessConstraints.of(1, 4, 1, 1);
    /** QEMU's pic_elcr_ioport_ops: the same declaration. */
    public static final AccessConstraints ELCR_ACCESS = AccessConstraints.of(1, 4, 1, 1);

    private final Pic8259 master = new Pic8259(true);
    private final Pic8259 slave = new Pic8259(false);

    public DualPic() {
        slave.setOutput(high -> master.setIrq(2, high));
    }

    /** Connects the master's INT output (to the local APIC LINT0). */
    public void setOutput(IrqLine intr) {
        master.setOutput(intr);
    }

    public Pic8259 master() {
        return master;
    }

    public Pic8259 slave() {
        return slave;
    }

    /** Drives ISA IRQ {@code irq} (0-15). */
    public void setIrq(int irq, boolean level) {
        if (irq < 8) {
            master.setIrq(irq, level);
        } else {
            slave.setIrq(irq - 8, level);
        }
    }

    /** The INT output of the pair. */
    public boolean output() {
        return master.output();
    }

    /**
     * The interrupt-acknowledge cycle: returns the vector of the highest-priority request,
     * following the cascade for IRQ2. With nothing to deliver the master answers its IRQ7
     * vector (and the slave its IRQ15 vector when it lost its request), the 8259's spurious
     * interrupt, without setting any ISR bit for the spurious line.
     */
    public int acknowledge() {
        int irq = master.pendingIrq();
        if (irq < 0) {
            return master.irqBase() + 7;
        }
        int vector;
        if (irq == 2) {
            int irq2 = slave.pendingIrq();
            if (irq2 >= 0) {
                slave.acknowledge(irq2);
                vector = slave.irqBase() + irq2;
            } else {
                vector = slave.irqBase() + 7;
            }
        } else {
            vector = master.irqBase() + irq;
        }
        master.acknowledge(irq);
        return vector;
    }

    public void reset() {
        master.reset();
        slave.reset();
    }

    /** The four register blocks with QEMU's names. */
    public List<Region> regions() {
        return List.of(
                Region.mmio("pic", 0x20, 2, chipHandler(master), PIC_ACCESS),
                Region.mmio("pic", 0xA0, 2, chipHandler(slave), PIC_ACCESS),
                Region.mmio("elcr", 0x4D0, 1, elcrHandler(master), ELCR_ACCESS),
                Region.mmio("elcr", 0x4D1, 1, elcrHandler(slave), ELCR_ACCESS));
    }

    private static RegionHandler chipHandler(Pic8259 chip) {
        return new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return chip.read((int) offset);
            }

            @Override
            public void write(long offset, int size, long value) {
                chip.write((int) offset, (int) value);
            }
        };
    }

    private static RegionHandler elcrHandler(Pic8259 chip) {
        return new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return chip.elcr();
            }

            @Override
            public void write(long offset, int size, long value) {
                chip.writeElcr((int) value);
            }
        };
    }
}
