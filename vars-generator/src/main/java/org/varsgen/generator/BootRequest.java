package org.varsgen.generator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a {@link Booter} needs for one run.
 *
 * @param code            the firmware code image, mapped read-only as pflash unit 0
 * @param vars            a copy of the vars template, pflash unit 1, writable; the board must not
 *                        modify this array but return the final flash contents in the result
 * @param disk            the raw boot disk (the first AHCI port, as QEMU's {@code -drive file=...,format=raw})
 * @param oemStrings      SMBIOS type 11 strings, in order (QEMU's {@code -smbios type=11,value=...})
 * @param rtcEpochSecond  what the RTC must read for the whole run (see docs/generator.md: the
 *                        PK/KEK/db/dbx time stamps come from the RTC and must all equal it)
 * @param console         receives every byte COM1 sends and supplies what to type
 * @param wallClockLimit  host-time safety limit for the whole run
 * @param debugcon        where to write the bytes the guest sends to I/O port 0x402, if anywhere
 */
public record BootRequest(Flavor flavor, byte[] code, byte[] vars, byte[] disk, List<String> oemStrings,
        long rtcEpochSecond, ConsoleSession console, Duration wallClockLimit, Optional<Path> debugcon) {
    public BootRequest {
        oemStrings = List.copyOf(oemStrings);
    }
}
