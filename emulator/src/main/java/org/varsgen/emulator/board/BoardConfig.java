package org.varsgen.emulator.board;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * What the q35 board is built from, as Debian's QEMU command line gives it (platform.md): RAM
 * size, the two pflash images (unit 0 code, read-only; unit 1 vars), at most one SATA disk on
 * AHCI port 0, SMBIOS type 11 OEM strings, the RTC's start time, where COM1, COM2 and the debug
 * console go, and an optional bus trace.
 *
 * @param ramBytes       guest RAM, a whole number of MiB below 2 GiB
 * @param codeName       name of the code image, for messages
 * @param code           pflash unit 0 (copied by the flash device)
 * @param varsName       name of the vars image
 * @param vars           pflash unit 1 (the board works on a copy)
 * @param diskName       name of the disk image, or null without a disk
 * @param disk           disk image bytes, or null
 * @param oemStrings     SMBIOS type 11 strings
 * @param rtcEpochSeconds the RTC's time at power-on (UTC seconds)
 * @param rtcFrozen      the RTC keeps showing that time (until the guest sets it) instead of
 *                       following guest time: the generator's way of making every time stamp
 *                       the firmware writes equal SOURCE_DATE_EPOCH
 * @param page1GbCpuid   advertise 1 GiB pages in CPUID (qemu64,+pdpe1gb): far fewer guest
 *                       instructions for page tables; off, CPUID is exactly QEMU's qemu64
 * @param com1           bytes the guest sends on COM1
 * @param com2           bytes the guest sends on COM2
 * @param debugcon       bytes written to port 0x402
 * @param trace          where the QEMU-devtrace-format bus trace goes, or null
 */
public record BoardConfig(long ramBytes, String codeName, byte[] code, String varsName, byte[] vars,
                          String diskName, byte[] disk, List<String> oemStrings, long rtcEpochSeconds,
                          boolean rtcFrozen, boolean page1GbCpuid,
                          IntConsumer com1, IntConsumer com2, IntConsumer debugcon, Writer trace) {
    public static final long DEFAULT_RAM = 256L << 20;
    /** 2023-01-01T00:00:00Z: the RTC start when neither SOURCE_DATE_EPOCH nor a time is given. */
    public static final long DEFAULT_EPOCH = 1_672_531_200L;

    public BoardConfig {
        Objects.requireNonNull(code, "code image");
        Objects.requireNonNull(vars, "vars image");
        if (ramBytes < (16L << 20) || ramBytes % (1L << 20) != 0 || ramBytes > (2048L << 20) - (1L << 20)) {
            throw new IllegalArgumentException("RAM size must be a whole number of MiB from 16 MiB to 2047 MiB: " + ramBytes);
        }
        oemStrings = List.copyOf(oemStrings);
        com1 = com1 == null ? b -> { } : com1;
        com2 = com2 == null ? b -> { } : com2;
        debugcon = debugcon == null ? b -> { } : debugcon;
    }

    public static Builder builder(String codeName, byte[] code, String varsName, byte[] vars) {
        return new Builder(codeName, code, varsName, vars);
    }

    /** Builder with Debian's defaults: 256 MiB, no disk, no OEM strings, the fixed epoch, sinks discarding. */
    public static final class Builder {
        private final String codeName;
        private final byte[] code;
        private final String varsName;
        private final byte[] vars;
        private long ramBytes = DEFAULT_RAM;
        private String diskName;
        private byte[] disk;
        private final List<String> oemStrings = new ArrayList<>();
        private long epoch = DEFAULT_EPOCH;
        private boolean rtcFrozen;
        private boolean page1GbCpuid;
        private IntConsumer com1;
        private IntConsumer com2;
        private IntConsumer debugcon;
        private Writer trace;

        private Builder(String codeName, byte[] code, String varsName, byte[] vars) {
            this.codeName = codeName;
            this.code = code;
            this.varsName = varsName;
            this.vars = vars;
        }

        public Builder ram(long bytes) {
            ramBytes = bytes;
            return this;
        }

        public Builder disk(String name, byte[] image) {
            diskName = name;
            disk = image;
            return this;
        }

        public Builder oemString(String s) {
            oemStrings.add(s);
            return this;
        }

        public Builder rtcEpochSeconds(long seconds) {
            epoch = seconds;
            return this;
        }

        /** The RTC stands still at its start time (see {@link BoardConfig#rtcFrozen()}). */
        public Builder rtcFrozen(boolean frozen) {
            rtcFrozen = frozen;
            return this;
        }

        /** Advertise 1 GiB pages in CPUID (see {@link BoardConfig#page1GbCpuid()}). */
        public Builder page1GbCpuid(boolean on) {
            page1GbCpuid = on;
            return this;
        }

        public Builder com1(IntConsumer sink) {
            com1 = sink;
            return this;
        }

        public Builder com2(IntConsumer sink) {
            com2 = sink;
            return this;
        }

        public Builder debugcon(IntConsumer sink) {
            debugcon = sink;
            return this;
        }

        public Builder trace(Writer out) {
            trace = out;
            return this;
        }

        public BoardConfig build() {
            return new BoardConfig(ramBytes, codeName, code, varsName, vars, diskName, disk, oemStrings, epoch,
                    rtcFrozen, page1GbCpuid, com1, com2, debugcon, trace);
        }
    }
}
