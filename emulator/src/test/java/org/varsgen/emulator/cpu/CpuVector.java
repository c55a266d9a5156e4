package org.varsgen.emulator.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reference vector made by scripts/gen-cpu-vectors.py: a single instruction, the machine
 * state it starts from and the state unicorn left after it (format in docs/cpu-testing.md).
 *
 * <p>Registers a vector does not list start from {@link #defaultGpr}; outputs list only what
 * changed, so every register not listed must keep its input value.
 */
public record CpuVector(String group, int index, int mode, byte[] code, String text,
                        Registers in, List<MemoryRun> memoryIn, Registers out, List<MemoryRun> memoryOut,
                        int exception, long flagMask) {

    /** The flags compared unless a vector narrows them: CF PF AF ZF SF TF IF DF OF IOPL NT AC ID. */
    public static final long DEFAULT_FLAG_MASK = 0x244FD5L;
    public static final int MXCSR_DEFAULT = 0x1F80;
    /** The x87 control word after FNINIT, which every vector starts from unless it says otherwise. */
    public static final int FCW_DEFAULT = 0x37F;

    /** The filler of registers a vector leaves unset (the generator's default_gpr). */
    public static long defaultGpr(int mode, int i) {
        return mode == 64 ? 0x5A5A5A5A5A5A5A00L | i : 0x5A5A5A00L | i;
    }

    /**
     * Register values by name as in the file: r0..r15, ip, fl, mx (MXCSR), cw and sw (x87 control
     * and status word), x0..x15 (128 bits, kept as {bits 0-63, bits 64-127}), and in real mode the
     * segment selectors es, cs, ss, ds, fs, gs (kept by index in encoding order); among the
     * outputs, out= lists the I/O writes in order.
     */
    public record Registers(Map<Integer, Long> gpr, Long rip, Long flags, Map<Integer, long[]> xmm, Integer mxcsr,
                            Integer fcw, Integer fsw, Map<Integer, Integer> segments, List<IoWrite> io) {
    }

    /** One OUT (or one OUTS iteration): port, size in bytes, value. */
    public record IoWrite(int port, int size, long value) {
        @Override
        public String toString() {
            return String.format("%x:%d:%x", port, size, value);
        }
    }

    static final List<String> SEGMENT_NAMES = List.of("es", "cs", "ss", "ds", "fs", "gs");

    public record MemoryRun(long address, byte[] bytes) {
    }

    public String describe() {
        return String.format("%s#%d %d-bit [%s] %s", group, index, mode, hex(code), text);
    }

    /** Parses one line of a vector file; the message of the exception says what is wrong. */
    public static CpuVector parse(String group, int index, String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 9) {
            throw new IllegalArgumentException("expected 9 tab-separated fields, found " + f.length);
        }
        int mode = Integer.parseInt(f[0]);
        if (mode != 16 && mode != 32 && mode != 64) {
            throw new IllegalArgumentException("mode must be 16, 32 or 64: " + f[0]);
        }
        int exception = f[7].equals("-") ? -1 : Integer.parseInt(f[7]);
        long flagMask = f[8].equals("-") ? DEFAULT_FLAG_MASK : Long.parseUnsignedLong(f[8], 16);
        return new CpuVector(group, index, mode, unhex(f[1]), f[2], registers(f[3]), memory(f[4]),
                registers(f[5]), memory(f[6]), exception, flagMask);
    }

    private static Registers registers(String field) {
        Map<Integer, Long> gpr = new TreeMap<>();
        Map<Integer, long[]> xmm = new TreeMap<>();
        Long rip = null;
        Long flags = null;
        Integer mxcsr = null;
        Integer fcw = null;
        Integer fsw = null;
        Map<Integer, Integer> segments = new TreeMap<>();
        List<IoWrite> io = new ArrayList<>();
        for (String item : field.split(" ")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("register item without '=': " + item);
            }
            String name = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (SEGMENT_NAMES.contains(name)) {
                segments.put(SEGMENT_NAMES.indexOf(name), Integer.parseUnsignedInt(value, 16));
                continue;
            }
            switch (name.charAt(0)) {
                case 'r' -> gpr.put(Integer.parseInt(name.substring(1)), Long.parseUnsignedLong(value, 16));
                case 'x' -> xmm.put(Integer.parseInt(name.substring(1)), xmmValue(value));
                default -> {
                    switch (name) {
                        case "ip" -> rip = Long.parseUnsignedLong(value, 16);
                        case "fl" -> flags = Long.parseUnsignedLong(value, 16);
                        case "mx" -> mxcsr = Integer.parseUnsignedInt(value, 16);
                        case "cw" -> fcw = Integer.parseUnsignedInt(value, 16);
                        case "sw" -> fsw = Integer.parseUnsignedInt(value, 16);
                        case "out" -> {
                            for (String w : value.split(";")) {
                                String[] p = w.split(":");
                                if (p.length != 3) {
                                    throw new IllegalArgumentException("I/O write is not port:size:value: " + w);
                                }
                                io.add(new IoWrite(Integer.parseInt(p[0], 16), Integer.parseInt(p[1]),
                                        Long.parseUnsignedLong(p[2], 16)));
                            }
                        }
                        default -> throw new IllegalArgumentException("unknown register " + name);
                    }
                }
            }
        }
        return new Registers(gpr, rip, flags, xmm, mxcsr, fcw, fsw, segments, io);
    }

    private static long[] xmmValue(String hex) {
        if (hex.length() > 32) {
            throw new IllegalArgumentException("XMM value wider than 128 bits: " + hex);
        }
        String padded = "0".repeat(32 - hex.length()) + hex;
        return new long[] {Long.parseUnsignedLong(padded.substring(16), 16), Long.parseUnsignedLong(padded.substring(0, 16), 16)};
    }

    private static List<MemoryRun> memory(String field) {
        List<MemoryRun> runs = new ArrayList<>();
        if (field.equals("-")) {
            return runs;
        }
        for (String item : field.split(",")) {
            int colon = item.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("memory item without ':': " + item);
            }
            runs.add(new MemoryRun(Long.parseLong(item.substring(0, colon), 16), unhex(item.substring(colon + 1))));
        }
        return runs;
    }

    static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s);
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
