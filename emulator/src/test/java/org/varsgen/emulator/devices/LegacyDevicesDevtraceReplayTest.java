package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.time.VirtualClock;

/**
 * Replays the register accesses QEMU 7.2 recorded while the DEBUG OVMF booted (the device
 * traces in the shared firmware fixtures) against this package's devices: every write is
 * applied in order, and every read must return what QEMU returned, except where the answer
 * depends on time (the RTC's clock registers, UIP and update-ended flags).
 */
class LegacyDevicesDevtraceReplayTest {
    /** The QEMU regions this package implements. */
    private static final Set<String> OURS = Set.of("pic", "elcr", "pit", "pcspk", "rtc-index", "rtc", "serial",
            "i8042-cmd", "i8042-data", "apic-msi", "ioapic", "isa-debugcon", "ioport80", "hpet");

    private record Result(int reads, int matched, int timeMasked, int skippedTimeDependent, int writes,
                          List<String> mismatches) { }

    /** The device set of the reference machine, wired as the board will wire it. */
    private static final class Machine {
        final List<Region> ioRegions;
        final List<Region> memoryRegions;

        Machine() {
            LegacyDevices devices = new LegacyDevices(new VirtualClock(), 1_700_000_000L, 256L << 20, 0);
            int[] geometry = PcCmosLayout.guessGeometry(64L << 20);   // the trace's 64 MiB FAT disk
            PcCmosLayout.hardDisk0(devices.rtc, geometry[0], geometry[1], geometry[2]);
            ioRegions = devices.ioRegions();
            memoryRegions = devices.memoryRegions();
        }

        Region find(String qemuName, long address) {
            boolean memory = qemuName.equals("apic-msi") || qemuName.equals("ioapic") || qemuName.equals("hpet");
            for (Region r : memory ? memoryRegions : ioRegions) {
                if (address >= r.base() && address < r.end()) {
                    return r;
                }
            }
            return null;
        }
    }

    private static Result replay(String traceName) {
        Machine m = new Machine();
        int reads = 0;
        int matched = 0;
        int timeMasked = 0;
        int skipped = 0;
        int writes = 0;
        int rtcIndex = 0;
        List<String> mismatches = new ArrayList<>();
        for (QemuDeviceTrace.Line l : QemuDeviceTrace.lines(traceName)) {
            if (!l.isAccess() || l.byDevice() || !OURS.contains(l.region())) {
                continue;     // debug text, and accesses a device (not the CPU) made
            }
            long address = l.address();
            int size = l.size();
            long value = l.value();
            Region region = m.find(l.region(), address);
            if (region == null || !region.name().equals(l.region())) {
                mismatches.add(l.number() + ": " + l.text() + " reached " + (region == null ? "nothing" : region.name()));
                continue;
            }
            assertTrue(size >= region.constraints().validMin() && size <= region.constraints().validMax(),
                    "line " + l.number() + ": size " + size + " is valid for " + region.name());
            long offset = address - region.base();
            boolean rtcData = region.name().equals("rtc");
            if (l.write()) {
                writes++;
                split(region, offset, size, value, true);
                if (region.name().equals("rtc-index")) {
                    rtcIndex = (int) value & 0x7F;
                }
                continue;
            }
            reads++;
            long got = split(region, offset, size, 0, false);
            long mask = -1L;
            if (rtcData && rtcIndex <= 9) {
                skipped++;
                continue;
            }
            if (rtcData && rtcIndex == Mc146818Rtc.REG_A) {
                mask = 0x7F;                  // UIP depends on where in the second the read fell
            } else if (rtcData && rtcIndex == Mc146818Rtc.REG_C) {
                mask = ~0x10L;                // so does the update-ended flag
            }
            if ((got & mask) == (value & mask)) {
                matched++;
                if (mask != -1L) {
                    timeMasked++;
                }
            } else {
                mismatches.add(l.number() + ": " + l.text() + " but varsgen read 0x" + Long.toHexString(got));
            }
        }
        return new Result(reads, matched, timeMasked, skipped, writes, mismatches);
    }

    /** Splits an access wider than the region implements into little-endian pieces, as the bus does. */
    private static long split(Region region, long offset, int size, long value, boolean write) {
        int piece = Math.max(Math.min(size, region.constraints().implMax()), region.constraints().implMin());
        if (piece == size) {
            if (write) {
                region.handler().write(offset, size, value);
                return 0;
            }
            return region.handler().read(offset, size);
        }
        long result = 0;
        for (int i = 0; i < size; i += piece) {
            if (write) {
                region.handler().write(offset + i, piece, value >>> (8 * i));
            } else {
                result |= region.handler().read(offset + i, piece) << (8 * i);
            }
        }
        return result;
    }

    private static void check(String name, int minimumReads) {
        Result r = replay(name);
        System.out.printf("%s: %d reads of this package's registers, %d as QEMU answered (%d compared with the"
                        + " time-dependent bits masked), %d time-dependent RTC clock reads skipped, %d writes%n",
                name, r.reads(), r.matched(), r.timeMasked(), r.skippedTimeDependent(), r.writes());
        assertEquals(List.of(), r.mismatches().subList(0, Math.min(20, r.mismatches().size())));
        assertEquals(r.reads() - r.skippedTimeDependent(), r.matched());
        assertTrue(r.matched() >= minimumReads, "the trace exercised the devices: " + r.matched());
    }

    @Test
    void nosmmBootReadsWhatQemuAnswered() {
        check("devtrace-2025.02-debug-nosmm.log.xz", 5000);
    }

    @Test
    void smmEnrollJobReadsWhatQemuAnswered() {
        check("devtrace-2025.02-debug-smm-enroll.log.xz", 5000);
    }
}
