package org.varsgen.emulator.devices.fwcfg;

import java.util.List;

import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.devices.acpi.AcpiTables;
import org.varsgen.emulator.devices.smbios.SmbiosTables;

/**
 * Fills a {@link FwCfg} with what QEMU 7.2 provides on Debian's edk2-vars-generator command line
 * (q35, -m 256, one CPU, -nodefaults, pflash firmware, optional -smbios type=11 strings).
 *
 * <p>Compared with QEMU's directory (captured in emulator/src/test/resources/qemu-fwcfg), the
 * files have the same names, sizes, selectors and order, with two deliberate differences:
 * genroms/kvmvapic.bin (QEMU's vapic option ROM, which only SeaBIOS loads; OVMF never reads it) is absent, and
 * the ACPI files carry varsgen's own tables ({@link AcpiTables}) at QEMU's blob sizes.
 */
public final class Q35FwCfg {
    /** The machine facts the items describe. */
    public record Config(long ramBytes, int cpus, List<String> oemStrings) {
        public Config {
            if (ramBytes <= 0 || ramBytes % (1 << 20) != 0) {
                throw new IllegalArgumentException("RAM size must be a positive number of MiB: " + ramBytes);
            }
            if (cpus < 1) {
                throw new IllegalArgumentException("at least one CPU: " + cpus);
            }
            oemStrings = List.copyOf(oemStrings);
        }
    }

    /** QEMU's etc/system-states: S0, S3 (value 1), S4 (value 2) and S5 (value 0) enabled, S1/S2 not. */
    static final byte[] SYSTEM_STATES = {(byte) 0x80, 0, 0, (byte) 0x81, (byte) 0x82, (byte) 0x80};
    /** QEMU's HPET description for key 0x8004: one block, id 0x8086a201 at 0xFED00000. */
    private static final int HPET_BLOCK_ID = 0x8086A201;
    private static final long HPET_ADDRESS = 0xFED00000L;

    private Q35FwCfg() {
    }

    /** A device with every item and file; the returned negotiation tells the LPC what was agreed. */
    public static Result create(PhysicalMemory dmaMemory, Config config) {
        FwCfg fw = new FwCfg(dmaMemory);
        fw.addItem(FwCfg.UUID, new byte[16]);
        fw.addItem(FwCfg.RAM_SIZE, le(config.ramBytes(), 8));
        fw.addItem(FwCfg.NOGRAPHIC, le(0, 2));
        fw.addItem(FwCfg.NB_CPUS, le(config.cpus(), 2));
        fw.addItem(FwCfg.MAX_CPUS, le(config.cpus(), 2));
        fw.addItem(FwCfg.BOOT_MENU, le(0, 2));
        fw.addItem(FwCfg.NUMA, new byte[8 + 8 * config.cpus()]);
        fw.addItem(FwCfg.IRQ0_OVERRIDE, le(1, 4));
        fw.addItem(FwCfg.E820_TABLE, le(0, 4)); // the legacy table: no reserved entries
        byte[] hpet = new byte[1 + 8 * 15];
        hpet[0] = 1;
        System.arraycopy(le(HPET_BLOCK_ID, 4), 0, hpet, 1, 4);
        System.arraycopy(le(HPET_ADDRESS, 8), 0, hpet, 5, 8);
        fw.addItem(FwCfg.HPET, hpet);

        E820Table e820 = E820Table.q35(config.ramBytes());
        SmbiosTables smbios = new SmbiosTables(SmbiosTables.q35(config.ramBytes(), config.cpus(), config.oemStrings()));
        AcpiTables acpi = new AcpiTables(config.cpus());
        fw.addFile("bios-geometry", new byte[0]);
        fw.addFile("bootorder", new byte[0]);
        fw.addFile(AcpiTables.RSDP_FILE, acpi.rsdpBlob());
        fw.addFile(AcpiTables.TABLES_FILE, acpi.tablesBlob());
        fw.addFile("etc/boot-fail-wait", le(-1, 4));
        fw.addFile("etc/e820", e820.bytes());
        fw.addFile("etc/smbios/smbios-anchor", smbios.anchor());
        fw.addFile("etc/smbios/smbios-tables", smbios.tables());
        SmiFeatureNegotiation smi = new SmiFeatureNegotiation(
                SmiFeatureNegotiation.BROADCAST | SmiFeatureNegotiation.CPU_HOTPLUG
                        | SmiFeatureNegotiation.CPU_HOT_UNPLUG);
        smi.install(fw);
        fw.addFile("etc/system-states", SYSTEM_STATES.clone());
        fw.addFile(AcpiTables.LOADER_FILE, acpi.loaderScript());
        fw.addFile("etc/tpm/log", new byte[0]);
        return new Result(fw, smi);
    }

    /** The device and the SMI negotiation state that the LPC bridge consults. */
    public record Result(FwCfg fwCfg, SmiFeatureNegotiation smiFeatures) { }

    private static byte[] le(long v, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
