package org.varsgen.emulator.devices.ahci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.devices.QemuDeviceTrace;
import org.varsgen.emulator.devices.pci.PciFunction;

/** Drives the ICH9 AHCI controller the way OVMF's AtaAtapiPassThru does. */
class Ich9AhciTest {
    private static final long CLB = 0x10000, FB = 0x11000, TABLE = 0x12000, DATA = 0x20000;
    private static final int P0 = 0x100;
    private static final int SECTORS = 2048; // a 1 MiB disk

    private RamOnlyMemory ram;
    private byte[] image;
    private AtaDisk disk;
    private Ich9Ahci ahci;
    private RegionHandler abar;
    private final boolean[] intx = new boolean[1];

    @BeforeEach
    void setUp() {
        ram = new RamOnlyMemory(1 << 20);
        image = new byte[SECTORS * 512];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i / 512 + i * 31);
        }
        disk = new AtaDisk("disk.img", image, false, 1);
        ahci = new Ich9Ahci(ram, high -> intx[0] = high, disk);
        // PciBusDxe: BAR5 = 0x80000000, BAR4 = 0x6040, then memory, I/O and bus master on.
        ahci.configWrite(PciFunction.BAR0 + 4 * Ich9Ahci.ABAR, 4, 0x80000000);
        ahci.configWrite(PciFunction.BAR0 + 4 * Ich9Ahci.IDP_BAR, 4, 0x6040);
        ahci.configWrite(PciFunction.COMMAND, 2, 0x7);
        abar = ahci.barHandler(Ich9Ahci.ABAR);
    }

    private int reg(int offset) {
        return (int) abar.read(offset, 4);
    }

    private void reg(int offset, int value) {
        abar.write(offset, 4, value & 0xFFFFFFFFL);
    }

    /** AhciModeInitialization for port 0: HBA reset, CLB/FB, SCTL, FRE, then ST. */
    private void startPort0() {
        reg(Ich9Ahci.GHC, 0x80000001);
        assertEquals(0x80000000, reg(Ich9Ahci.GHC), "HR completes at once, AE stays");
        reg(P0 + AhciPort.FB, (int) FB);
        reg(P0 + AhciPort.FBU, 0);
        reg(P0 + AhciPort.CLB, (int) CLB);
        reg(P0 + AhciPort.CLBU, 0);
        reg(P0 + AhciPort.SCTL, 0x300);
        assertEquals(0x7F, reg(P0 + AhciPort.TFD), "no signature before FIS receive is on");
        reg(P0 + AhciPort.CMD, 0x16);
        assertEquals(0x4016, reg(P0 + AhciPort.CMD), "FR follows FRE");
        assertEquals(0x113, reg(P0 + AhciPort.SSTS));
        assertEquals(0x130, reg(P0 + AhciPort.TFD));
        assertEquals(0x101, reg(P0 + AhciPort.SIG));
        assertEquals(AhciPort.IS_DHRS, reg(P0 + AhciPort.IS));
        assertEquals(0x34, ram.read(FB + 0x40, 1, 0), "initial D2H FIS posted");
        reg(P0 + AhciPort.SERR, -1);
        reg(P0 + AhciPort.IS, -1);
        reg(Ich9Ahci.IS, -1);
        reg(P0 + AhciPort.CMD, reg(P0 + AhciPort.CMD) | 1);
        assertEquals(0xC017, reg(P0 + AhciPort.CMD), "CR follows ST");
    }

    /** Builds command slot 0 (H2D FIS, PRDT of the given regions) and issues it. */
    private void issue(int command, int features, long lba, int count, boolean write, long[][] prds) {
        ram.write(CLB, 4, 5 | (write ? 1 << 6 : 0) | (long) prds.length << 16, 0);
        ram.write(CLB + 4, 4, 0xDEAD, 0);
        ram.write(CLB + 8, 4, TABLE, 0);
        ram.write(CLB + 12, 4, 0, 0);
        byte[] fis = new byte[20];
        fis[0] = 0x27;
        fis[1] = (byte) 0x80;
        fis[2] = (byte) command;
        fis[3] = (byte) features;
        fis[4] = (byte) lba;
        fis[5] = (byte) (lba >> 8);
        fis[6] = (byte) (lba >> 16);
        fis[7] = (byte) 0x40; // LBA mode
        fis[8] = (byte) (lba >> 24);
        fis[9] = (byte) (lba >> 32);
        fis[10] = (byte) (lba >> 40);
        fis[12] = (byte) count;
        fis[13] = (byte) (count >> 8);
        for (int i = 0; i < fis.length; i++) {
            ram.write(TABLE + i, 1, fis[i] & 0xFF, 0);
        }
        for (int i = 0; i < prds.length; i++) {
            ram.write(TABLE + 0x80 + 16 * i, 8, prds[i][0], 0);
            ram.write(TABLE + 0x80 + 16 * i + 12, 4, prds[i][1] - 1, 0);
        }
        reg(P0 + AhciPort.CI, 1);
    }

    private byte[] ramBytes(long at, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ram.read(at + i, 1, 0);
        }
        return b;
    }

    private static String ataString(byte[] id, int word, int words) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < words; i++) {
            s.append((char) id[2 * (word + i) + 1]).append((char) id[2 * (word + i)]);
        }
        return s.toString();
    }

    private static int word(byte[] id, int w) {
        return (id[2 * w] & 0xFF) | (id[2 * w + 1] & 0xFF) << 8;
    }

    @Test
    void pciIdentityAndCapabilities() {
        assertEquals(0x29228086, ahci.configRead(0, 4));
        assertEquals(0x01060102, ahci.configRead(8, 4));
        assertEquals(0x11001AF4, ahci.configRead(0x2C, 4));
        assertEquals(0x80, ahci.configRead(PciFunction.HEADER_TYPE, 1));
        assertEquals(0x10, ahci.configRead(PciFunction.STATUS, 2));
        assertEquals(0x80, ahci.configRead(PciFunction.CAPABILITIES, 1));
        assertEquals(0xA805, ahci.configRead(0x80, 2), "MSI, next the SATA capability (QEMU's trace)");
        assertEquals(0x0080, ahci.configRead(0x82, 2), "64-bit, one vector");
        assertEquals(0x12, ahci.configRead(0xA8, 2), "SATA capability ends the list (QEMU's trace)");
        assertEquals(0x48, ahci.configRead(0xAC, 4), "index/data pair in BAR4 at 0x10");
        assertEquals(1, ahci.configRead(PciFunction.INTERRUPT_PIN, 1));
        // BAR sizing as PciBusDxe does it.
        ahci.configWrite(0x24, 4, 0xFFFFFFFF);
        assertEquals(0xFFFFF000, ahci.configRead(0x24, 4));
        ahci.configWrite(0x20, 4, 0xFFFFFFFF);
        assertEquals(0xFFFFFFE1, ahci.configRead(0x20, 4));
        ahci.configWrite(0x10, 4, 0xFFFFFFFF);
        assertEquals(0, ahci.configRead(0x10, 4));
    }

    @Test
    void hbaRegisters() {
        assertEquals(0xC0141F05, reg(Ich9Ahci.CAP), "QEMU's value for six ports");
        assertEquals(0x3F, reg(Ich9Ahci.PI));
        assertEquals(0x00010000, reg(Ich9Ahci.VS));
        assertEquals(0, reg(0x24), "CAP2");
        assertEquals(0x1F, abar.read(1, 1), "narrow reads come from the dword");
        reg(Ich9Ahci.CAP, 0);
        assertEquals(0xC0141F05, reg(Ich9Ahci.CAP));
    }

    @Test
    void indexDataPairReachesTheAbar() {
        RegionHandler idp = ahci.barHandler(Ich9Ahci.IDP_BAR);
        idp.write(0x10, 4, Ich9Ahci.CAP);
        assertEquals(0xC0141F05L, idp.read(0x14, 4));
        idp.write(0x10, 4, Ich9Ahci.PI);
        assertEquals(Ich9Ahci.PI, idp.read(0x10, 4));
        assertEquals(0x3F, idp.read(0x14, 4));
    }

    @Test
    void identifyDevice() {
        startPort0();
        issue(0xEC, 0, 0, 1, false, new long[][] {{DATA, 512}});
        assertEquals(0, reg(P0 + AhciPort.CI));
        assertEquals(AhciPort.IS_DHRS | AhciPort.IS_PSS, reg(P0 + AhciPort.IS), "as QEMU: PIO setup and D2H");
        assertEquals(0x50, reg(P0 + AhciPort.TFD));
        assertEquals(512, ram.read(CLB + 4, 4, 0), "PRDBC");
        assertEquals(0x5F, ram.read(FB + 0x20, 1, 0), "PIO setup FIS");
        byte[] id = ramBytes(DATA, 512);
        assertEquals("QEMU HARDDISK                           ", ataString(id, 27, 20));
        assertEquals("QM00001             ", ataString(id, 10, 10));
        assertEquals("2.5+    ", ataString(id, 23, 4));
        assertEquals(SECTORS, word(id, 60) | word(id, 61) << 16);
        assertEquals(SECTORS, word(id, 100) | word(id, 101) << 16);
        assertEquals(0, word(id, 102) | word(id, 103));
        assertTrue((word(id, 83) & 1 << 10) != 0, "LBA48");
        assertTrue((word(id, 49) & 1 << 9) != 0, "LBA");
        assertEquals(0, word(id, 0) & 0x8000, "ATA device, not ATAPI");
        // Stop the command engine as OVMF does after each command.
        reg(P0 + AhciPort.CMD, reg(P0 + AhciPort.CMD) & ~1);
        assertEquals(0x4016, reg(P0 + AhciPort.CMD));
    }

    @Test
    void readDmaExtScattersAcrossPrds() {
        startPort0();
        issue(0x25, 0, 100, 3, false, new long[][] {{DATA, 1024}, {DATA + 0x1000, 512}});
        assertEquals(AhciPort.IS_DHRS, reg(P0 + AhciPort.IS));
        assertEquals(0x50, reg(P0 + AhciPort.TFD));
        assertEquals(1536, ram.read(CLB + 4, 4, 0));
        assertArrayEquals(Arrays.copyOfRange(image, 100 * 512, 102 * 512), ramBytes(DATA, 1024));
        assertArrayEquals(Arrays.copyOfRange(image, 102 * 512, 103 * 512), ramBytes(DATA + 0x1000, 512));
        byte[] d2h = ramBytes(FB + 0x40, 20);
        assertEquals(0x34, d2h[0]);
        assertEquals(0x50, d2h[2]);
        assertEquals(103, d2h[4], "LBA registers left at the next sector, as QEMU leaves them");
    }

    @Test
    void readDma28BitCountZeroMeans256Sectors() {
        startPort0();
        issue(0xC8, 0, 0, 0, false, new long[][] {{DATA, 256 * 512}});
        assertEquals(0x50, reg(P0 + AhciPort.TFD));
        assertArrayEquals(Arrays.copyOfRange(image, 0, 256 * 512), ramBytes(DATA, 256 * 512));
    }

    @Test
    void unsupportedCommandsAndBadRangesAbort() {
        startPort0();
        for (int[] c : new int[][] {{0xA1, 0}, {0x25, SECTORS}}) { // IDENTIFY PACKET on a disk; past the end
            reg(P0 + AhciPort.IS, -1);
            issue(c[0], 0, c[1], 1, false, new long[][] {{DATA, 512}});
            assertEquals(0x441, reg(P0 + AhciPort.TFD), "ERR with ABRT");
            assertEquals(AhciPort.IS_TFES | AhciPort.IS_DHRS, reg(P0 + AhciPort.IS));
            assertEquals(1, reg(P0 + AhciPort.CI), "a failed command stays issued, as in QEMU");
        }
        reg(P0 + AhciPort.CMD, reg(P0 + AhciPort.CMD) & ~1);
        assertEquals(0, reg(P0 + AhciPort.CI), "until the engine is stopped");
    }

    @Test
    void writesAbortOnAReadOnlyDiskAndLandInTheCopyOtherwise() {
        startPort0();
        for (int i = 0; i < 512; i++) {
            ram.write(DATA + i, 1, 0xA5, 0);
        }
        issue(0x35, 0, 7, 1, true, new long[][] {{DATA, 512}});
        assertEquals(0x441, reg(P0 + AhciPort.TFD));

        byte[] original = image.clone();
        disk = new AtaDisk("disk.img", image, true, 1);
        ahci = new Ich9Ahci(ram, high -> { }, disk);
        ahci.configWrite(PciFunction.COMMAND, 2, 0x6);
        abar = ahci.barHandler(Ich9Ahci.ABAR);
        startPort0();
        issue(0x35, 0, 7, 1, true, new long[][] {{DATA, 512}});
        assertEquals(0x50, reg(P0 + AhciPort.TFD));
        byte[] expected = new byte[512];
        Arrays.fill(expected, (byte) 0xA5);
        assertArrayEquals(expected, Arrays.copyOfRange(disk.contents(), 7 * 512, 8 * 512));
        assertArrayEquals(original, image, "the caller's image is never written");
        issue(0xEA, 0, 0, 0, false, new long[0][]);
        assertEquals(0x50, reg(P0 + AhciPort.TFD), "FLUSH CACHE EXT");
    }

    @Test
    void setFeaturesTransferModeShowsInIdentify() {
        startPort0();
        issue(0xEC, 0, 0, 1, false, new long[][] {{DATA, 512}});
        issue(0xEF, 0x03, 0, 0x40 | 2, false, new long[0][]); // UDMA mode 2
        assertEquals(0x50, reg(P0 + AhciPort.TFD));
        assertEquals(AhciPort.IS_DHRS | AhciPort.IS_PSS, reg(P0 + AhciPort.IS));
        issue(0xEC, 0, 0, 1, false, new long[][] {{DATA, 512}});
        assertEquals(0x3F | 1 << 10, word(ramBytes(DATA, 512), 88));
        issue(0xEF, 0x77, 0, 0, false, new long[0][]);
        assertEquals(0x441, reg(P0 + AhciPort.TFD), "unknown subcommand");
    }

    @Test
    void smartReturnStatusReportsTheKeyInTheD2hFis() {
        startPort0();
        issue(0xB0, 0xDA, 0xC24F00L, 0, false, new long[0][]);
        assertEquals(0x50, reg(P0 + AhciPort.TFD));
        assertEquals(0x4F, ram.read(FB + 0x40 + 5, 1, 0));
        assertEquals(0xC2, ram.read(FB + 0x40 + 6, 1, 0));
    }

    @Test
    void interruptsThroughIntxAndMsi() {
        startPort0();
        reg(P0 + AhciPort.IE, AhciPort.IS_DHRS);
        reg(Ich9Ahci.GHC, Ich9Ahci.GHC_IE);
        issue(0x25, 0, 0, 1, false, new long[][] {{DATA, 512}});
        assertEquals(1, reg(Ich9Ahci.IS));
        assertTrue(intx[0]);
        reg(P0 + AhciPort.IS, AhciPort.IS_DHRS);
        assertEquals(0, reg(Ich9Ahci.IS));
        assertFalse(intx[0]);

        ahci.configWrite(0x84, 4, 0x30000);     // a RAM address here (0xFEE00000 on the board), to see the message
        ahci.configWrite(0x8C, 2, 0x4041);
        ahci.configWrite(0x82, 2, 1);
        issue(0x25, 0, 0, 1, false, new long[][] {{DATA, 512}});
        assertFalse(intx[0], "no INTx while MSI is on");
        assertEquals(0x4041, ram.read(0x30000, 4, 0));
    }

    @Test
    void rejectsImagesThatAreNotWholeSectors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AtaDisk("odd.iso", new byte[1000], false, 1));
        assertTrue(e.getMessage().startsWith("odd.iso: "));
    }

    /**
     * Replays OVMF's register accesses from QEMU's run: the HBA reset and port 0 up to its first
     * command, then (port 0's commands needing guest memory this test does not have) everything
     * on the other five ports: every read gets QEMU's answer.
     */
    @Test
    void replaysQemusInitialisationTrace() {
        List<QemuDeviceTrace.Access> trace = QemuDeviceTrace.accesses("devtrace-2025.02-debug-nosmm.log.xz", "ahci");
        int reads = 0, otherPortReads = 0;
        boolean port0Busy = false;
        for (QemuDeviceTrace.Access a : trace) {
            int offset = (int) (a.address() - 0x80000000L);
            boolean port0OrIs = offset == Ich9Ahci.IS || (offset >= P0 && offset < P0 + 0x80);
            if (a.write() && offset == P0 + AhciPort.CI && a.value() != 0) {
                port0Busy = true;
            }
            if (port0Busy && port0OrIs) {
                continue;
            }
            if (a.write()) {
                abar.write(offset, a.size(), a.value());
            } else {
                assertEquals(a.value(), abar.read(offset, a.size()), a.toString());
                reads++;
                otherPortReads += offset >= P0 + 0x80 ? 1 : 0;
            }
        }
        assertTrue(reads > 100 && otherPortReads > 90, "replayed " + reads + " reads, " + otherPortReads + " on ports 1-5");
    }
}
