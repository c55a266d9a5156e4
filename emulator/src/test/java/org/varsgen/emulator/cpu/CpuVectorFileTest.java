package org.varsgen.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checks the committed reference vectors themselves (no CPU needed): every group file is there,
 * made by the current generator version from unicorn 2.0.1, parses, covers all three modes, and
 * each vector's memory lies inside the test machine's RAM.
 */
class CpuVectorFileTest {
    @Test
    void everyGroupParsesAndCoversAllModes() {
        int total = 0;
        long seed = -1;
        for (String group : CpuVectorFile.GROUPS) {
            CpuVectorFile.Contents c = CpuVectorFile.load(group);
            assertEquals(group, c.header().group(), "group named in the header of " + group);
            assertEquals(CpuVectorFile.GENERATOR_VERSION, c.header().generatorVersion(), "generator version of " + group);
            assertEquals("2.0.1", c.header().unicornVersion(), "unicorn version of " + group);
            if (seed < 0) {
                seed = c.header().seed();
            }
            assertEquals(seed, c.header().seed(), "all groups come from one seed");
            Set<Integer> modes = new HashSet<>();
            for (CpuVector v : c.vectors()) {
                modes.add(v.mode());
                // one instruction of at most 15 bytes, or a sequence (" | " in the text, x87arith)
                int limit = v.text().contains(" | ") ? 15 * (v.text().split(" \\| ").length) : 15;
                assertTrue(v.code().length >= 1 && v.code().length <= limit, v.describe() + ": instruction length");
                assertTrue(v.out().rip() != null && v.out().flags() != null, v.describe() + ": outputs name RIP and RFLAGS");
                for (CpuVector.MemoryRun r : v.memoryIn()) {
                    assertTrue(r.address() >= 0 && r.address() + r.bytes().length <= VectorMachine.PML4,
                            v.describe() + ": input memory inside RAM and below the page tables");
                }
            }
            assertEquals(Set.of(16, 32, 64), modes, group + " covers 16-, 32- and 64-bit code");
            total += c.vectors().size();
        }
        assertTrue(total > 10_000, "several thousand vectors in all: " + total);
    }
}
