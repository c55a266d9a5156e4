import java.nio.file.Files;
import java.nio.file.Path;

import org.varsgen.emulator.devices.acpi.AcpiTables;

/**
 * Writes varsgen's ACPI fw_cfg blobs (loader.bin, tables.bin, rsdp.bin) into the directory given,
 * for scripts/check-acpi-with-qemu.sh. Run as a single-file program with the emulator's classes
 * on the class path.
 */
public class DumpAcpiTables {
    public static void main(String[] args) throws Exception {
        AcpiTables t = new AcpiTables(1);
        Files.write(Path.of(args[0], "loader.bin"), t.loaderScript());
        Files.write(Path.of(args[0], "tables.bin"), t.tablesBlob());
        Files.write(Path.of(args[0], "rsdp.bin"), t.rsdpBlob());
    }
}
