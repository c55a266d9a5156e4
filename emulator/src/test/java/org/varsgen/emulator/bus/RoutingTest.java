package org.varsgen.emulator.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Overlap, priorities, layers, SMM visibility and the RAM fast path. */
class RoutingTest {
    private static final int SMM = PhysicalMemory.ATTR_SMM;
    private final SystemMemory memory = new SystemMemory(1 << 20);
    private final Region ram = memory.add(Region.ram("ram", 0, 1 << 20, 0, false));

    private static RegionHandler constant(long value) {
        return new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return value;
            }

            @Override
            public void write(long offset, int size, long v) {
            }
        };
    }

    @Test
    void higherPriorityWinsAndLaterAddedWinsTies() {
        memory.add(Region.mmio("a", 0x1000, 0x1000, constant(0xA), AccessConstraints.ANY).withPriority(1));
        memory.add(Region.mmio("b", 0x1800, 0x1000, constant(0xB), AccessConstraints.ANY).withPriority(1));
        memory.add(Region.mmio("low", 0x1000, 0x3000, constant(0xC), AccessConstraints.ANY).withPriority(-1));
        assertEquals(0xAL, memory.read(0x1000, 1, 0));
        assertEquals(0xBL, memory.read(0x1800, 1, 0));
        assertEquals(0xBL, memory.read(0x2400, 1, 0));
        assertEquals(0L, memory.read(0x2800, 1, 0), "RAM (priority 0) beats the -1 region");
    }

    @Test
    void disablingAndMovingRegionsReroutesAndBumpsTheGeneration() {
        Region r = memory.add(Region.mmio("r", 0x3000, 0x1000, constant(0x77), AccessConstraints.ANY).withPriority(1));
        memory.write(0x5000, 1, 0x42, 0);
        long g = memory.mappingGeneration();
        assertEquals(0x77L, memory.read(0x3000, 1, 0));
        r.setEnabled(false);
        assertNotEquals(g, memory.mappingGeneration());
        assertEquals(0L, memory.read(0x3000, 1, 0));
        r.setEnabled(true);
        r.setBase(0x5000);
        assertEquals(0x77L, memory.read(0x5000, 1, 0));
        memory.remove(r);
        assertEquals(0x42L, memory.read(0x5000, 1, 0));
    }

    @Test
    void smmOnlyAndNonSmmOnlyRegions() {
        memory.write(0x8000, 4, 0x12345678, SMM);
        memory.add(Region.mmio("blackhole", 0x8000, 0x1000, constant(0xFFFFFFFFL), AccessConstraints.of(1, 4, 4, 4))
                .withPriority(1).withVisibility(Region.Visibility.NON_SMM_ONLY));
        memory.add(Region.ram("smm-alias", 0xF0000, 0x1000, 0x8000, false)
                .withPriority(1).withVisibility(Region.Visibility.SMM_ONLY));
        assertEquals(0xFFL, memory.read(0x8000, 1, 0));
        assertEquals(0x12345678L, memory.read(0x8000, 4, SMM));
        assertEquals(0x12345678L, memory.read(0xF0000, 4, SMM));
        assertEquals(0L, memory.read(0xF0000, 4, 0));
        memory.write(0x8000, 4, 0, 0);
        assertEquals(0x12345678L, memory.read(0x8000, 4, SMM), "non-SMM writes to the black hole are dropped");
        assertEquals(-1L, memory.ramOffset(0x8000, 0, false));
        assertEquals(0x8000L, memory.ramOffset(0x8000, SMM, true));
        assertEquals(0x8000L, memory.ramOffset(0xF0123, SMM, false));
    }

    @Test
    void pciWindowShowsThePciLayerOrNothing() {
        memory.write(0xE0000, 1, 0x99, 0);
        memory.add(Region.mmio("isa-bios", 0xE0000, 0x10000, constant(0x5A), AccessConstraints.ANY)
                .withPriority(1).inPciSpace());
        assertEquals(0x99L, memory.read(0xE0000, 1, 0), "RAM hides the PCI layer");
        Region window = memory.add(Region.pciWindow("pam-pci", 0xD0000, 0x20000).withPriority(1));
        assertEquals(0x5AL, memory.read(0xE0000, 1, 0));
        assertEquals(0L, memory.read(0xD0000, 1, 0), "nothing in the PCI layer there: unassigned");
        memory.write(0xD0000, 1, 0x33, 0);
        window.setEnabled(false);
        assertEquals(0L, memory.read(0xD0000, 1, 0), "the write went nowhere");
        assertEquals(0x99L, memory.read(0xE0000, 1, 0));
        assertSame(ram, memory.regionAt(0xE0000, 0));
    }

    @Test
    void readOnlyRamDropsWritesAndIsNotWritableForTheFastPath() {
        memory.write(0xC0000, 1, 0x11, 0);
        memory.add(Region.ram("pam-rom", 0xC0000, 0x4000, 0xC0000, true).withPriority(1));
        memory.write(0xC0000, 1, 0x22, 0);
        assertEquals(0x11L, memory.read(0xC0000, 1, 0));
        assertEquals(0xC0000L, memory.ramOffset(0xC0000, 0, false));
        assertEquals(-1L, memory.ramOffset(0xC0000, 0, true));
    }

    @Test
    void unassignedMemoryReadsZeroAndTheFastPathRefusesPartialPages() {
        assertEquals(0L, memory.read(0xFED40000L, 1, 0));
        assertEquals(0L, memory.read(0xFED40014L, 4, 0));
        memory.add(Region.mmio("small", 0x9100, 0x100, constant(1), AccessConstraints.ANY).withPriority(1));
        assertEquals(-1L, memory.ramOffset(0x9000, 0, false));
        assertEquals(0xA000L, memory.ramOffset(0xA010, 0, true));
        assertEquals(-1L, memory.ramOffset(0x200000, 0, false));
    }
}
