package org.varsgen.emulator.bus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes device accesses in the format of QEMU's condensed device traces
 * (shared/tools/condense-qemu-trace.py, shared/firmware/qemu-reference/devtrace-*.log.xz), so
 * that varsgen's trace and QEMU's diff line by line:
 *
 * <ul>
 *   <li>{@code R|W <region> <address> <size> <value>}: one line per access the device sees,
 *       after splitting/widening, with the absolute address and the piece size; for reads the
 *       raw value the handler returned (QEMU logs it unmasked, e.g. 0xffffffffffffffff), for
 *       writes the piece's value; both lowercase hex with 0x; followed by {@code (device)}
 *       when a device, not the CPU, made the access (QEMU's cpu -1: MSI writes, DMA).</li>
 *   <li>Consecutive reads of region {@code acpi-tmr} collapse to
 *       {@code R acpi-tmr 0x608 4 x<count> <first>..<last>} (the condenser writes 0x608 whatever
 *       the port).</li>
 *   <li>Bytes written to {@code isa-debugcon} collect into {@code # text} lines, one per
 *       non-blank line of output, flushed at a newline byte or before any other line.</li>
 *   <li>varsgen's extension: {@code X R|W <region> <address> <size> [value]} for an access the
 *       bus rejected (it never reached a device; QEMU's trace has no line for it).</li>
 * </ul>
 * Give it a UTF-8 writer to match the condenser byte for byte (it prints debug text decoded as
 * latin-1 through Python's UTF-8 stdout). Output errors surface as {@link UncheckedIOException}.
 */
public final class BusTrace {
    private static final String TIMER = "acpi-tmr";
    private static final String DEBUGCON = "isa-debugcon";

    private final Writer out;
    private long timerReads;
    private long timerFirst;
    private long timerLast;
    private final StringBuilder text = new StringBuilder();

    public BusTrace(Writer out) {
        this.out = out;
    }

    /** One access as the device saw it, made by the CPU. */
    public void access(boolean write, String region, long address, int size, long value) {
        access(write, region, address, size, value, false);
    }

    /** One access as the device saw it, made by the CPU or ({@code byDevice}) by a device. */
    public void access(boolean write, String region, long address, int size, long value, boolean byDevice) {
        if (!write && TIMER.equals(region)) {
            flushText();
            if (timerReads == 0) {
                timerFirst = value;
            }
            timerLast = value;
            timerReads++;
            return;
        }
        if (write && DEBUGCON.equals(region)) {
            flushTimer();
            text.append((char) (value & 0xFF));
            if (value == 10) {
                flushText();
            }
            return;
        }
        flushTimer();
        flushText();
        emit((write ? "W " : "R ") + region + " 0x" + Long.toHexString(address) + " " + size
                + " 0x" + Long.toHexString(value) + (byDevice ? " (device)" : "") + "\n");
    }

    /** An access the bus rejected. */
    public void rejected(boolean write, String region, long address, int size, long value, boolean byDevice) {
        flushTimer();
        flushText();
        emit("X " + (write ? "W " : "R ") + region + " 0x" + Long.toHexString(address) + " " + size
                + (write ? " 0x" + Long.toHexString(value) : "") + (byDevice ? " (device)" : "") + "\n");
    }

    /** Writes out pending collapsed lines and flushes the writer; call at the end of a run. */
    public void flush() {
        flushTimer();
        flushText();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the I/O trace", e);
        }
    }

    private void flushTimer() {
        if (timerReads > 0) {
            emit("R acpi-tmr 0x608 4 x" + timerReads + " 0x" + Long.toHexString(timerFirst)
                    + "..0x" + Long.toHexString(timerLast) + "\n");
            timerReads = 0;
        }
    }

    private void flushText() {
        if (text.length() == 0) {
            return;
        }
        for (String part : text.toString().split("\n", -1)) {
            if (!isBlank(part)) {
                emit("# " + stripTrailingCarriageReturns(part) + "\n");
            }
        }
        text.setLength(0);
    }

    /** Python's str.strip() test on latin-1 text: whitespace includes 0x1c-0x1f, 0x85 and 0xa0. */
    private static boolean isBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean space = (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0;
            if (!space) {
                return false;
            }
        }
        return true;
    }

    private static String stripTrailingCarriageReturns(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        return s.substring(0, end);
    }

    private void emit(String line) {
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the I/O trace", e);
        }
    }
}
