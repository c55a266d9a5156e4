package org.varsgen.emulator.devices;

import java.util.Arrays;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The ICH9 power-management I/O block at PMBASE (QEMU hw/acpi/ich9.c and hw/acpi/core.c), with
 * QEMU's region names and access declarations:
 *
 * <pre>
 *   +0x00 acpi-evt   PM1 status (write 1 to clear) and enable, valid 1..2, impl 2
 *   +0x04 acpi-cnt   PM1 control: SCI_EN, SLP_TYP, SLP_EN; valid 1..2, impl 2
 *   +0x08 acpi-tmr   the PM timer ({@link AcpiPmTimer})
 *   +0x20 acpi-gpe0  GPE0 status (8 bytes, write 1 to clear) then enable (8 bytes); byte-wise
 *   +0x30 acpi-smi   SMI_EN and SMI_STS, dword accesses only
 * </pre>
 * Other offsets of the 128-byte block are holes (all ones). The block decodes only while the LPC
 * sets a base (PMBASE with ACPI_EN). SLP_EN with SLP_TYP 0 (QEMU's _S5) or 2 (its _S4) powers
 * the machine off; SLP_TYP 1 (S3) is ignored: this machine never suspends. The SCI follows
 * QEMU's rule: (PM1 status and enable share TMR/GBL/PWRBTN/RTC) or (GPE0 byte 0 status and
 * enable share a bit); the PM timer's bit-23 overflow sets TMR_STS, and a virtual-clock timer
 * raises the SCI for it when TMR_EN is set. TCO (+0x60) is not modelled: OVMF never touches it.
 */
public final class Ich9PowerManagement {
    public static final int SIZE = 0x80;
    public static final int PM1_STS_TMR = 1, PM1_STS_GBL = 1 << 5, PM1_STS_PWRBTN = 1 << 8, PM1_STS_RTC = 1 << 10;
    public static final int PM1_CNT_SCI_EN = 1, PM1_CNT_SLP_EN = 1 << 13;
    public static final int SMI_EN_GBL_SMI = 1, SMI_EN_APMC = 1 << 5;
    static final int EVT = 0x00, CNT = 0x04, TMR = 0x08, GPE0 = 0x20, SMI = 0x30;
    static final int GPE0_LEN = 16;
    private static final int PM1_SCI_SOURCES = PM1_STS_TMR | PM1_STS_GBL | PM1_STS_PWRBTN | PM1_STS_RTC;
    private static final int SLP_TYP_S5 = 0, SLP_TYP_S4 = 2;

    private final AcpiPmTimer timer;
    private final MachineControl machine;
    private final IrqLine sci;
    private final VirtualClock.Timer overflowTimer;
    private final Region[] regions;
    private int pm1Status;
    private int pm1Enable;
    private int pm1Control;
    private long overflowTicks;
    private final int[] gpeStatus = new int[GPE0_LEN / 2];
    private final int[] gpeEnable = new int[GPE0_LEN / 2];
    private long smiEnable;
    private long smiEnableMask = 0xFFFFFFFFL;

    public Ich9PowerManagement(IoSpace io, VirtualClock clock, long pmTimerReadQuantumNanos,
                               MachineControl machine, IrqLine sci) {
        this.timer = new AcpiPmTimer(clock, pmTimerReadQuantumNanos);
        this.machine = machine;
        this.sci = sci;
        this.overflowTimer = clock.newTimer("acpi-tmr overflow", this::updateSci);
        regions = new Region[] {
            Region.mmio("acpi-evt", EVT, 4, new Pm1Event(), new AccessConstraints(1, 2, false, 2, 2, false)),
            Region.mmio("acpi-cnt", CNT, 2, new Pm1Control(), new AccessConstraints(1, 2, false, 2, 2, false)),
            Region.mmio("acpi-tmr", TMR, 4, timer, AcpiPmTimer.CONSTRAINTS),
            Region.mmio("acpi-gpe0", GPE0, GPE0_LEN, new Gpe0(), AccessConstraints.of(1, 4, 1, 1)),
            Region.mmio("acpi-smi", SMI, 8, new SmiControl(), AccessConstraints.of(4, 4, 1, 4)),
        };
        for (Region r : regions) {
            r.setEnabled(false);
            io.add(r);
        }
    }

    /** Maps the block at {@code newBase}, or unmaps it when 0 (QEMU's ich9_pm_iospace_update). */
    public void setBase(int newBase) {
        int[] offsets = {EVT, CNT, TMR, GPE0, SMI};
        for (int i = 0; i < regions.length; i++) {
            regions[i].setBase(newBase + offsets[i]);
            regions[i].setEnabled(newBase != 0);
        }
    }

    /** Machine reset. */
    public void reset() {
        setBase(0);
        pm1Status = 0;
        pm1Enable = 0;
        pm1Control = 0;
        overflowTicks = 0;
        Arrays.fill(gpeStatus, 0);
        Arrays.fill(gpeEnable, 0);
        smiEnable = 0;
        smiEnableMask = 0xFFFFFFFFL;
        updateSci();
    }

    /** APM commands 0x02/0x03 (ACPI enable/disable) set or clear SCI_EN, as QEMU's acpi_pm1_cnt_update. */
    public void apmAcpiCommand(boolean enable) {
        if (enable) {
            pm1Control |= PM1_CNT_SCI_EN;
        } else {
            pm1Control &= ~PM1_CNT_SCI_EN;
        }
    }

    /** Whether a write to APM_CNT raises an SMI (SMI_EN.APMC_EN; GBL_SMI_EN is not checked, as in QEMU). */
    public boolean apmSmiEnabled() {
        return (smiEnable & SMI_EN_APMC) != 0;
    }

    /** GEN_PMCON_1.SMI_LOCK: GBL_SMI_EN becomes read-only until reset. */
    public void lockGlobalSmiEnable() {
        smiEnableMask &= ~SMI_EN_GBL_SMI;
    }

    private int pm1StatusNow() {
        if (timer.ticks() >= overflowTicks) {
            pm1Status |= PM1_STS_TMR;
        }
        return pm1Status;
    }

    private void updateSci() {
        int status = pm1StatusNow();
        boolean level = (status & pm1Enable & PM1_SCI_SOURCES) != 0 || (gpeStatus[0] & gpeEnable[0]) != 0;
        sci.setLevel(level);
        if ((pm1Enable & PM1_STS_TMR) != 0 && (status & PM1_STS_TMR) == 0) {
            overflowTimer.arm(AcpiPmTimer.nanosAt(overflowTicks));
        } else {
            overflowTimer.cancel();
        }
    }

    private final class Pm1Event implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            return switch ((int) offset) {
                case 0 -> pm1StatusNow();
                case 2 -> pm1Enable;
                default -> 0;
            };
        }

        @Override
        public void write(long offset, int size, long value) {
            int v = (int) (value & 0xFFFF);
            if (offset == 0) {
                if ((pm1StatusNow() & v & PM1_STS_TMR) != 0) {
                    // Acknowledging the overflow schedules the next one (bit 23 of the counter).
                    overflowTicks = (timer.ticks() + 0x800000L) & ~0x7FFFFFL;
                }
                pm1Status &= ~v;
                updateSci();
            } else if (offset == 2) {
                pm1Enable = v;
                updateSci();
            }
        }
    }

    private final class Pm1Control implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            return pm1Control >>> (8 * offset);
        }

        @Override
        public void write(long offset, int size, long value) {
            int v = (int) (value & 0xFFFF);
            if (offset == 1) {
                v = (v << 8 | (pm1Control & 0xFF)) & 0xFFFF;
            }
            pm1Control = v & ~PM1_CNT_SLP_EN;
            if ((v & PM1_CNT_SLP_EN) != 0) {
                int sleepType = (v >> 10) & 7;
                if (sleepType == SLP_TYP_S5 || sleepType == SLP_TYP_S4) {
                    machine.powerOff();
                }
            }
        }
    }

    private final class Gpe0 implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            int i = (int) offset;
            return i < GPE0_LEN / 2 ? gpeStatus[i] : gpeEnable[i - GPE0_LEN / 2];
        }

        @Override
        public void write(long offset, int size, long value) {
            int i = (int) offset;
            int v = (int) (value & 0xFF);
            if (i < GPE0_LEN / 2) {
                gpeStatus[i] &= ~v;
            } else {
                gpeEnable[i - GPE0_LEN / 2] = v;
            }
            updateSci();
        }
    }

    private final class SmiControl implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            // SMI_STS (+4) has no writable bits and nothing sets it here: it reads 0.
            return offset == 0 ? smiEnable : 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset == 0) {
                smiEnable = (smiEnable & ~smiEnableMask) | (value & smiEnableMask);
            }
        }
    }
}
