package org.varsgen.emulator.devices;

/**
 * One Intel 8259A programmable interrupt controller, as QEMU's i8259 models it: eight inputs,
 * the ICW1-ICW4 initialisation sequence, OCW1 (mask), OCW2 (EOI and rotation), OCW3 (IRR/ISR
 * read select, poll, special mask mode), edge or level triggering per input (the ELCR bits,
 * owned by {@link DualPic}), auto-EOI and fully nested priority with rotation.
 *
 * <p>The chip's INT output is recomputed after every change and pushed to {@code output}.
 * {@link DualPic} wires two of these as master and slave.
 */
public final class Pic8259 {
    private final boolean master;
    private IrqLine output = IrqLine.NONE;

    private int lastIrr;      // input levels seen, for edge detection
    private int irr;
    private int imr;
    private int isr;
    private int priorityAdd;  // the input with the highest priority (rotation)
    private int irqBase;
    private boolean readIsr;  // OCW3 RR/RIS: read ISR instead of IRR at the command port
    private boolean poll;
    private boolean specialMask;
    private int initState;    // 0 = operating, 1..3 = expecting ICW2..ICW4
    private boolean init4;
    private boolean singleMode;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean specialFullyNested;
    private int elcr;
    private boolean allLevel;     // ICW1 LTIM: every input level triggered, whatever the ELCR says
    private final int elcrMask;
    private boolean outputLevel;

    public Pic8259(boolean master) {
        this.master = master;
        // QEMU: the master's IRQ0-2 and the slave's IRQ8 and IRQ13 are always edge triggered.
        this.elcrMask = master ? 0xF8 : 0xDE;
        reset();
    }

    /** Power-on state: everything cleared, ELCR all edge. */
    public void reset() {
        elcr = 0;
        initReset();
    }

    /** What ICW1 clears (QEMU's pic_reset_common): not the ELCR, not the input levels' history. */
    private void initReset() {
        lastIrr = 0;
        irr &= elcr;
        imr = 0;
        isr = 0;
        priorityAdd = 0;
        irqBase = 0;
        readIsr = false;
        poll = false;
        specialMask = false;
        initState = 0;
        autoEoi = false;
        rotateOnAutoEoi = false;
        specialFullyNested = false;
        init4 = false;
        singleMode = false;
        update();
    }

    void setOutput(IrqLine line) {
        this.output = line;
        outputLevel = false;
        update();
    }

    /** Drives input {@code irq} (0-7) to {@code level}. */
    private boolean levelTriggered(int mask) {
        return allLevel || (elcr & mask) != 0;
    }

    public void setIrq(int irq, boolean level) {
        int mask = 1 << irq;
        if (levelTriggered(mask)) {
            if (level) {
                irr |= mask;
                lastIrr |= mask;
            } else {
                irr &= ~mask;
                lastIrr &= ~mask;
            }
        } else if (level) {
            if ((lastIrr & mask) == 0) {
                irr |= mask;
            }
            lastIrr |= mask;
        } else {
            lastIrr &= ~mask;
        }
        update();
    }

    /** Priority (0 = highest) of the highest-priority bit in {@code mask}, 8 when empty. */
    private int priorityOf(int mask) {
        if (mask == 0) {
            return 8;
        }
        int p = 0;
        while ((mask & (1 << ((p + priorityAdd) & 7))) == 0) {
            p++;
        }
        return p;
    }

    /** The input the chip wants to signal, or -1. */
    int pendingIrq() {
        int p = priorityOf(irr & ~imr);
        if (p == 8) {
            return -1;
        }
        int inService = isr;
        if (specialMask) {
            inService &= ~imr;
        }
        if (specialFullyNested && master) {
            inService &= ~(1 << 2);
        }
        return p < priorityOf(inService) ? (p + priorityAdd) & 7 : -1;
    }

    private void update() {
        boolean level = pendingIrq() >= 0;
        if (level != outputLevel) {
            outputLevel = level;
            output.setLevel(level);
        }
    }

    /** INT output level. */
    public boolean output() {
        return outputLevel;
    }

    /** The acknowledge of input {@code irq}: moves it to ISR (unless auto-EOI) and clears an edge request. */
    void acknowledge(int irq) {
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                priorityAdd = (irq + 1) & 7;
            }
        } else {
            isr |= 1 << irq;
        }
        if (!levelTriggered(1 << irq)) {
            irr &= ~(1 << irq);
        }
        update();
    }

    int irqBase() {
        return irqBase;
    }

    /** Port 0x20/0xA0 (offset 0) or 0x21/0xA1 (offset 1). */
    public void write(int offset, int value) {
        value &= 0xFF;
        if (offset == 0) {
            writeCommand(value);
        } else {
            writeData(value);
        }
    }

    private void writeCommand(int value) {
        if ((value & 0x10) != 0) {            // ICW1
            initReset();
            initState = 1;
            init4 = (value & 1) != 0;
            singleMode = (value & 2) != 0;
            allLevel = (value & 8) != 0;
        } else if ((value & 0x08) != 0) {     // OCW3
            if ((value & 0x04) != 0) {
                poll = true;
            }
            if ((value & 0x02) != 0) {
                readIsr = (value & 1) != 0;
            }
            if ((value & 0x40) != 0) {
                specialMask = (value & 0x20) != 0;
            }
            update();
        } else {                               // OCW2
            int cmd = value >> 5;
            switch (cmd) {
                case 0, 4 -> rotateOnAutoEoi = cmd == 4;
                case 1, 5 -> {                 // non-specific EOI, optionally rotating
                    int p = priorityOf(isr);
                    if (p != 8) {
                        int irq = (p + priorityAdd) & 7;
                        isr &= ~(1 << irq);
                        if (cmd == 5) {
                            priorityAdd = (irq + 1) & 7;
                        }
                        update();
                    }
                }
                case 3 -> {                    // specific EOI
                    isr &= ~(1 << (value & 7));
                    update();
                }
                case 6 -> {                    // set priority
                    priorityAdd = (value + 1) & 7;
                    update();
                }
                case 7 -> {                    // rotate on specific EOI
                    int irq = value & 7;
                    isr &= ~(1 << irq);
                    priorityAdd = (irq + 1) & 7;
                    update();
                }
                default -> { }                 // 2: no operation
            }
        }
    }

    private void writeData(int value) {
        switch (initState) {
            case 0 -> {                        // OCW1
                imr = value;
                update();
            }
            case 1 -> {                        // ICW2
                irqBase = value & 0xF8;
                initState = singleMode ? (init4 ? 3 : 0) : 2;
            }
            case 2 -> initState = init4 ? 3 : 0;   // ICW3: cascade wiring is fixed on a PC
            default -> {                       // ICW4
                specialFullyNested = ((value >> 4) & 1) != 0;
                autoEoi = ((value >> 1) & 1) != 0;
                initState = 0;
            }
        }
    }

    /** Reads port offset 0 (IRR, ISR, or the poll result) or 1 (IMR). */
    public int read(int offset) {
        if (poll) {
            poll = false;
            int irq = pendingIrq();
            if (irq >= 0) {
                acknowledge(irq);
                return irq | 0x80;
            }
            return 0;
        }
        if (offset == 0) {
            return readIsr ? isr : irr;
        }
        return imr;
    }

    public int elcr() {
        return elcr;
    }

    public void writeElcr(int value) {
        elcr = value & elcrMask;
    }

    public int irr() {
        return irr;
    }

    public int isr() {
        return isr;
    }

    public int imr() {
        return imr;
    }
}
