package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.varsgen.emulator.bus.BusTrace;

/**
 * Replays, in order, every access of QEMU's device trace of a real OVMF boot that targets the
 * chipset devices modelled here (MCH and LPC/SMBus configuration through 0xCF8/0xCFC and ECAM,
 * the PM block, APM, CPU hotplug, 0xCF9, port 0x92, the debug console and POST port), writes
 * applied and reads compared, and requires that our trace line for each access equals QEMU's:
 * same region name, address, size and value. PM timer values are timing and are not compared
 * (their reads are made, so the clock moves); accesses to the AHCI function 00:1f.2 belong to
 * another device model and are skipped.
 */
class ChipsetDevtraceReplayTest {
    private static final Set<String> REGIONS = Set.of("pci-conf-idx", "pci-conf-data", "pcie-mmcfg-mmio",
            "acpi-evt", "acpi-cnt", "acpi-tmr", "acpi-gpe0", "acpi-smi", "apm-io", "acpi-cpu-hotplug",
            "lpc-reset-control", "port92", "isa-debugcon", "ioport80", "pm-smbus", "lpc-rcrb-mmio");
    private static final int AHCI_DEVFN = 31 << 3 | 2;


    @ParameterizedTest
    @ValueSource(strings = {"devtrace-2025.02-debug-nosmm.log.xz", "devtrace-2025.02-debug-smm-enroll.log.xz"})
    void everyReadOfOurDevicesAnswersWhatQemuAnswered(String traceName) {
        ChipsetFixture f = new ChipsetFixture(1 << 20);
        StringWriter out = new StringWriter();
        BusTrace ours = new BusTrace(out);
        f.io.setTrace(ours);
        f.memory.setTrace(ours);
        long configAddress = 0;
        int reads = 0, readsMatched = 0, writes = 0, writesMatched = 0, timerReads = 0, smiCommands = 0;
        List<String> mismatches = new ArrayList<>();
        for (QemuDeviceTrace.Line l : QemuDeviceTrace.lines(traceName)) {
            if (!l.isAccess() || l.byDevice() || !REGIONS.contains(l.region())) {
                continue;
            }
            boolean write = l.write();
            long address = l.address();
            int size = l.size();
            if (l.region().equals("acpi-tmr")) {
                f.io.setTrace(null);
                for (int i = 0; i < l.repeat(); i++) {
                    f.io.read((int) address, size);
                }
                f.io.setTrace(ours);
                timerReads += l.repeat();
                continue;
            }
            long value = l.value();
            int devfn = l.region().equals("pcie-mmcfg-mmio") ? (int) (address >>> 12) & 0xFF
                    : l.region().equals("pci-conf-data") ? (int) (configAddress >>> 8) & 0xFF : -1;
            if (devfn == AHCI_DEVFN) {
                continue;
            }
            if (l.region().equals("pci-conf-idx") && write) {
                configAddress = value;
            }
            if (l.region().equals("apm-io") && write && address == 0xB2 && value != 2 && value != 3) {
                smiCommands++;
            }
            boolean memory = l.region().equals("pcie-mmcfg-mmio") || l.region().equals("lpc-rcrb-mmio");
            if (write) {
                if (memory) {
                    f.memory.write(address, size, value, 0);
                } else {
                    f.io.write((int) address, size, value);
                }
            } else if (memory) {
                f.memory.read(address, size, 0);
            } else {
                f.io.read((int) address, size);
            }
            ours.flush();
            String produced = out.toString().strip();
            out.getBuffer().setLength(0);
            boolean match = produced.equals(l.text());
            if (write) {
                writes++;
                writesMatched += match ? 1 : 0;
            } else {
                reads++;
                readsMatched += match ? 1 : 0;
            }
            if (!match && mismatches.size() < 20) {
                mismatches.add(traceName + ":" + l.number() + ": QEMU `" + l.text() + "`, varsgen `" + produced + "`");
            }
        }
        System.out.printf("%s: %d of %d reads and %d of %d writes match QEMU's trace line for line;"
                        + " %d PM timer reads made, values not compared; %d SMIs raised%n",
                traceName, readsMatched, reads, writesMatched, writes, timerReads, f.smis);
        assertTrue(reads > 1000, "the trace holds our devices' reads: " + reads);
        assertEquals(List.of(), mismatches);
        assertEquals(reads, readsMatched);
        assertEquals(1, f.powerOffs, "the run ends with the S5 write");
        assertEquals(smiCommands, f.smis, "every APM command after SMI_EN.APMC_EN raised an SMI");
    }
}
