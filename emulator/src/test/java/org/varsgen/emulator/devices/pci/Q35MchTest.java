package org.varsgen.emulator.devices.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.PhysicalMemory;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.devices.ChipsetFixture;

class Q35MchTest {
    private static final int SMM = PhysicalMemory.ATTR_SMM;
    private final ChipsetFixture f = new ChipsetFixture(256 << 20);

    @Test
    void identityAndResetValuesAsQemuPresentsThem() {
        assertEquals(0x29C08086L, f.cf8Read(0, 0, 0x00, 4));
        assertEquals(0x06000000L, f.cf8Read(0, 0, 0x08, 4));
        assertEquals(0x11001AF4L, f.cf8Read(0, 0, 0x2C, 4));
        assertEquals(0x00L, f.cf8Read(0, 0, 0x0E, 1), "single-function");
        assertEquals(0xB0000000L, f.cf8Read(0, 0, 0x60, 4));
        assertEquals(0x02L, f.cf8Read(0, 0, 0x9D, 1));
        assertEquals(0x38L, f.cf8Read(0, 0, 0x9E, 1));
        assertEquals(0xFFFFL, f.cf8Read(0, 0, 0x50, 2));
        assertEquals(0L, f.cf8Read(0, 0, 0xB0, 2), "TOLUD is the firmware's to write");
        assertEquals(0L, f.memory.read(0xE0000000L, 4, 0), "ECAM is off at reset");
    }

    @Test
    void pciexbarPlacesEcam() {
        f.firmwareEarlySetup();
        assertEquals(0xE0000001L, f.cf8Read(0, 0, 0x60, 4));
        assertEquals(0x29C08086L, f.memory.read(0xE0000000L, 4, 0));
        assertEquals(0x29188086L, f.memory.read(0xE00F8000L, 4, 0));
        assertEquals(0x8086L, f.memory.read(0xE00F8000L, 2, 0));
        assertEquals(0x29L, f.memory.read(0xE00FB003L, 1, 0));
        f.cf8Write(0, 0, 0x60, 4, 0xE0000004L);  // 64 MiB, disabled
        assertEquals(0L, f.memory.read(0xE0000000L, 4, 0));
        f.cf8Write(0, 0, 0x60, 4, 0xC0000005L);  // 64 MiB at 0xC0000000
        assertEquals(0x29C08086L, f.memory.read(0xC0000000L, 4, 0));
        assertEquals(0L, f.memory.read(0xC4000000L, 4, 0), "beyond the 64 MiB window");
    }

    @Test
    void pamRoutesTheBiosAreaBetweenPciAndRam() {
        RegionHandler bios = new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return 0xA5A5A5A5L;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };
        f.memory.add(Region.mmio("isa-bios", 0xE0000, 0x20000, bios, AccessConstraints.ANY).withPriority(1).inPciSpace());
        f.memory.write(0xF0000, 1, 0x11, 0);  // lands nowhere: PAM0 = 0 shows the PCI layer
        assertEquals(0xA5L, f.memory.read(0xF0000, 1, 0));
        assertEquals(0L, f.memory.read(0xC0000, 1, 0), "no option ROM in the PCI layer: unassigned");
        f.cf8Write(0, 0, 0x90, 1, 0x30);          // PAM0 high nibble: RAM read/write
        f.memory.write(0xF0000, 1, 0x22, 0);
        assertEquals(0x22L, f.memory.read(0xF0000, 1, 0));
        assertEquals(0xF0000L, f.memory.ramOffset(0xF0000, 0, true));
        f.cf8Write(0, 0, 0x90, 1, 0x10);          // read-only RAM
        f.memory.write(0xF0000, 1, 0x33, 0);
        assertEquals(0x22L, f.memory.read(0xF0000, 1, 0));
        assertEquals(-1L, f.memory.ramOffset(0xF0000, 0, true));
        f.cf8Write(0, 0, 0x91, 1, 0x03);          // PAM1 low nibble: 0xC0000-0xC3FFF RAM
        f.memory.write(0xC0000, 1, 0x44, 0);
        assertEquals(0x44L, f.memory.read(0xC0000, 1, 0));
        assertEquals(0L, f.memory.read(0xC4000, 1, 0), "PAM1 high nibble still PCI");
        f.cf8Write(0, 0, 0x91, 1, 0x20);          // write-only mode: QEMU maps RAM read-write
        f.memory.write(0xC4000, 1, 0x55, 0);
        assertEquals(0x55L, f.memory.read(0xC4000, 1, 0));
    }

    @Test
    void tsegIsBlackHoleOutsideSmmOnceEnabledWithExtendedSize() {
        long tseg = ChipsetFixture.LOW_RAM - (16L << 20);
        f.memory.write(tseg, 4, 0xCAFEBABEL, 0);
        f.cf8Write(0, 0, 0x50, 2, 0xFFFF);
        assertEquals(16L, f.cf8Read(0, 0, 0x50, 2), "extended TSEG in MiB");
        f.cf8Write(0, 0, 0x9E, 1, 0x3F);          // SmmAccessPei: T_EN, TSEG_SZ=11b
        assertEquals(0x3FL, f.cf8Read(0, 0, 0x9E, 1));
        assertEquals(0xCAFEBABEL, f.memory.read(tseg, 4, 0), "G_SMRAME still off");
        f.cf8Write(0, 0, 0x9D, 1, 0x0A);          // G_SMRAME
        assertEquals(0xFFFFFFFFL, f.memory.read(tseg, 4, 0));
        assertEquals(0xFFL, f.memory.read(tseg + 3, 1, 0));
        f.memory.write(tseg, 4, 0, 0);
        assertEquals(0xCAFEBABEL, f.memory.read(tseg, 4, SMM));
        assertEquals(0L, f.memory.read(tseg - 4, 4, 0), "RAM below TSEG stays visible");
        f.cf8Write(0, 0, 0x9E, 1, 0x3E);          // SmmAccess Open: T_EN off
        assertEquals(0xCAFEBABEL, f.memory.read(tseg, 4, 0));
        f.cf8Write(0, 0, 0x9E, 1, 0x39);          // T_EN with 1 MiB
        assertEquals(1L << 20, f.mch.tsegBlackholeSize());
        assertEquals(0xCAFEBABEL, f.memory.read(tseg, 4, 0));
        assertEquals(0xFFFFFFFFL, f.memory.read(ChipsetFixture.LOW_RAM - 4, 4, 0));
    }

    @Test
    void dLckFreezesEsmramcAndLeavesOnlyDcls() {
        f.cf8Write(0, 0, 0x9E, 1, 0x3F);
        f.cf8Write(0, 0, 0x9D, 1, 0x0A);
        f.cf8Write(0, 0, 0x9D, 1, 0x1A | 0x40);   // lock, and try to open at once
        assertEquals(0x1AL, f.cf8Read(0, 0, 0x9D, 1), "D_OPEN forced off");
        f.cf8Write(0, 0, 0x9E, 1, 0x3E);
        assertEquals(0x3FL, f.cf8Read(0, 0, 0x9E, 1), "ESMRAMC read-only once locked");
        f.cf8Write(0, 0, 0x9D, 1, 0x00);
        assertEquals(0x1AL, f.cf8Read(0, 0, 0x9D, 1), "G_SMRAME and D_LCK stay");
        f.cf8Write(0, 0, 0x9D, 1, 0x20);
        assertEquals(0x3AL, f.cf8Read(0, 0, 0x9D, 1), "D_CLS is still writable");
        f.mch.reset();
        assertEquals(0x02L, f.cf8Read(0, 0, 0x9D, 1));
    }

    @Test
    void legacySmramWindowAtA0000() {
        f.cf8Write(0, 0, 0x9D, 1, 0x40);          // D_OPEN: RAM for everybody
        f.memory.write(0xA0000, 1, 0x66, 0);
        assertEquals(0x66L, f.memory.read(0xA0000, 1, 0));
        f.cf8Write(0, 0, 0x9D, 1, 0x00);
        assertEquals(0L, f.memory.read(0xA0000, 1, 0), "closed: the (empty) PCI space");
        assertEquals(0L, f.memory.read(0xA0000, 1, SMM), "without G_SMRAME, SMM sees the same");
        f.cf8Write(0, 0, 0x9D, 1, 0x0A);
        assertEquals(0x66L, f.memory.read(0xA0000, 1, SMM));
        assertEquals(0L, f.memory.read(0xA0000, 1, 0));
        f.cf8Write(0, 0, 0x9D, 1, 0x4A);          // D_OPEN
        assertEquals(0x66L, f.memory.read(0xA0000, 1, 0));
    }

    @Test
    void smramAtDefaultSmbaseQueryAndLock() {
        f.memory.write(0x30000, 4, 0x12345678, 0);
        f.cf8Write(0, 0, 0x9C, 1, 0xFF);
        assertEquals(0x01L, f.cf8Read(0, 0, 0x9C, 1), "feature present");
        assertEquals(0x12345678L, f.memory.read(0x30000, 4, 0));
        f.cf8Write(0, 0, 0x9C, 1, 0x02);
        assertEquals(0x02L, f.cf8Read(0, 0, 0x9C, 1));
        assertEquals(0xFFFFFFFFL, f.memory.read(0x30000, 4, 0));
        assertEquals(0xFFFFFFFFL, f.memory.read(0x4FFFC, 4, 0));
        assertEquals(0x12345678L, f.memory.read(0x30000, 4, SMM));
        assertEquals(0L, f.memory.read(0x50000, 4, 0), "just past the window: RAM");
        f.cf8Write(0, 0, 0x9C, 1, 0x00);
        assertEquals(0x02L, f.cf8Read(0, 0, 0x9C, 1), "locked until reset");
    }

    @Test
    void anyOtherWriteInResetStateReadsBackZero() {
        f.cf8Write(0, 0, 0x9C, 1, 0x02);
        assertEquals(0L, f.cf8Read(0, 0, 0x9C, 1));
        assertEquals(0L, f.memory.read(0x30000, 4, 0));
    }
}
