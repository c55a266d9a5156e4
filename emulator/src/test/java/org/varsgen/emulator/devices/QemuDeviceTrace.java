package org.varsgen.emulator.devices;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tukaani.xz.XZInputStream;
import org.varsgen.fixtures.FirmwareFixtures;

/**
 * The register accesses of QEMU's reference runs (../firmware/qemu-reference/devtrace-*.log.xz,
 * lines "R|W region address size value"), for replaying them against our devices. Tests that
 * use it skip when the shared firmware fixtures are not on this machine.
 */
public final class QemuDeviceTrace {
    /** One access; {@code value} is what QEMU's handler saw or answered. */
    public record Access(boolean write, String region, long address, int size, long value) { }

    private QemuDeviceTrace() {
    }

    /** A fixture file, or the test is skipped with the reason. */
    public static Path fixture(String relative) {
        return FirmwareFixtures.require(relative);
    }

    /** The accesses to the regions whose names are given, in order. */
    public static List<Access> accesses(String traceName, String... regions) {
        Path p = fixture("qemu-reference/" + traceName);
        List<String> wanted = List.of(regions);
        List<Access> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new XZInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!(line.startsWith("R ") || line.startsWith("W "))) {
                    continue;
                }
                String[] f = line.split(" ");
                if (f.length < 5 || !wanted.contains(f[1]) || f[4].startsWith("x")) {
                    continue;
                }
                out.add(new Access(f[0].equals("W"), f[1], Long.decode(f[2]), Integer.parseInt(f[3]),
                        Long.parseUnsignedLong(f[4].substring(2), 16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
        return out;
    }
}
