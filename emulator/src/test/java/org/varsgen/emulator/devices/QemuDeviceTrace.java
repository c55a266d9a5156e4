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
 * The one reader of QEMU's condensed device traces (../firmware/qemu-reference/devtrace-*.log.xz,
 * written by shared/tools/condense-qemu-trace.py): lines {@code R|W region address size value},
 * {@code (device)} appended for accesses a device made, runs of PM timer reads collapsed to
 * {@code R acpi-tmr 0x608 4 x<count> <first>..<last>}, and {@code # text} lines for the debug
 * console. Tests that use it skip when the shared firmware fixtures are not on this machine.
 */
public final class QemuDeviceTrace {
    /** One access; {@code value} is what QEMU's handler saw or answered. */
    public record Access(boolean write, String region, long address, int size, long value) { }

    /**
     * One line of a trace. For accesses, {@code repeat} is 1, or the run length of a collapsed
     * line (whose {@code value} is then the first value read); {@code text} is the line as written.
     */
    public record Line(int number, String text, boolean write, String region, long address, int size,
                       long value, int repeat, boolean byDevice) {
        /** A debug-console text line ({@code # ...}) or anything that is not an access. */
        public boolean isAccess() {
            return region != null;
        }
    }

    private QemuDeviceTrace() {
    }

    /** A fixture file, or the test is skipped with the reason. */
    public static Path fixture(String relative) {
        return FirmwareFixtures.require(relative);
    }

    /** Every line of the trace {@code traceName} (in qemu-reference/), in order (some 50,000 lines). */
    public static List<Line> lines(String traceName) {
        Path p = fixture("qemu-reference/" + traceName);
        List<Line> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new XZInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            int number = 0;
            for (String text; (text = r.readLine()) != null; ) {
                lines.add(parse(++number, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
        return lines;
    }

    static Line parse(int number, String text) {
        String[] f = text.split(" ");
        if (!(text.startsWith("R ") || text.startsWith("W ")) || f.length < 5) {
            return new Line(number, text, false, null, 0, 0, 0, 0, false);
        }
        boolean collapsed = f[4].startsWith("x");
        int repeat = collapsed ? Integer.parseInt(f[4].substring(1)) : 1;
        String valueText = collapsed ? f[5].substring(0, f[5].indexOf("..")) : f[4];
        return new Line(number, text, f[0].equals("W"), f[1], Long.decode(f[2]), Integer.parseInt(f[3]),
                Long.parseUnsignedLong(valueText.substring(2), 16), repeat, text.endsWith("(device)"));
    }

    /** The single (not collapsed) accesses to the regions whose names are given, in order. */
    public static List<Access> accesses(String traceName, String... regions) {
        List<String> wanted = List.of(regions);
        List<Access> out = new ArrayList<>();
        for (Line l : lines(traceName)) {
            if (l.isAccess() && l.repeat() == 1 && wanted.contains(l.region())) {
                out.add(new Access(l.write(), l.region(), l.address(), l.size(), l.value()));
            }
        }
        return out;
    }
}
