package org.varsgen.emulator.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.varsgen.emulator.bus.RamOnlyMemory;

/**
 * The machine a reference vector runs on, laid out as in scripts/gen-cpu-vectors.py: 2 MiB of
 * RAM, the instruction at linear 0x10100, data at 0x21000-0x23000, the stack below 0x2F000.
 *
 * <p>16-bit vectors run in real mode with CS = 0x1000 and the data segments at 0x2000; 32-bit
 * ones in flat protected mode; 64-bit ones in long mode through identity-mapped page tables at
 * {@link #PML4} (2 MiB page, accessed and dirty bits preset so that the walk writes nothing).
 * CR4.OSFXSR/OSXMMEXCPT are set in every mode, as on the reference; the x87 registers are
 * all empty and the control and status words are the vector's (FNINIT values by default).
 */
public final class VectorMachine {
    public static final int RAM_SIZE = 0x200000;
    public static final long CODE = 0x10100;
    public static final int CS16 = 0x1000;
    public static final int DS16 = 0x2000;
    static final long PML4 = 0x1F0000;

    private static final int ATTR_CODE = 0x9B;
    private static final int ATTR_DATA = 0x93;

    private final RamOnlyMemory memory = new RamOnlyMemory(RAM_SIZE);
    private final byte[] baseline = new byte[RAM_SIZE];
    private final byte[] expected = new byte[RAM_SIZE];

    public VectorMachine() {
        writeLong(baseline, PML4, (PML4 + 0x1000) | 0x23);           // present, writable, accessed
        writeLong(baseline, PML4 + 0x1000, (PML4 + 0x2000) | 0x23);
        writeLong(baseline, PML4 + 0x2000, 0xE3);                      // 2 MiB page at 0, dirty
        System.arraycopy(baseline, 0, memory.ram(), 0, RAM_SIZE);
        System.arraycopy(baseline, 0, expected, 0, RAM_SIZE);
    }

    public RamOnlyMemory memory() {
        return memory;
    }

    /** Puts the vector's code and input memory into RAM, and its expected writes into the reference image. */
    public void loadMemory(CpuVector v) {
        byte[] ram = memory.ram();
        restore(ram);
        restore(expected);
        for (CpuVector.MemoryRun run : v.memoryIn()) {
            System.arraycopy(run.bytes(), 0, ram, (int) run.address(), run.bytes().length);
            System.arraycopy(run.bytes(), 0, expected, (int) run.address(), run.bytes().length);
        }
        System.arraycopy(v.code(), 0, ram, (int) CODE, v.code().length);
        System.arraycopy(v.code(), 0, expected, (int) CODE, v.code().length);
        for (CpuVector.MemoryRun run : v.memoryOut()) {
            System.arraycopy(run.bytes(), 0, expected, (int) run.address(), run.bytes().length);
        }
    }

    private void restore(byte[] image) {
        // cheaper than copying 2 MiB each time: only pages that can differ from the baseline
        if (Arrays.mismatch(image, baseline) >= 0) {
            System.arraycopy(baseline, 0, image, 0, RAM_SIZE);
        }
    }

    /** Sets mode, registers and flags; returns the RFLAGS value to give the CPU. */
    public static long loadState(CpuVector v, CpuState s) {
        int mode = v.mode();
        SegmentCache[] seg = s.segments;
        s.cr4 = CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT;
        s.efer = 0;
        switch (mode) {
            case 16 -> {
                s.cr0 = CpuState.CR0_ET;
                for (int i = 0; i < 6; i++) {
                    int sel = v.in().segments().getOrDefault(i, realModeSelector(i));
                    seg[i].load(sel, sel * 16L, 0xFFFF, i == CpuState.CS ? ATTR_CODE : ATTR_DATA);
                }
            }
            case 32 -> {
                s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET;
                flat(seg, ATTR_CODE | SegmentCache.ATTR_DB);
            }
            default -> {
                s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_PG;
                s.cr3 = PML4;
                s.cr4 |= CpuState.CR4_PAE;
                s.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
                flat(seg, ATTR_CODE | SegmentCache.ATTR_L);
            }
        }
        for (int i = 0; i < 16; i++) {
            s.gpr[i] = i < 8 || mode == 64 ? CpuVector.defaultGpr(mode, i) : 0;
        }
        for (Map.Entry<Integer, Long> e : v.in().gpr().entrySet()) {
            s.gpr[e.getKey()] = e.getValue();
        }
        s.rip = mode == 16 ? CODE - CS16 * 16L : CODE;
        Arrays.fill(s.xmm, 0);
        for (Map.Entry<Integer, long[]> e : v.in().xmm().entrySet()) {
            s.xmm[2 * e.getKey()] = e.getValue()[0];
            s.xmm[2 * e.getKey() + 1] = e.getValue()[1];
        }
        s.mxcsr = v.in().mxcsr() != null ? v.in().mxcsr() : CpuVector.MXCSR_DEFAULT;
        s.fpuControlWord = v.in().fcw() != null ? v.in().fcw() : CpuVector.FCW_DEFAULT;
        s.fpuStatusWord = v.in().fsw() != null ? v.in().fsw() : 0;
        s.fpuTagWord = 0xFFFF;
        return v.in().flags();
    }

    private static int realModeSelector(int segment) {
        return segment == CpuState.CS ? CS16 : DS16;
    }

    private static void flat(SegmentCache[] seg, int codeAttributes) {
        for (int i = 0; i < 6; i++) {
            seg[i].load(0x10, 0, 0xFFFFFFFFL, ATTR_DATA | SegmentCache.ATTR_DB | SegmentCache.ATTR_G);
        }
        seg[CpuState.CS].load(0x08, 0, 0xFFFFFFFFL, codeAttributes | SegmentCache.ATTR_G);
    }

    /**
     * Compares the CPU's state after the instruction with the vector's expectation; returns one
     * line per difference (empty when everything matches).
     */
    public List<String> compare(CpuVector v, CpuState s, long rflags, int exception, List<CpuVector.IoWrite> io) {
        List<String> diffs = new ArrayList<>();
        if (!io.equals(v.out().io())) {
            diffs.add("I/O writes: expected " + v.out().io() + ", got " + io);
        }
        int mode = v.mode();
        // outside 64-bit mode the upper halves of the registers are undefined
        long regMask = mode == 64 ? -1L : 0xFFFFFFFFL;
        if (exception != v.exception()) {
            diffs.add(String.format("exception: expected %s, got %s", vec(v.exception()), vec(exception)));
        }
        for (int i = 0; i < (mode == 64 ? 16 : 8); i++) {
            long want = v.out().gpr().getOrDefault(i, v.in().gpr().getOrDefault(i, CpuVector.defaultGpr(mode, i)));
            if (((s.gpr[i] ^ want) & regMask) != 0) {
                diffs.add(String.format("r%d: expected %x, got %x", i, want & regMask, s.gpr[i] & regMask));
            }
        }
        long ripWant = v.out().rip();
        if (((s.rip ^ ripWant) & regMask) != 0) {
            diffs.add(String.format("rip: expected %x, got %x", ripWant, s.rip & regMask));
        }
        long flWant = v.out().flags();
        if (((rflags ^ flWant) & v.flagMask()) != 0) {
            diffs.add(String.format("rflags: expected %x, got %x (differing %x, compared %x)",
                    flWant, rflags, (rflags ^ flWant) & v.flagMask(), v.flagMask()));
        }
        for (int i = 0; i < 16; i++) {
            long[] want = v.out().xmm().getOrDefault(i, v.in().xmm().getOrDefault(i, new long[2]));
            if (s.xmm[2 * i] != want[0] || s.xmm[2 * i + 1] != want[1]) {
                diffs.add(String.format("xmm%d: expected %016x%016x, got %016x%016x", i, want[1], want[0],
                        s.xmm[2 * i + 1], s.xmm[2 * i]));
            }
        }
        int mxWant = v.out().mxcsr() != null ? v.out().mxcsr()
                : v.in().mxcsr() != null ? v.in().mxcsr() : CpuVector.MXCSR_DEFAULT;
        if (s.mxcsr != mxWant) {
            diffs.add(String.format("mxcsr: expected %x, got %x", mxWant, s.mxcsr));
        }
        if (mode == 16) {
            // the reference reports selectors; in real mode each base must follow its selector
            for (int i = 0; i < 6; i++) {
                int want = v.out().segments().getOrDefault(i, v.in().segments().getOrDefault(i, realModeSelector(i)));
                SegmentCache c = s.segments[i];
                if (c.selector != want || c.base != want * 16L) {
                    diffs.add(String.format("%s: expected selector %04x base %x, got selector %04x base %x",
                            CpuVector.SEGMENT_NAMES.get(i), want, want * 16L, c.selector, c.base));
                }
            }
        }
        int cwWant = v.out().fcw() != null ? v.out().fcw() : v.in().fcw() != null ? v.in().fcw() : CpuVector.FCW_DEFAULT;
        if (s.fpuControlWord != cwWant) {
            diffs.add(String.format("x87 control word: expected %x, got %x", cwWant, s.fpuControlWord));
        }
        int swWant = v.out().fsw() != null ? v.out().fsw() : v.in().fsw() != null ? v.in().fsw() : 0;
        if (s.fpuStatusWord != swWant) {
            diffs.add(String.format("x87 status word: expected %x, got %x", swWant, s.fpuStatusWord));
        }
        byte[] ram = memory.ram();
        int at = Arrays.mismatch(ram, expected);
        int reported = 0;
        while (at >= 0 && reported < 8) {
            int end = at;
            while (end < RAM_SIZE && end - at < 16 && ram[end] != expected[end]) {
                end++;
            }
            diffs.add(String.format("memory %x: expected %s, got %s", at,
                    CpuVector.hex(Arrays.copyOfRange(expected, at, end)), CpuVector.hex(Arrays.copyOfRange(ram, at, end))));
            reported++;
            int next = Arrays.mismatch(ram, end, RAM_SIZE, expected, end, RAM_SIZE);
            at = next < 0 ? -1 : end + next;
        }
        return diffs;
    }

    private static String vec(int v) {
        return v < 0 ? "none" : "#" + v;
    }

    private static void writeLong(byte[] b, long at, long value) {
        for (int i = 0; i < 8; i++) {
            b[(int) at + i] = (byte) (value >>> (8 * i));
        }
    }
}
