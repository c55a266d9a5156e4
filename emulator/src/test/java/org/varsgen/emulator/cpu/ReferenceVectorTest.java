package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.varsgen.emulator.time.VirtualClock;

/**
 * Replays every reference vector (scripts/gen-cpu-vectors.py, unicorn 2.0.1) on {@link Cpu}:
 * one dynamic test per vector, grouped by instruction group, and a summary line at the end.
 */
class ReferenceVectorTest {
    /** Per group: {vectors run, vectors passed}. Tree map: the summary prints in a stable order. */
    private static final Map<String, int[]> COUNTS = new TreeMap<>();
    private final VectorMachine machine = new VectorMachine();

    @TestFactory
    Stream<DynamicNode> vectors() {
        List<DynamicNode> groups = new ArrayList<>();
        for (String group : CpuVectorFile.GROUPS) {
            List<CpuVector> vectors = CpuVectorFile.load(group).vectors();
            groups.add(DynamicContainer.dynamicContainer(group, vectors.stream()
                    .map(v -> DynamicTest.dynamicTest(v.describe(), () -> replay(v)))));
        }
        return groups.stream();
    }

    private void replay(CpuVector v) {
        int[] count = COUNTS.computeIfAbsent(v.group(), g -> new int[2]);
        count[0]++;
        machine.loadMemory(v);
        VectorIo io = new VectorIo();
        Cpu cpu = new Cpu(machine.memory(), io, InterruptPins.NONE, new VirtualClock());
        cpu.powerOnReset();
        cpu.setRflags(VectorMachine.loadState(v, cpu.state()));
        cpu.setTrapExceptions(true);
        long start = cpu.state().rip;
        cpu.step();
        // a REP string instruction may retire one iteration per step (interruptible, as on
        // hardware): keep stepping while it stays at the same instruction
        // a sequence vector (x87arith: instructions separated by " | ") runs to its end
        if (v.text().contains(" | ")) {
            long end = start + v.code().length;
            for (int i = 0; i < 32 && cpu.lastException() < 0 && cpu.state().rip != end; i++) {
                cpu.step();
            }
        }
        if (v.text().contains("rep")) {
            for (int i = 0; i < 64 && cpu.lastException() < 0 && cpu.state().rip == start; i++) {
                cpu.step();
            }
        }
        List<String> diffs = machine.compare(v, cpu.state(), cpu.rflags(), cpu.lastException(), io.writes());
        if (!diffs.isEmpty()) {
            fail(v.describe() + "\n  " + String.join("\n  ", diffs));
        }
        count[1]++;
    }

    @AfterAll
    static void summary() {
        int total = 0;
        int passed = 0;
        StringBuilder sb = new StringBuilder("Reference vectors per group (passed/run):");
        for (Map.Entry<String, int[]> e : COUNTS.entrySet()) {
            sb.append(String.format("%n  %-8s %6d/%d", e.getKey(), e.getValue()[1], e.getValue()[0]));
            total += e.getValue()[0];
            passed += e.getValue()[1];
        }
        System.out.println(sb);
        System.out.println(total + " vectors, " + passed + " passed");
    }
}
