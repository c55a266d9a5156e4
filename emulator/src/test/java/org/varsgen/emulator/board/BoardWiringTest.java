package org.varsgen.emulator.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.devices.IoApic;
import org.varsgen.emulator.devices.LocalApic;

/** The q35 board as QEMU presents it to the firmware: PCI topology, memory map, port map. */
class BoardWiringTest {
    private final byte[] code = TestGuest.code(TestGuest.SPIN);
    private final Q35Board board = new Q35Board(TestGuest.config(code));

    private long cf8Read(int device, int fn, int offset, int size) {
        board.io.write(0xCF8, 4, 0x80000000L | device << 11 | fn << 8 | (offset & 0xFC));
        return board.io.read(0xCFC + (offset & 3), size);
    }

    @Test
    void pciTopologyReadsAsQemus() {
        // vendor:device of 00:00.0 MCH, 00:1f.0 LPC, 00:1f.2 AHCI, 00:1f.3 SMBus; nothing else on bus 0
        assertEquals(0x29C08086L, cf8Read(0, 0, 0, 4));
        assertEquals(0x29188086L, cf8Read(31, 0, 0, 4));
        assertEquals(0x29228086L, cf8Read(31, 2, 0, 4));
        assertEquals(0x29308086L, cf8Read(31, 3, 0, 4));
        for (int dev = 1; dev < 31; dev++) {
            assertEquals(0xFFFFFFFFL, cf8Read(dev, 0, 0, 4), "00:" + dev + ".0");
        }
        assertEquals(0xFFFFFFFFL, cf8Read(31, 1, 0, 4));
        // class codes: host bridge, ISA bridge, AHCI, SMBus
        assertEquals(0x060000, cf8Read(0, 0, 8, 4) >>> 8);
        assertEquals(0x060100, cf8Read(31, 0, 8, 4) >>> 8);
        assertEquals(0x010601, cf8Read(31, 2, 8, 4) >>> 8);
        assertEquals(0x0C0500, cf8Read(31, 3, 8, 4) >>> 8);
        // LPC_EN: both COM ports decoded, as QEMU sets it once the machine is built
        assertEquals(0x3, cf8Read(31, 0, 0x82, 1) & 0x3);
    }

    @Test
    void memoryMap() {
        assertEquals("ram-below-4g", board.memory.regionAt(0x100000, 0).name());
        assertEquals("ram-below-4g", board.memory.regionAt(256L * 1024 * 1024 - 1, 0).name());
        assertNull(board.memory.regionAt(256L * 1024 * 1024, 0));
        assertEquals("system.flash0", board.memory.regionAt(0xFFFFFFF0L, 0).name());
        assertEquals("system.flash1", board.memory.regionAt(0x100000000L - TestGuest.CODE_SIZE - 1, 0).name());
        assertEquals("ioapic", board.memory.regionAt(IoApic.BASE, 0).name());
        assertEquals("apic-msi", board.memory.regionAt(LocalApic.DEFAULT_BASE, 0).name());
        // the reset vector's bytes, below 4 GiB and in the isa-bios copy below 1 MiB (PAM at reset: PCI)
        for (int i = 0; i < 16; i++) {
            long expected = code[code.length - 16 + i] & 0xFF;
            assertEquals(expected, board.memory.read(0xFFFFFFF0L + i, 1, 0));
            assertEquals(expected, board.memory.read(0xFFFF0 + i, 1, 0));
        }
        assertEquals(0x14, board.memory.read(LocalApic.DEFAULT_BASE + 0x30, 4, 0) & 0xFF);
    }

    @Test
    void portMap() {
        String[][] expected = {
            {"0x20", "pic"}, {"0xa0", "pic"}, {"0x40", "pit"}, {"0x61", "pcspk"}, {"0x70", "rtc-index"},
            {"0x60", "i8042-data"}, {"0x64", "i8042-cmd"}, {"0x3f8", "serial"}, {"0x2f8", "serial"},
            {"0x402", "isa-debugcon"}, {"0x80", "ioport80"}, {"0x92", "port92"}, {"0xb2", "apm-io"},
            {"0xcf8", "pci-conf-idx"}, {"0xcf9", "lpc-reset-control"}, {"0xcfc", "pci-conf-data"},
            {"0x510", "fwcfg"}, {"0x514", "fwcfg.dma"}, {"0xcd8", "acpi-cpu-hotplug"}, {"0x4d0", "elcr"},
        };
        for (String[] e : expected) {
            Region r = board.io.regionAt(Integer.decode(e[0]));
            assertNotNull(r, e[0]);
            assertEquals(e[1], r.name(), e[0]);
        }
        assertEquals(0xE9, board.io.read(0x402, 1));
        // fw_cfg answers its signature
        board.io.write(0x510, 2, 0);
        StringBuilder sig = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sig.append((char) board.io.read(0x511, 1));
        }
        assertEquals("QEMU", sig.toString());
    }

    @Test
    void pmBlockAppearsWherePmbaseSaysAndPowersOff() {
        assertNull(board.io.regionAt(0x604));
        board.io.write(0xCF8, 4, 0x8000F840L);
        board.io.write(0xCFC, 4, 0x601);
        board.io.write(0xCF8, 4, 0x8000F844L);
        board.io.write(0xCFC, 1, 0x80);
        assertEquals("acpi-cnt", board.io.regionAt(0x604).name());
        board.io.write(0x604, 2, 0x2000);
        assertEquals(true, board.powerOffRequested());
    }

    @Test
    void apicBaseMsrMovesTheApicWindow() {
        int[] program = TestGuest.concat(new int[] {
            0x66, 0xB9, 0x1B, 0x00, 0x00, 0x00,   // mov ecx, 0x1B
            0x66, 0xB8, 0x00, 0x09, 0xD0, 0xFE,   // mov eax, 0xFED00900 (enabled, BSP)
            0x66, 0x31, 0xD2,                     // xor edx, edx
            0x0F, 0x30,                           // wrmsr
        }, TestGuest.POWER_OFF);
        Machine machine = new Machine(TestGuest.config(TestGuest.code(program)));
        assertEquals(RunOutcome.Kind.POWER_OFF, machine.run(RunLimits.NONE.withMaxInstructions(1000), b -> { }).kind());
        Q35Board b = machine.board();
        assertEquals(0xFED00900L, b.legacy.apic.readApicBaseMsr());
        assertEquals("apic-msi", b.memory.regionAt(0xFED00000L, 0).name());
        assertNull(b.memory.regionAt(LocalApic.DEFAULT_BASE, 0));
    }
}
