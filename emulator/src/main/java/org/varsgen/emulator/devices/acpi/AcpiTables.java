package org.varsgen.emulator.devices.acpi;

import java.nio.charset.StandardCharsets;

/**
 * varsgen's own ACPI tables for the q35 board, in the three fw_cfg files through which QEMU
 * hands its tables to OVMF: etc/acpi/tables (FACS, DSDT, FADT, MADT, RSDT; padded to 128 KiB as
 * QEMU pads its blob, so the firmware allocates the same amount of ACPI memory),
 * etc/acpi/rsdp (a 20-byte ACPI 1.0 RSDP) and etc/table-loader (the script that links them).
 *
 * <p>Why provide tables at all: the OVMF builds Debian ships use QemuFwCfgAcpiPlatformDxe,
 * which has no built-in tables, and with S3 advertised (etc/system-states, as QEMU does)
 * AcpiS3SaveDxe asserts that a FACS exists. The tables are written from the ACPI 6 specification
 * for what the firmware uses (FACS, the FADT's PM register blocks, reset register and RTC
 * century index, the MADT's interrupt controllers); the DSDT holds only the \_S5 sleep
 * package, since no operating system is ever booted. See docs/firmware-interfaces.md.
 */
public final class AcpiTables {
    public static final String TABLES_FILE = "etc/acpi/tables";
    public static final String RSDP_FILE = "etc/acpi/rsdp";
    public static final String LOADER_FILE = "etc/table-loader";
    /** QEMU's sizes for the tables blob and the loader script (legacy-compatible padding). */
    public static final int TABLES_BLOB_SIZE = 128 * 1024, LOADER_SIZE = 4096;

    /** The ICH9 power-management I/O block as OVMF programs it (PMBASE 0x600). */
    public static final int PM_BASE = 0x600;
    public static final int SCI_IRQ = 9;
    private static final int HEADER = 36;
    private static final String OEM_ID = "VARSGN";
    private static final String OEM_TABLE_ID = "VARSGEN ";

    private final byte[] tables = new byte[TABLES_BLOB_SIZE];
    private final byte[] rsdp = new byte[20];
    private final byte[] loader;
    private int used;

    /** @param cpus the CPUs (local APIC ids 0 to cpus-1) the MADT lists */
    public AcpiTables(int cpus) {
        int facs = place(facs(), 64);
        int dsdt = place(dsdt(), 4);
        int fadt = place(fadt(facs, dsdt), 4);
        int madt = place(madt(cpus), 4);
        int rsdt = place(rsdt(fadt, madt), 4);
        put(rsdp, 0, "RSD PTR ");
        put(rsdp, 9, OEM_ID);
        TableLoaderScript.putLe(rsdp, 16, rsdt, 4);

        TableLoaderScript script = new TableLoaderScript()
                .allocate(RSDP_FILE, 16, TableLoaderScript.ZONE_FSEG)
                .allocate(TABLES_FILE, 64, TableLoaderScript.ZONE_HIGH)
                .addChecksum(TABLES_FILE, dsdt + 9, dsdt, length(dsdt))
                .addPointer(TABLES_FILE, TABLES_FILE, fadt + 36, 4)
                .addPointer(TABLES_FILE, TABLES_FILE, fadt + 40, 4)
                .addChecksum(TABLES_FILE, fadt + 9, fadt, length(fadt))
                .addChecksum(TABLES_FILE, madt + 9, madt, length(madt))
                .addPointer(TABLES_FILE, TABLES_FILE, rsdt + HEADER, 4)
                .addPointer(TABLES_FILE, TABLES_FILE, rsdt + HEADER + 4, 4)
                .addChecksum(TABLES_FILE, rsdt + 9, rsdt, length(rsdt))
                .addPointer(RSDP_FILE, TABLES_FILE, 16, 4)
                .addChecksum(RSDP_FILE, 8, 0, 20);
        loader = script.bytes(LOADER_SIZE);
    }

    public byte[] tablesBlob() {
        return tables.clone();
    }

    public byte[] rsdpBlob() {
        return rsdp.clone();
    }

    public byte[] loaderScript() {
        return loader.clone();
    }

    private int place(byte[] table, int align) {
        int at = (used + align - 1) / align * align;
        System.arraycopy(table, 0, tables, at, table.length);
        used = at + table.length;
        return at;
    }

    private int length(int at) {
        return (tables[at + 4] & 0xFF) | (tables[at + 5] & 0xFF) << 8 | (tables[at + 6] & 0xFF) << 16;
    }

    private static byte[] facs() {
        byte[] t = new byte[64];
        put(t, 0, "FACS");
        TableLoaderScript.putLe(t, 4, 64, 4);
        return t;
    }

    /** DefinitionBlock with Name (_S5, Package (4) {0, 0, 0, 0}): SLP_TYP 0 is S5 on ICH9 as QEMU wires it. */
    private static byte[] dsdt() {
        byte[] aml = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
        byte[] t = header("DSDT", HEADER + aml.length, 1);
        System.arraycopy(aml, 0, t, HEADER, aml.length);
        return t;
    }

    /** An ACPI 2.0 (revision 3) FADT; FIRMWARE_CTRL and DSDT hold blob offsets that the loader relocates. */
    private static byte[] fadt(int facs, int dsdt) {
        byte[] t = header("FACP", 244, 3);
        le(t, 36, facs, 4);
        le(t, 40, dsdt, 4);
        le(t, 46, SCI_IRQ, 2);
        le(t, 48, 0xB2, 4);          // SMI_CMD: the APM control port
        t[52] = 0x02;                // ACPI_ENABLE and ACPI_DISABLE values for port 0xB2
        t[53] = 0x03;
        le(t, 56, PM_BASE, 4);       // PM1a event
        le(t, 64, PM_BASE + 4, 4);   // PM1a control
        le(t, 76, PM_BASE + 8, 4);   // PM timer
        le(t, 80, PM_BASE + 0x20, 4); // GPE0
        t[88] = 4;
        t[89] = 2;
        t[91] = 4;
        t[92] = 0x10;
        le(t, 96, 0xFFF, 2);         // C2 and C3 not supported
        le(t, 98, 0xFFF, 2);
        t[108] = 0x32;               // RTC CMOS index of the century
        le(t, 109, 0x0002, 2);       // IA-PC boot architecture: 8042 present
        // Flags: WBINVD, C1 on all processors, sleep button as control method, RTC wakes from S4,
        // reset register supported.
        le(t, 112, 1 | 1 << 2 | 1 << 5 | 1 << 7 | 1 << 10, 4);
        gas(t, 116, 8, 0xCF9);       // reset register: port 0xCF9, value 6
        t[128] = 0x06;
        gas(t, 148, 32, PM_BASE);
        gas(t, 172, 16, PM_BASE + 4);
        gas(t, 208, 32, PM_BASE + 8);
        gas(t, 220, 128, PM_BASE + 0x20);
        return t;
    }

    /** MADT: the local APICs, the IOAPIC, and the ISA interrupt overrides of the q35 wiring. */
    private static byte[] madt(int cpus) {
        byte[] t = header("APIC", HEADER + 8 + 8 * cpus + 12 + 5 * 10 + 6, 1);
        le(t, 36, 0xFEE00000L, 4);
        le(t, 40, 1, 4);             // PC-AT compatible 8259s present
        int at = 44;
        for (int cpu = 0; cpu < cpus; cpu++) {
            t[at] = 0; t[at + 1] = 8; t[at + 2] = (byte) cpu; t[at + 3] = (byte) cpu; le(t, at + 4, 1, 4);
            at += 8;
        }
        t[at] = 1; t[at + 1] = 12; t[at + 2] = 0; le(t, at + 4, 0xFEC00000L, 4); le(t, at + 8, 0, 4);
        at += 12;
        int[][] overrides = {{0, 2, 0}, {5, 5, 0xD}, {9, 9, 0xD}, {10, 10, 0xD}, {11, 11, 0xD}};
        for (int[] o : overrides) {
            t[at] = 2; t[at + 1] = 10; t[at + 2] = 0; t[at + 3] = (byte) o[0];
            le(t, at + 4, o[1], 4);
            le(t, at + 8, o[2], 2);
            at += 10;
        }
        t[at] = 4; t[at + 1] = 6; t[at + 2] = (byte) 0xFF; le(t, at + 3, 0, 2); t[at + 5] = 1; // NMI on LINT1
        return t;
    }

    private static byte[] rsdt(int fadt, int madt) {
        byte[] t = header("RSDT", HEADER + 8, 1);
        le(t, HEADER, fadt, 4);
        le(t, HEADER + 4, madt, 4);
        return t;
    }

    private static byte[] header(String signature, int length, int revision) {
        byte[] t = new byte[length];
        put(t, 0, signature);
        le(t, 4, length, 4);
        t[8] = (byte) revision;
        put(t, 10, OEM_ID);
        put(t, 16, OEM_TABLE_ID);
        le(t, 24, 1, 4);
        put(t, 28, "VGEN");
        le(t, 32, 1, 4);
        return t;
    }

    private static void gas(byte[] t, int at, int bitWidth, long ioPort) {
        t[at] = 1; // system I/O space
        t[at + 1] = (byte) bitWidth;
        le(t, at + 4, ioPort, 8);
    }

    private static void le(byte[] t, int at, long v, int size) {
        TableLoaderScript.putLe(t, at, v, size);
    }

    private static void put(byte[] b, int at, String s) {
        byte[] ascii = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, b, at, ascii.length);
    }
}
