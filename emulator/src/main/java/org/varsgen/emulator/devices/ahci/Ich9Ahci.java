package org.varsgen.emulator.devices.ahci;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.devices.IrqLine;
import org.varsgen.emulator.devices.pci.PciFunction;

/**
 * The ICH9 AHCI SATA controller at 00:1f.2 as QEMU 7.2 presents it (hw/ide/ich.c, hw/ide/ahci.c):
 * 8086:2922 revision 2, class 01/06/01, subsystem 1af4:1100, six ports (a disk, if any, on port
 * 0), BAR5 the 4 KiB ABAR, BAR4 a 32-byte I/O window with an index/data pair at 0x10/0x14, an MSI
 * capability at 0x80 (64-bit, one vector) chained to the SATA capability at 0xA8, and INTA.
 *
 * <p>HBA registers: CAP (64-bit addressing, NCQ, Gen1, AHCI-only, 32 slots), GHC (AE fixed on,
 * IE, HR resets at once), IS (write 1 to clear), PI, VS 1.0; everything else in the generic block
 * (CAP2, BOHC...) reads 0. An interrupt is pending while some port has PxIS & PxIE set; with
 * GHC.IE it drives INTA, or, with MSI enabled, each interrupt check that finds it pending sends the
 * MSI message (as QEMU does).
 */
public final class Ich9Ahci extends PciFunction {
    public static final int PORTS = 6;
    public static final int ABAR = 5, IDP_BAR = 4;
    public static final int ABAR_SIZE = 0x1000, IDP_SIZE = 0x20;
    public static final int CAP = 0x00, GHC = 0x04, IS = 0x08, PI = 0x0C, VS = 0x10;
    public static final int GHC_HR = 1, GHC_IE = 1 << 1, GHC_AE = 1 << 31;
    static final int CAP_VALUE = 1 << 31 | 1 << 30 | 1 << 20 | 1 << 18 | (32 - 1) << 8 | (PORTS - 1);
    static final int VERSION_1_0 = 0x00010000;
    public static final int MSI_CAP = 0x80, SATA_CAP = 0xA8;
    private static final int IDP_INDEX = 0x10, IDP_DATA = 0x14;
    private static final int PORT_BASE = 0x100, PORT_SIZE = 0x80;

    /** QEMU declares no sizes for the ABAR, so 1 to 4 bytes per handler call; the device itself deals with narrow reads. */
    public static final AccessConstraints ABAR_CONSTRAINTS = new AccessConstraints(1, 8, true, 1, 4, true);
    public static final AccessConstraints IDP_CONSTRAINTS = AccessConstraints.of(1, 4, 1, 4);

    private final PhysicalMemory memory;
    private final IrqLine intx;
    private final AhciPort[] ports = new AhciPort[PORTS];
    private int ghc = GHC_AE;
    private int irqStatus;
    private int idpIndex;
    private boolean pending;
    private boolean intxLevel;

    /** @param disk the disk on port 0, or null for an empty controller */
    public Ich9Ahci(PhysicalMemory memory, IrqLine intx, AtaDisk disk) {
        super("ich9-ahci", 0x8086, 0x2922, 0x02, 0x010601, 0x1AF4, 0x1100);
        this.memory = memory;
        this.intx = intx;
        DmaAccess dma = new DmaAccess(memory, this::busMasterEnabled);
        for (int i = 0; i < PORTS; i++) {
            ports[i] = new AhciPort(i == 0 ? disk : null, dma, this::checkIrq);
        }
        set8(HEADER_TYPE, 0x80);        // 00:1f is a multi-function device
        set16(STATUS, 0x0010);          // capability list
        set8(INTERRUPT_PIN, 1);
        set8(CAPABILITIES, MSI_CAP);
        set8(0x90, 1 << 6);             // ICH9 address map register: AHCI mode
        declareBar(IDP_BAR, BarKind.IO, IDP_SIZE, false);
        declareBar(ABAR, BarKind.MEMORY32, ABAR_SIZE, false);
        // MSI: id 5, next the SATA capability; 64-bit address, one vector.
        set8(MSI_CAP, 0x05);
        set8(MSI_CAP + 1, SATA_CAP);
        set16(MSI_CAP + 2, 0x0080);
        setWriteMask16(MSI_CAP + 2, 0x0071);
        setWriteMask32(MSI_CAP + 4, 0xFFFFFFFC);
        setWriteMask32(MSI_CAP + 8, 0xFFFFFFFF);
        setWriteMask16(MSI_CAP + 12, 0xFFFF);
        // SATA capability: revision 1.0, index/data pair in BAR4 at offset 4 dwords.
        set8(SATA_CAP, 0x12);
        set16(SATA_CAP + 2, 0x0010);
        set32(SATA_CAP + 4, (IDP_BAR + 4) | 4 << 4);
        reset();
    }

    /** Machine reset: the HBA reset (ports keep their CLB/FB, as in QEMU). */
    public void reset() {
        irqStatus = 0;
        ghc = GHC_AE;
        for (AhciPort p : ports) {
            p.hbaReset();
        }
        checkIrq();
    }

    @Override
    public RegionHandler barHandler(int index) {
        return switch (index) {
            case ABAR -> new RegionHandler() {
                @Override
                public long read(long offset, int size) {
                    return mmioRead((int) offset, size);
                }

                @Override
                public void write(long offset, int size, long value) {
                    mmioWrite((int) offset, value);
                }
            };
            case IDP_BAR -> new RegionHandler() {
                @Override
                public long read(long offset, int size) {
                    if (offset == IDP_INDEX) {
                        return idpIndex;
                    }
                    return offset == IDP_DATA ? mmioRead(idpIndex, size) : 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    if (offset == IDP_INDEX) {
                        idpIndex = (int) value & (ABAR_SIZE - 1) & ~3;
                    } else if (offset == IDP_DATA) {
                        mmioWrite(idpIndex, value);
                    }
                }
            };
            default -> super.barHandler(index);
        };
    }

    @Override
    public AccessConstraints barConstraints(int index) {
        return switch (index) {
            case ABAR -> ABAR_CONSTRAINTS;
            case IDP_BAR -> IDP_CONSTRAINTS;
            default -> super.barConstraints(index);
        };
    }

    /** Reads of any size and alignment come from the enclosing dwords, as in QEMU. */
    private long mmioRead(int offset, int size) {
        int aligned = offset & ~3;
        long v = read32(aligned) & 0xFFFFFFFFL;
        int shift = 8 * (offset - aligned);
        if (shift / 8 + size > 4) {
            v |= (read32(aligned + 4) & 0xFFFFFFFFL) << 32;
        }
        v >>>= shift;
        return size == 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    /** QEMU ignores misaligned writes and treats narrower aligned ones as dword writes of the value. */
    private void mmioWrite(int offset, long value) {
        if ((offset & 3) != 0) {
            return;
        }
        write32(offset, (int) value);
    }

    private int read32(int offset) {
        if (offset >= PORT_BASE && offset < PORT_BASE + PORTS * PORT_SIZE) {
            return ports[(offset - PORT_BASE) / PORT_SIZE].read((offset - PORT_BASE) % PORT_SIZE);
        }
        return switch (offset) {
            case CAP -> CAP_VALUE;
            case GHC -> ghc;
            case IS -> irqStatus;
            case PI -> (1 << PORTS) - 1;
            case VS -> VERSION_1_0;
            default -> 0;
        };
    }

    private void write32(int offset, int value) {
        if (offset >= PORT_BASE && offset < PORT_BASE + PORTS * PORT_SIZE) {
            ports[(offset - PORT_BASE) / PORT_SIZE].write((offset - PORT_BASE) % PORT_SIZE, value);
            return;
        }
        switch (offset) {
            case GHC -> {
                if ((value & GHC_HR) != 0) {
                    reset();
                } else {
                    ghc = (value & (GHC_HR | GHC_IE)) | GHC_AE;
                    checkIrq();
                }
            }
            case IS -> checkIrq(); // QEMU recomputes IS from the ports; writing it changes nothing else
            default -> { } // CAP, PI, VS are read-only; the rest is not implemented, as in QEMU
        }
    }

    /** Recomputes IS from the ports and drives INTA or sends the MSI message. */
    private void checkIrq() {
        irqStatus = 0;
        for (int i = 0; i < PORTS; i++) {
            if ((ports[i].irqStatus & ports[i].irqMask) != 0) {
                irqStatus |= 1 << i;
            }
        }
        pending = irqStatus != 0 && (ghc & GHC_IE) != 0;
        if (pending && msiEnabled()) {
            sendMsi();
        }
        updateIntx();
    }

    private boolean msiEnabled() {
        return (get16(MSI_CAP + 2) & 1) != 0;
    }

    private void sendMsi() {
        if (!busMasterEnabled()) {
            return;
        }
        long address = (get32(MSI_CAP + 4) & 0xFFFFFFFFL) | (long) get32(MSI_CAP + 8) << 32;
        memory.write(address, 4, get16(MSI_CAP + 12), 0);
    }

    /** INTA follows the pending interrupt unless MSI is on or the command register disables INTx. */
    private void updateIntx() {
        boolean effective = pending && !msiEnabled() && (get16(COMMAND) & (1 << 10)) == 0;
        if (effective != intxLevel) {
            intxLevel = effective;
            intx.setLevel(effective);
        }
    }

    @Override
    protected void configWritten(int offset, int size, int value) {
        if (offset <= COMMAND + 1 && offset + size > COMMAND || offset <= MSI_CAP + 2 && offset + size > MSI_CAP + 2) {
            updateIntx(); // INTx disable or MSI enable changed; no message is sent for an old interrupt
        }
    }
}
