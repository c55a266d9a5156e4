package org.varsgen.emulator.devices.fwcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.devices.QemuDeviceTrace;

/** The fw_cfg port and DMA protocols as OVMF's QemuFwCfgLib drives them. */
class FwCfgTest {
    private static final long DESCRIPTOR = 0x1000, BUFFER = 0x2000;

    private RamOnlyMemory ram;
    private FwCfg fw;
    private SmiFeatureNegotiation smi;
    private RegionHandler port, dma;

    @BeforeEach
    void setUp() {
        ram = new RamOnlyMemory(64 * 1024);
        Q35FwCfg.Result r = Q35FwCfg.create(ram, new Q35FwCfg.Config(256L << 20, 1, List.of()));
        fw = r.fwCfg();
        smi = r.smiFeatures();
        port = fw.portHandler();
        dma = fw.dmaHandler();
    }

    /** Writes a descriptor and kicks it as OVMF does: IoWrite32(0x514, BE high), IoWrite32(0x518, BE low). */
    private int dma(int control, int length, long address) {
        putBe(DESCRIPTOR, control, 4);
        putBe(DESCRIPTOR + 4, length, 4);
        putBe(DESCRIPTOR + 8, address, 8);
        dma.write(0, 4, Integer.reverseBytes((int) (DESCRIPTOR >>> 32)) & 0xFFFFFFFFL);
        dma.write(4, 4, Integer.reverseBytes((int) DESCRIPTOR) & 0xFFFFFFFFL);
        return (int) getBe(DESCRIPTOR, 4);
    }

    @Test
    void signatureAndIdThroughThePorts() {
        port.write(0, 2, FwCfg.SIGNATURE);
        StringBuilder sig = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sig.append((char) port.read(1, 1));
        }
        assertEquals("QEMU", sig.toString());
        port.write(0, 2, FwCfg.ID);
        assertEquals(FwCfg.ID_TRADITIONAL | FwCfg.ID_DMA, port.read(1, 1));
        assertEquals(0, port.read(1, 1));
    }

    @Test
    void dmaRegisterReadsTheDmaSignature() {
        assertEquals(Long.reverseBytes(0x51454d5520434647L), dma.read(0, 8));
        assertEquals('Q' | 'E' << 8 | 'M' << 16 | 'U' << 24, dma.read(0, 4));
    }

    @Test
    void readsPastTheEndAndOfMissingKeysGiveZeros() {
        port.write(0, 2, FwCfg.NB_CPUS);
        assertEquals(1, port.read(1, 1));
        assertEquals(0, port.read(1, 1));
        assertEquals(0, port.read(1, 1));
        port.write(0, 2, 0x17); // kernel setup size: no kernel
        assertEquals(0, port.read(1, 1));
        port.write(0, 2, 0x3FFF); // beyond the file slots: invalid
        assertEquals(0, port.read(1, 1));
        port.write(1, 1, 0x55); // data-port writes are ignored
        assertEquals(0, port.read(0, 2), "a rejected word read gives 0, as in QEMU");
        port.write(0, 2, FwCfg.SIGNATURE);
        assertEquals('Q', port.read(1, 1));
    }

    @Test
    void dmaSelectAndReadZeroFillsPastTheEnd() {
        int sel = fw.selectorOf("etc/system-states");
        for (int i = 0; i < 16; i++) {
            ram.write(BUFFER + i, 1, 0xEE, 0);
        }
        int status = dma(sel << 16 | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_READ, 10, BUFFER);
        assertEquals(0, status);
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, (byte) 0x81, (byte) 0x82, (byte) 0x80, 0, 0, 0, 0},
                bytes(BUFFER, 10));
        assertEquals(0xEE, ram.read(BUFFER + 10, 1, 0));
    }

    @Test
    void dmaSkipThenReadContinuesAtTheOffset() {
        int sel = fw.selectorOf("etc/e820");
        assertEquals(0, dma(sel << 16 | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_SKIP, 20, 0));
        assertEquals(0, dma(FwCfg.DMA_CTL_READ, 20, BUFFER));
        assertEquals(0, getLe(BUFFER, 8));                 // RAM from 0
        assertEquals(0x10000000L, getLe(BUFFER + 8, 8));   // 256 MiB
        assertEquals(E820Table.TYPE_RAM, getLe(BUFFER + 16, 4));
    }

    @Test
    void dmaWriteToAReadOnlyItemSetsError() {
        int sel = fw.selectorOf("etc/smi/supported-features");
        assertEquals(FwCfg.DMA_CTL_ERROR, dma(sel << 16 | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_WRITE, 8, BUFFER));
        assertEquals(7, fw.file("etc/smi/supported-features").data()[0]);
    }

    @Test
    void dmaWriteThatDoesNotFitSetsError() {
        int sel = fw.selectorOf(SmiFeatureNegotiation.REQUESTED);
        assertEquals(FwCfg.DMA_CTL_ERROR, dma(sel << 16 | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_WRITE, 9, BUFFER));
    }

    /** OVMF's NegotiateSmiFeatures: read supported, write requested, select features-ok and read it. */
    @Test
    void smiFeatureNegotiation() {
        assertEquals(0, dma(fw.selectorOf(SmiFeatureNegotiation.SUPPORTED) << 16
                | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_READ, 8, BUFFER));
        long supported = getLe(BUFFER, 8);
        assertEquals(7, supported);
        putLe(BUFFER, supported & 0x7, 8);
        assertEquals(0, dma(fw.selectorOf(SmiFeatureNegotiation.REQUESTED) << 16
                | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_WRITE, 8, BUFFER));
        assertEquals(0, smi.negotiated());
        port.write(0, 2, fw.selectorOf(SmiFeatureNegotiation.FEATURES_OK));
        assertEquals(1, port.read(1, 1));
        assertEquals(7, smi.negotiated());

        // Locked: a new request changes nothing until reset.
        putLe(BUFFER, 1, 8);
        dma(fw.selectorOf(SmiFeatureNegotiation.REQUESTED) << 16 | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_WRITE, 8, BUFFER);
        port.write(0, 2, fw.selectorOf(SmiFeatureNegotiation.FEATURES_OK));
        assertEquals(1, port.read(1, 1));
        assertEquals(7, smi.negotiated());
    }

    @Test
    void smiFeatureNegotiationRejectsInvalidRequests() {
        for (long bad : new long[] {0x8, 0x2, 0x4, 0x5}) { // unknown bit; hotplug without broadcast; unplug alone
            smi.reset();
            putLe(BUFFER, bad, 8);
            dma(fw.selectorOf(SmiFeatureNegotiation.REQUESTED) << 16 | FwCfg.DMA_CTL_SELECT | FwCfg.DMA_CTL_WRITE, 8, BUFFER);
            port.write(0, 2, fw.selectorOf(SmiFeatureNegotiation.FEATURES_OK));
            assertEquals(0, port.read(1, 1), "request 0x" + Long.toHexString(bad));
            assertEquals(0, smi.negotiated());
        }
    }

    @Test
    void directoryNamesAreSortedAndNulPadded() {
        byte[] dir = fw.directory();
        assertEquals(fw.fileNames().size(), (int) ((dir[0] & 0xFF) << 24 | (dir[1] & 0xFF) << 16
                | (dir[2] & 0xFF) << 8 | dir[3] & 0xFF));
        String first = new String(dir, 4 + 8, 56, StandardCharsets.US_ASCII).replace("\0", "");
        assertEquals("bios-geometry", first);
        assertEquals(0x20, (dir[4 + 4] & 0xFF) << 8 | dir[4 + 5] & 0xFF);
    }

    /** Every port access OVMF made in QEMU's SMM run (selects, signature, id) gets QEMU's answers. */
    @Test
    void replaysQemusPortTrace() {
        List<QemuDeviceTrace.Access> trace = QemuDeviceTrace.accesses("devtrace-2025.02-debug-smm-enroll.log.xz", "fwcfg");
        int reads = 0;
        for (QemuDeviceTrace.Access a : trace) {
            if (a.write()) {
                port.write(a.address() - 0x510, a.size(), a.value());
            } else {
                assertEquals(a.value(), port.read(a.address() - 0x510, a.size()), a.toString());
                reads++;
            }
        }
        assertEquals(104, reads);
    }

    private byte[] bytes(long at, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ram.read(at + i, 1, 0);
        }
        return b;
    }

    private void putBe(long at, long v, int n) {
        for (int i = 0; i < n; i++) {
            ram.write(at + i, 1, (v >>> (8 * (n - 1 - i))) & 0xFF, 0);
        }
    }

    private long getBe(long at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | ram.read(at + i, 1, 0);
        }
        return v;
    }

    private void putLe(long at, long v, int n) {
        for (int i = 0; i < n; i++) {
            ram.write(at + i, 1, (v >>> (8 * i)) & 0xFF, 0);
        }
    }

    private long getLe(long at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | ram.read(at + i, 1, 0);
        }
        return v;
    }
}
