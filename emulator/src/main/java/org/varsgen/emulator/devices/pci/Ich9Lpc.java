package org.varsgen.emulator.devices.pci;

import java.util.function.IntFunction;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.SystemMemory;
import org.varsgen.emulator.devices.ApmPorts;
import org.varsgen.emulator.devices.CpuHotplugBlock;
import org.varsgen.emulator.devices.Ich9ChipsetConfig;
import org.varsgen.emulator.devices.Ich9PowerManagement;
import org.varsgen.emulator.devices.IrqLine;
import org.varsgen.emulator.devices.MachineControl;
import org.varsgen.emulator.devices.ResetControl;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The ICH9 LPC bridge 00:1f.0 (8086:2918, QEMU hw/isa/lpc_ich9.c) and the chipset functions it
 * owns: the power-management block at PMBASE ({@link Ich9PowerManagement}), the APM ports and
 * their SMI, the reset control register 0xCF9, the CPU hotplug block at 0x0CD8, and the root
 * complex register block at RCBA.
 *
 * <p>Configuration registers as QEMU presents them: PMBASE (0x40) reads 0x00000001 at reset and
 * decodes (base bits 15:7) only while ACPI_CNTL (0x44) has ACPI_EN (0x80); ACPI_CNTL bits 2:0
 * select the SCI's interrupt (9, 10, 11, 20, 21); PIRQA-H routing (0x60-0x63, 0x68-0x6B) reset
 * to 0x80 (routing disabled) and are plain bytes here: PCI INTx is not modelled (OVMF polls);
 * GEN_PMCON_1 (0xA0) bit 4 SMI_LOCK makes itself and SMI_EN.GBL_SMI_EN read-only; RCBA (0xF0)
 * reads 0x00000001 at reset and maps the block when bit 0 is set. Every other register from
 * 0x40 up is a plain read/write byte, as in QEMU.
 *
 * <p>APM: a write to 0xB2 of 0x02/0x03 sets/clears PM1_CNT.SCI_EN; any other value raises an SMI
 * through {@code smi} when SMI_EN.APMC_EN is set (QEMU's ich9_apm_ctrl_changed; with one CPU the
 * negotiated broadcast changes nothing).
 */
public final class Ich9Lpc extends PciFunction {
    public static final int VENDOR = 0x8086, DEVICE = 0x2918;
    public static final int PMBASE = 0x40, ACPI_CNTL = 0x44, PIRQA_ROUT = 0x60, PIRQE_ROUT = 0x68;
    public static final int LPC_EN = 0x82, GEN_PMCON_1 = 0xA0, RCBA = 0xF0;
    static final int ACPI_EN = 0x80, SMI_LOCK = 0x10, PMBASE_MASK = 0xFF80, RCBA_MASK = 0xFFFFC000;
    static final int APM_ACPI_ENABLE = 0x02, APM_ACPI_DISABLE = 0x03;

    private final Ich9PowerManagement pm;
    private final ResetControl resetControl;
    private final CpuHotplugBlock cpuHotplug;
    private final Ich9ChipsetConfig chipsetConfig = new Ich9ChipsetConfig();
    private final Region rcrb;
    private final Runnable smi;
    private final IntFunction<IrqLine> gsi;
    private int sciGsi = 9;
    private boolean sciLevel;

    /**
     * @param memory  where RCBA maps the root complex register block
     * @param io      the port space for PM block, APM, 0xCF9 and CPU hotplug
     * @param clock   the PM timer's clock
     * @param pmTimerReadQuantumNanos how far each PM timer read advances the clock ({@link org.varsgen.emulator.devices.AcpiPmTimer})
     * @param machine power-off and reset
     * @param smi     raises an SMI on the CPU
     * @param gsi     the interrupt line of each GSI, for the SCI
     * @param cpuCount CPUs present and possible
     */
    public Ich9Lpc(SystemMemory memory, IoSpace io, VirtualClock clock, long pmTimerReadQuantumNanos,
                   MachineControl machine, Runnable smi, IntFunction<IrqLine> gsi, int cpuCount) {
        super("ICH9-LPC", VENDOR, DEVICE, 2, 0x060100, 0x1AF4, 0x1100);
        this.smi = smi;
        this.gsi = gsi;
        set8(HEADER_TYPE, 0x80);
        setWriteMask8(0x0C, 0xFF);
        for (int at = 0x40; at < 0x100; at++) {
            setWriteMask8(at, 0xFF);
        }
        // QEMU's realize sets PMBASE's mask to bits 15:7 and then overwrites its low byte with
        // ACPI_EN | SCI_IRQ_SEL (0x87); the guest-visible result is kept.
        setWriteMask32(PMBASE, 0xFF87);
        pm = new Ich9PowerManagement(io, clock, pmTimerReadQuantumNanos, machine, this::setSci);
        io.add(new ApmPorts(this::apmControl).region());
        resetControl = new ResetControl(machine);
        io.add(resetControl.region());
        cpuHotplug = new CpuHotplugBlock(io, CpuHotplugBlock.ICH9_BASE, cpuCount, CpuHotplugBlock.LEGACY);
        rcrb = memory.add(Region.mmio("lpc-rcrb-mmio", 0, Ich9ChipsetConfig.SIZE, chipsetConfig,
                AccessConstraints.QEMU_DEFAULT).withPriority(1));
        rcrb.setEnabled(false);
        reset();
    }

    /** Machine reset: QEMU's ich9_lpc_reset and the PM block's reset. */
    public void reset() {
        for (int i = 0; i < 4; i++) {
            set8(PIRQA_ROUT + i, 0x80);
            set8(PIRQE_ROUT + i, 0x80);
        }
        set8(ACPI_CNTL, 0);
        set32(PMBASE, 1);
        set32(RCBA, 1);
        set16(GEN_PMCON_1, 0);
        setWriteMask16(GEN_PMCON_1, 0xFFFF);
        chipsetConfig.reset();
        resetControl.reset();
        cpuHotplug.reset();
        pm.reset();
        updatePmBase();
        updateRcba();
    }

    /**
     * Sets LPC_EN (0x82) from the legacy devices present, as QEMU does once the machine is built:
     * COM1 (0x3F8), COM2 (0x2F8), LPT (0x378), floppy (0x3F2).
     */
    public void machineReady(IoSpace io) {
        int en = 0;
        int[] ports = {0x3F8, 0x2F8, 0x378, 0x3F2};
        for (int i = 0; i < ports.length; i++) {
            if (io.regionAt(ports[i]) != null) {
                en |= 1 << i;
            }
        }
        set8(LPC_EN, get8(LPC_EN) | en);
    }

    public CpuHotplugBlock cpuHotplug() {
        return cpuHotplug;
    }

    @Override
    protected void configWritten(int offset, int size, int value) {
        if (overlaps(offset, size, PMBASE, 4) || overlaps(offset, size, ACPI_CNTL, 1)) {
            updatePmBase();
        }
        if (overlaps(offset, size, RCBA, 4)) {
            updateRcba();
        }
        if (overlaps(offset, size, GEN_PMCON_1, 8) && (get16(GEN_PMCON_1) & SMI_LOCK) != 0) {
            setWriteMask16(GEN_PMCON_1, 0xFFFF & ~SMI_LOCK);
            pm.lockGlobalSmiEnable();
        }
    }

    private static boolean overlaps(int offset, int size, int start, int length) {
        return offset < start + length && start < offset + size;
    }

    private void updatePmBase() {
        int acpi = get8(ACPI_CNTL);
        pm.setBase((acpi & ACPI_EN) != 0 ? get32(PMBASE) & PMBASE_MASK : 0);
        int selected = switch (acpi & 7) {
            case 0 -> 9;
            case 1 -> 10;
            case 2 -> 11;
            case 4 -> 20;
            case 5 -> 21;
            default -> -1;
        };
        if (selected >= 0 && selected != sciGsi) {
            if (sciLevel) {
                gsi.apply(sciGsi).setLevel(false);
                gsi.apply(selected).setLevel(true);
            }
            sciGsi = selected;
        }
    }

    private void updateRcba() {
        int rcba = get32(RCBA);
        rcrb.setBase(rcba & RCBA_MASK & 0xFFFFFFFFL);
        rcrb.setEnabled((rcba & 1) != 0);
    }

    private void setSci(boolean level) {
        if (level != sciLevel) {
            sciLevel = level;
            gsi.apply(sciGsi).setLevel(level);
        }
    }

    private void apmControl(int value) {
        if (value == APM_ACPI_ENABLE || value == APM_ACPI_DISABLE) {
            pm.apmAcpiCommand(value == APM_ACPI_ENABLE);
            return;
        }
        if (pm.apmSmiEnabled()) {
            smi.run();
        }
    }
}
