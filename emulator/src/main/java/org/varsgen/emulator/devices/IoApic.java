package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The I/O APIC at 0xFEC00000 as QEMU's q35 presents it: version 0x20 with 24 redirection
 * entries, IOREGSEL at offset 0x00, IOWIN at 0x10 and the EOI register at 0x40 (a version 0x20
 * feature). Each entry is masked after reset. Edge inputs latch a request on the rising level
 * (ignored while masked, as the 82093AA manual says); level inputs are re-delivered after the
 * local APIC's EOI clears Remote IRR while the line is still asserted. Polarity is ignored, as
 * in QEMU: callers pass "asserted". ExtINT delivery through the IOAPIC is not modelled (the
 * firmware routes the PIC through LINT0 instead).
 */
public final class IoApic implements RegionHandler {
    public static final long BASE = 0xFEC00000L;
    public static final int PINS = 24;
    public static final int VERSION = 0x20;
    /** QEMU declares no access sizes for "ioapic": the defaults, any 1-4 byte access. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 4);

    private static final long MASKED = 1L << 16;
    private static final long LEVEL = 1L << 15;
    private static final long REMOTE_IRR = 1L << 14;
    private static final long DELIVERY_STATUS = 1L << 12;
    private static final long READ_ONLY = REMOTE_IRR | DELIVERY_STATUS;

    private final ApicMessageSink apicBus;
    private final long[] redirection = new long[PINS];
    private int id;
    private int ioregsel;
    private int irr;

    public IoApic(ApicMessageSink apicBus) {
        this.apicBus = apicBus;
        reset();
    }

    public void reset() {
        id = 0;
        ioregsel = 0;
        irr = 0;
        java.util.Arrays.fill(redirection, MASKED);
    }

    public Region region() {
        return Region.mmio("ioapic", BASE, 0x1000, this, ACCESS);
    }

    /** Drives input pin (GSI) {@code pin} to asserted or not. */
    public void setPin(int pin, boolean asserted) {
        if (pin < 0 || pin >= PINS) {
            return;
        }
        int mask = 1 << pin;
        long entry = redirection[pin];
        if ((entry & LEVEL) != 0) {
            if (asserted) {
                irr |= mask;
                if ((entry & REMOTE_IRR) == 0) {
                    service();
                }
            } else {
                irr &= ~mask;
            }
        } else if (asserted && (entry & MASKED) == 0) {
            irr |= mask;
            service();
        }
    }

    private void service() {
        for (int pin = 0; pin < PINS; pin++) {
            int mask = 1 << pin;
            long entry = redirection[pin];
            if ((irr & mask) == 0 || (entry & MASKED) != 0) {
                continue;
            }
            boolean level = (entry & LEVEL) != 0;
            if (level) {
                if ((entry & REMOTE_IRR) != 0) {
                    continue;       // the previous delivery has not been EOIed yet
                }
                redirection[pin] = entry | REMOTE_IRR;
            } else {
                irr &= ~mask;
            }
            int mode = (int) (entry >> 8) & 7;
            if (mode == ApicMessageSink.EXTINT) {
                continue;
            }
            apicBus.deliver((int) (entry >>> 56), (entry & (1L << 11)) != 0, mode, (int) entry & 0xFF, level);
        }
    }

    /** The local APIC's EOI of a level-triggered {@code vector}: clears Remote IRR of matching entries. */
    public void endOfInterrupt(int vector) {
        boolean again = false;
        for (int pin = 0; pin < PINS; pin++) {
            long entry = redirection[pin];
            if ((entry & 0xFF) == vector && (entry & LEVEL) != 0 && (entry & REMOTE_IRR) != 0) {
                redirection[pin] = entry & ~REMOTE_IRR;
                again |= (irr & (1 << pin)) != 0;
            }
        }
        if (again) {
            service();
        }
    }

    public long redirectionEntry(int pin) {
        return redirection[pin];
    }

    @Override
    public long read(long offset, int size) {
        switch ((int) offset & 0xFF) {
            case 0x00:
                return ioregsel;
            case 0x10:
                return size == 4 ? readRegister() : 0;
            default:
                return 0;
        }
    }

    private long readRegister() {
        switch (ioregsel) {
            case 0x00:
                return (long) id << 24;
            case 0x01:
                return ((PINS - 1) << 16) | VERSION;
            case 0x02:
                return 0;
            default:
                int index = (ioregsel - 0x10) >> 1;
                if (index >= 0 && index < PINS) {
                    long entry = redirection[index];
                    return (ioregsel & 1) != 0 ? entry >>> 32 : entry & 0xFFFFFFFFL;
                }
                return 0;
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        switch ((int) offset & 0xFF) {
            case 0x00 -> ioregsel = (int) value & 0xFF;
            case 0x10 -> {
                if (size == 4) {
                    writeRegister(value & 0xFFFFFFFFL);
                }
            }
            case 0x40 -> {
                if (size == 4) {
                    endOfInterrupt((int) value & 0xFF);
                }
            }
            default -> { }
        }
    }

    private void writeRegister(long value) {
        if (ioregsel == 0x00) {
            id = (int) (value >> 24) & 0x0F;
            return;
        }
        int index = (ioregsel - 0x10) >> 1;
        if (ioregsel < 0x10 || index >= PINS) {
            return;
        }
        long entry = redirection[index];
        long readOnly = entry & READ_ONLY;
        entry = (ioregsel & 1) != 0
                ? (entry & 0xFFFFFFFFL) | (value << 32)
                : (entry & ~0xFFFFFFFFL) | value;
        entry = (entry & ~READ_ONLY) | readOnly;
        if ((entry & LEVEL) == 0) {
            entry &= ~REMOTE_IRR;     // Remote IRR means nothing for edge entries
        }
        redirection[index] = entry;
        service();
    }
}
