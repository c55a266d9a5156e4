import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.varsgen.emulator.bus.IoBus;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.cpu.Cpu;
import org.varsgen.emulator.cpu.CpuState;
import org.varsgen.emulator.cpu.InterruptPins;
import org.varsgen.emulator.cpu.SegmentCache;
import org.varsgen.emulator.time.VirtualClock;

/**
 * Asks the CPU core which instruction forms it implements: runs each form's example encoding
 * (from scripts/instruction-inventory.py --examples) once in 64-, 32- and 16-bit code with
 * exceptions trapped, and prints "form TAB status" where status is "implemented" when some mode
 * runs it without #UD, "#UD" when none does, and "BUG: ..." when the core throws a Java exception.
 *
 * <p>Single-file program, not part of the build (it needs the Cpu class of the cpu branch):
 * {@code java -cp emulator/target/classes scripts/InstructionProbe.java examples.tsv > docs/instruction-status.tsv}
 */
public class InstructionProbe {
    private static final long CODE = 0x10100;
    private static final long PML4 = 0x1F0000;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: InstructionProbe EXAMPLES.tsv");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        System.out.println("# form\tstatus (from scripts/InstructionProbe.java)");
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 2) {
                System.err.println(args[0] + ": malformed line: " + line);
                System.exit(1);
            }
            byte[] code = unhex(f[1]);
            boolean ud2 = f[0].startsWith("ud2");
            String status = "#UD";
            for (int mode : new int[] {64, 32, 16}) {
                int exc;
                try {
                    exc = run(code, mode);
                } catch (RuntimeException e) {
                    // the core must turn every encoding into guest behaviour, never a Java error
                    status = "BUG: " + e.getClass().getSimpleName() + " in " + mode + "-bit code";
                    break;
                }
                if (ud2 ? exc == 6 : exc != 6) {
                    status = "implemented";
                    break;
                }
            }
            System.out.println(f[0] + "\t" + status);
        }
    }

    private static int run(byte[] code, int mode) {
        RamOnlyMemory mem = new RamOnlyMemory(0x200000);
        byte[] ram = mem.ram();
        System.arraycopy(code, 0, ram, (int) CODE, code.length);
        putLong(ram, PML4, (PML4 + 0x1000) | 0x23);
        putLong(ram, PML4 + 0x1000, (PML4 + 0x2000) | 0x23);
        putLong(ram, PML4 + 0x2000, 0xE3);
        IoBus io = new IoBus() {
            @Override public long read(int port, int size) { return 0xFFFFFFFFL >>> (32 - 8 * size); }
            @Override public void write(int port, int size, long value) { }
        };
        Cpu cpu = new Cpu(mem, io, InterruptPins.NONE, new VirtualClock());
        cpu.powerOnReset();
        CpuState s = cpu.state();
        s.cr4 = CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT;
        int data = 0x93 | SegmentCache.ATTR_DB | SegmentCache.ATTR_G;
        for (int i = 0; i < 6; i++) {
            s.segments[i].load(0x10, 0, 0xFFFFFFFFL, data);
        }
        if (mode == 64) {
            s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_PG;
            s.cr3 = PML4;
            s.cr4 |= CpuState.CR4_PAE;
            s.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
            s.segments[CpuState.CS].load(0x08, 0, 0xFFFFFFFFL, 0x9B | SegmentCache.ATTR_L | SegmentCache.ATTR_G);
        } else if (mode == 32) {
            s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET;
            s.segments[CpuState.CS].load(0x08, 0, 0xFFFFFFFFL, 0x9B | SegmentCache.ATTR_DB | SegmentCache.ATTR_G);
        } else {
            s.cr0 = CpuState.CR0_ET;
            for (int i = 0; i < 6; i++) {
                s.segments[i].load(0, 0, 0xFFFF, 0x93);
            }
            s.segments[CpuState.CS].load(0x1000, 0x10000, 0xFFFF, 0x9B);
        }
        // every register points at harmless RAM, so memory operands mostly resolve
        for (int i = 0; i < 16; i++) {
            s.gpr[i] = 0x8000;
        }
        s.gpr[CpuState.RCX] = 1;
        s.gpr[CpuState.RDX] = 0x80;
        s.rip = mode == 16 ? CODE - 0x10000 : CODE;
        cpu.setTrapExceptions(true);
        cpu.step();
        return cpu.lastException();
    }

    private static void putLong(byte[] b, long at, long v) {
        for (int i = 0; i < 8; i++) {
            b[(int) at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static byte[] unhex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
