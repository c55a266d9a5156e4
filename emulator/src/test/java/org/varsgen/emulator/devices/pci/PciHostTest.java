package org.varsgen.emulator.devices.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.devices.ChipsetFixture;

class PciHostTest {
    private final ChipsetFixture f = new ChipsetFixture(1 << 20);

    @Test
    void configAddressLatchesDwordWritesOnlyAndReadsBack() {
        f.io.write(0xCF8, 4, 0x8000F840L);
        assertEquals(0x8000F840L, f.io.read(0xCF8, 4));
        f.io.write(0xCF8, 2, 0x1234);
        assertEquals(0x8000F840L, f.io.read(0xCF8, 4), "word writes do not latch");
        assertEquals(0x8000F840L & 0xFFFF, f.io.read(0xCF8, 2));
    }

    @Test
    void configDataServesEverySizeAndOffset() {
        f.io.write(0xCF8, 4, 0x80000000L);
        assertEquals(0x29C08086L, f.io.read(0xCFC, 4));
        assertEquals(0x8086L, f.io.read(0xCFC, 2));
        assertEquals(0x29C0L, f.io.read(0xCFE, 2));
        assertEquals(0x86L, f.io.read(0xCFC, 1));
        assertEquals(0x80L, f.io.read(0xCFD, 1));
        assertEquals(0xC0L, f.io.read(0xCFE, 1));
        assertEquals(0x29L, f.io.read(0xCFF, 1));
        assertEquals(0L, f.io.read(0xCFD, 2), "unaligned: rejected by the bus, reads 0");
        f.io.write(0xCF8, 4, 0x8000F840L);
        f.io.write(0xCFD, 1, 0x06);
        f.io.write(0xCFC, 1, 0x01);
        assertEquals(0x601L, f.io.read(0xCFC, 4));
        f.io.write(0xCF8, 4, 0x8000F844L);
        f.io.write(0xCFC, 1, 0x80);
        assertEquals(0x80L, f.io.read(0xCFC, 1));
    }

    @Test
    void disabledOrAbsentReadsAllOnes() {
        f.io.write(0xCF8, 4, 0x0000F840L);
        assertEquals(0xFFFFFFFFL, f.io.read(0xCFC, 4), "enable bit clear");
        f.io.write(0xCF8, 4, 0x80000800L);            // 00:01.0
        assertEquals(0xFFFFL, f.io.read(0xCFC, 2));
        f.io.write(0xCF8, 4, 0x80010000L);            // bus 1
        assertEquals(0xFFFFFFFFL, f.io.read(0xCFC, 4));
        f.io.write(0xCF8, 4, 0x8000F900L);            // 00:1f.1 absent
        assertEquals(0xFFL, f.io.read(0xCFC, 1));
    }

    @Test
    void ecamServesEverySizeAndAbsentFunctionsReadAllOnes() {
        f.firmwareEarlySetup();
        assertEquals(0x0C0500L, f.memory.read(0xE00FB008L, 4, 0) >>> 8);
        assertEquals(0x80L, f.memory.read(0xE00FB00EL, 1, 0), "SMBus is part of a multi-function device");
        assertEquals(0x80L, f.memory.read(0xE00F800EL, 1, 0));
        assertEquals(0xFFFFFFFFL, f.memory.read(0xE0008000L, 4, 0));
        assertEquals(0xFFFFFFFFL, f.memory.read(0xE00F8100L, 4, 0), "beyond 256 bytes of a conventional function");
        f.memory.write(0xE00F803CL, 1, 0x0A, 0);
        assertEquals(0x0AL, f.memory.read(0xE00F803CL, 1, 0));
        assertEquals(0x0000000AL, f.memory.read(0xE00F803CL, 4, 0));
        assertEquals(0xFFFFFFFFFFFFFFFFL, f.memory.read(0xE0010000L, 8, 0), "8 bytes: two dwords");
    }

    @Test
    void barSizingAndMappingOfTheSmbusIoBar() {
        f.firmwareEarlySetup();
        long bar4 = 0xE00FB020L;
        assertEquals(0x1L, f.memory.read(bar4, 4, 0));
        f.memory.write(bar4, 4, 0xFFFFFFFFL, 0);
        assertEquals(0xFFFFFFC1L, f.memory.read(bar4, 4, 0));
        f.memory.write(bar4, 4, 0x6000, 0);
        assertNull(f.io.regionAt(0x6000), "I/O decoding is still off");
        f.memory.write(0xE00FB004L, 2, 0x0001, 0);
        assertEquals("pm-smbus", f.io.regionAt(0x6000).name());
        assertSame(f.io.regionAt(0x6000), f.io.regionAt(0x603F));
        assertNull(f.io.regionAt(0x6040));
        f.io.write(0x6002, 1, 0x48);                  // start a transaction on the empty bus
        assertEquals(0x04L, f.io.read(0x6000, 1) & 0x04, "DEV_ERR: nobody answered");
        f.io.write(0x6000, 1, 0x04);
        assertEquals(0L, f.io.read(0x6000, 1));
        f.memory.write(bar4, 4, 0x7000, 0);
        assertNull(f.io.regionAt(0x6000));
        assertEquals("pm-smbus", f.io.regionAt(0x7000).name());
        f.memory.write(0xE00FB004L, 2, 0, 0);
        assertNull(f.io.regionAt(0x7000));
    }
}
