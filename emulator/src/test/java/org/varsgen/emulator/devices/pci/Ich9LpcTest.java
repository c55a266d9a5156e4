package org.varsgen.emulator.devices.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.devices.AcpiPmTimer;
import org.varsgen.emulator.devices.ChipsetFixture;

class Ich9LpcTest {
    private final ChipsetFixture f = new ChipsetFixture(1 << 20);

    @Test
    void identityAndResetValues() {
        assertEquals(0x29188086L, f.cf8Read(31, 0, 0, 4));
        assertEquals(0x06010002L, f.cf8Read(31, 0, 0x08, 4));
        assertEquals(0x00800000L, f.cf8Read(31, 0, 0x0C, 4));
        assertEquals(0x11001AF4L, f.cf8Read(31, 0, 0x2C, 4));
        assertEquals(0x00000001L, f.cf8Read(31, 0, 0x40, 4));
        assertEquals(0x80808080L, f.cf8Read(31, 0, 0x60, 4));
        assertEquals(0x80808080L, f.cf8Read(31, 0, 0x68, 4));
        assertEquals(0x00000001L, f.cf8Read(31, 0, 0xF0, 4));
        assertEquals(0L, f.cf8Read(31, 0, 0x82, 1), "no COM ports in this fixture");
    }

    @Test
    void pmBlockDecodesOnlyWithAcpiEnable() {
        f.cf8Write(31, 0, 0x40, 4, 0x601);
        assertEquals(0x601L, f.cf8Read(31, 0, 0x40, 4));
        assertNull(f.io.regionAt(0x604));
        assertEquals(0xFFFFL, f.io.read(0x604, 2));
        f.cf8Write(31, 0, 0x44, 1, 0x80);
        assertEquals("acpi-cnt", f.io.regionAt(0x604).name());
        assertEquals("acpi-tmr", f.io.regionAt(0x608).name());
        assertEquals("acpi-smi", f.io.regionAt(0x630).name());
        assertEquals("acpi-gpe0", f.io.regionAt(0x62F).name());
        assertNull(f.io.regionAt(0x610), "holes in the PM block read all ones");
        f.cf8Write(31, 0, 0x40, 4, 0xB001);
        assertNull(f.io.regionAt(0x604));
        assertEquals("acpi-cnt", f.io.regionAt(0xB004).name());
    }

    @Test
    void pmTimerRunsAt3579545HzOfVirtualTimeAndEachReadAdvancesTheClock() {
        f.firmwareEarlySetup();
        f.clock.advance(1_000_000_000L - AcpiPmTimer.DEFAULT_READ_QUANTUM_NANOS);
        long t = f.io.read(0x608, 4);
        assertEquals(1_000_000_000L, f.clock.now());
        assertEquals(3_579_545L & 0xFFFFFF, t);
        long before = f.clock.now();
        long first = f.io.read(0x608, 4);
        long second = f.io.read(0x608, 4);
        assertEquals(before + 2 * AcpiPmTimer.DEFAULT_READ_QUANTUM_NANOS, f.clock.now());
        assertTrue(second > first, "consecutive reads always advance");
        f.clock.advance(5_000_000_000L);   // the counter is 24 bits wide
        assertEquals(AcpiPmTimer.ticksAt(f.clock.now() + 1000) & 0xFFFFFF, f.io.read(0x608, 4));
        assertEquals(AcpiPmTimer.ticksAt(f.clock.now() + 1000) & 0xFF, f.io.read(0x609, 1),
                "a byte read gets the counter's low byte, whatever the offset (QEMU)");
    }

    @Test
    void pollingDelayLoopEndsInBoundedReads() {
        f.firmwareEarlySetup();
        // OVMF's InternalAcpiDelay for 10 ms: wait until 35795 ticks have passed (bit 23 compare).
        long ticks = 35_795;
        long start = f.io.read(0x608, 4);
        long deadline = (start + ticks) & 0xFFFFFF;
        int reads = 0;
        while ((((deadline - f.io.read(0x608, 4)) & 0xFFFFFF) & 0x800000) == 0) {
            reads++;
        }
        assertTrue(reads >= 9_990 && reads <= 10_000, "about one read per microsecond: " + reads);
    }

    @Test
    void sleepTypeZeroWithSleepEnablePowersOff() {
        f.firmwareEarlySetup();
        assertEquals(0L, f.io.read(0x604, 2));
        f.io.write(0x604, 2, 0x0001);             // SCI_EN, as BDS does
        assertEquals(1L, f.io.read(0x604, 2));
        f.io.write(0x604, 2, 0x0001);             // ResetShutdown: SLP_TYP = 0
        assertEquals(0, f.powerOffs);
        f.io.write(0x604, 2, 0x2001);             // SLP_EN
        assertEquals(1, f.powerOffs);
        assertEquals(1L, f.io.read(0x604, 2), "SLP_EN reads back 0");
        f.io.write(0x604, 2, 0x2401);             // S3: not supported, ignored
        assertEquals(1, f.powerOffs);
        f.io.write(0x605, 1, 0x20);               // byte write of the high half: SLP_EN, SLP_TYP 0
        assertEquals(2, f.powerOffs);
        f.io.write(0x604, 4, 0x2000);             // dwords are not valid for PM1_CNT: rejected
        assertEquals(2, f.powerOffs);
    }

    @Test
    void apmWriteRaisesSmiOnlyWithApmcEnable() {
        f.firmwareEarlySetup();
        assertEquals(0L, f.io.read(0x630, 4), "SMI_EN is 0 at reset: SMM is available");
        f.io.write(0xB3, 1, 0);
        f.io.write(0xB2, 1, 0);
        assertEquals(0, f.smis);
        f.io.write(0x630, 4, 0x21);               // APMC_EN | GBL_SMI_EN
        f.io.write(0xB3, 1, 0x5A);
        f.io.write(0xB2, 1, 0);
        assertEquals(1, f.smis);
        assertEquals(0x5AL, f.io.read(0xB3, 1));
        f.io.write(0xB2, 1, 0x02);                // ACPI enable: no SMI, sets SCI_EN
        assertEquals(1, f.smis);
        assertEquals(1L, f.io.read(0x604, 2) & 1);
        f.io.write(0xB2, 1, 0x03);
        assertEquals(0L, f.io.read(0x604, 2) & 1);
        f.io.write(0x630, 1, 0);                  // byte access to SMI_EN: rejected
        assertEquals(0x21L, f.io.read(0x630, 4));
    }

    @Test
    void smiLockFreezesGlobalSmiEnable() {
        f.firmwareEarlySetup();
        f.io.write(0x630, 4, 0x21);
        assertEquals(0L, f.cf8Read(31, 0, 0xA0, 2));
        f.cf8Write(31, 0, 0xA0, 2, 0x10);
        f.io.write(0x630, 4, 0x20);
        assertEquals(0x21L, f.io.read(0x630, 4), "GBL_SMI_EN stays set (OVMF checks this)");
        f.io.write(0x630, 4, 0x01);
        assertEquals(0x01L, f.io.read(0x630, 4), "other bits stay writable");
        f.cf8Write(31, 0, 0xA0, 2, 0x00);
        assertEquals(0x10L, f.cf8Read(31, 0, 0xA0, 2), "SMI_LOCK is write-once");
    }

    @Test
    void resetControlRegister() {
        f.io.write(0xCF8, 4, 0x8000F840L);
        f.io.write(0xCF9, 1, 0x02);
        assertEquals(0, f.resets);
        assertEquals(0x02L, f.io.read(0xCF9, 1));
        assertEquals(0x8000F840L, f.io.read(0xCF8, 4), "0xCF9 bytes do not disturb 0xCF8 dwords");
        f.io.write(0xCF9, 1, 0x06);               // OVMF's ResetCold
        assertEquals(1, f.resets);
    }

    @Test
    void gpe0IsStatusThenEnableBytewise() {
        f.firmwareEarlySetup();
        f.io.write(0x628, 1, 0x01);               // GPE0_EN byte 0
        assertEquals(0x01L, f.io.read(0x628, 1));
        assertEquals(0L, f.io.read(0x620, 4));
        f.io.write(0x620, 4, 0xFFFFFFFFL);        // clearing nothing
        assertEquals(0x00000001L, f.io.read(0x628, 4));
    }

    @Test
    void pmTimerOverflowSetsStatusAndSciWhenEnabled() {
        f.firmwareEarlySetup();
        assertEquals(1L, f.io.read(0x600, 2) & 1, "TMR_STS is set at reset (overflow time 0)");
        f.io.write(0x600, 2, 1);                  // acknowledge: next overflow at bit 23
        assertEquals(0L, f.io.read(0x600, 2) & 1);
        f.io.write(0x602, 2, 1);                  // TMR_EN
        assertEquals(List.of(), f.sciLevels);
        f.clock.advance(AcpiPmTimer.nanosAt(0x800000) + 1);
        f.clock.runDueTimers();
        assertEquals(List.of(9), f.sciLevels, "SCI on GSI 9 (ACPI_CNTL SCI_IRQ_SEL 0)");
        assertEquals(1L, f.io.read(0x600, 2) & 1);
        f.io.write(0x600, 2, 1);
        assertEquals(List.of(9, -9), f.sciLevels);
    }

    @Test
    void rcbaMapsTheRootComplexRegisterBlock() {
        assertEquals(0L, f.memory.read(0xFED1F410L, 4, 0));
        f.cf8Write(31, 0, 0xF0, 4, 0xFED1C001L);
        assertEquals(0x00000020L, f.memory.read(0xFED1F410L, 4, 0), "GCS");
        assertEquals(0x3210L, f.memory.read(0xFED1F140L, 2, 0), "D31IR");
    }

    @Test
    void machineResetUnlocksAndUnmaps() {
        f.firmwareEarlySetup();
        f.io.write(0x630, 4, 0x21);
        f.cf8Write(31, 0, 0xA0, 2, 0x10);
        f.io.write(0x0CD8, 4, 0);
        assertTrue(f.lpc.cpuHotplug().modern());
        f.lpc.reset();
        assertEquals(0x00000001L, f.cf8Read(31, 0, 0x40, 4));
        assertNull(f.io.regionAt(0x604), "PM block unmapped until PMBASE and ACPI_EN again");
        assertEquals(0L, f.cf8Read(31, 0, 0xA0, 2));
        f.firmwareEarlySetup();
        assertEquals(0L, f.io.read(0x630, 4));
        f.io.write(0x630, 4, 0x21);
        f.io.write(0x630, 4, 0x20);
        assertEquals(0x20L, f.io.read(0x630, 4), "GBL_SMI_EN writable again");
        assertEquals(0x01L, f.io.read(0x0CD8, 1), "CPU hotplug back in legacy mode");
    }
}
