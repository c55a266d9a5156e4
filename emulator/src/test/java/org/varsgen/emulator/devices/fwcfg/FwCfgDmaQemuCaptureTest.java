package org.varsgen.emulator.devices.fwcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.RamOnlyMemory;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * Runs the accesses of scripts/qemu-probes/fwcfg-dma-probe.asm against our fw_cfg and compares
 * every value with QEMU 7.2's answers (src/test/resources/qemu-fwcfg/dma-probe.txt): the DMA
 * register's signature, read/skip/select/write semantics and the SMI feature negotiation.
 */
class FwCfgDmaQemuCaptureTest {
    private static final long DESC = 0x1000, BUF = 0x2000;
    private static final int CTL_READ = 2, CTL_SKIP = 4, CTL_SELECT = 8, CTL_WRITE = 16;

    private final RamOnlyMemory ram = new RamOnlyMemory(64 * 1024);
    private FwCfg fw;
    private RegionHandler port, dma;
    private Deque<String> lines;

    @Test
    void answersAsQemu() throws IOException {
        lines = new ArrayDeque<>(List.of(FwCfgQemuCaptureTest.resource("dma-probe.txt").split("\n")));
        fw = Q35FwCfg.create(ram, new Q35FwCfg.Config(256L << 20, 1, List.of())).fwCfg();
        port = fw.portHandler();
        dma = fw.dmaHandler();
        int e820 = fw.selectorOf("etc/e820"), ok = fw.selectorOf(SmiFeatureNegotiation.FEATURES_OK),
                requested = fw.selectorOf(SmiFeatureNegotiation.REQUESTED),
                supported = fw.selectorOf(SmiFeatureNegotiation.SUPPORTED),
                states = fw.selectorOf("etc/system-states");

        v("dma-register-0", String.format("%08x", dma.read(0, 4)));
        v("dma-register-4", String.format("%08x", dma.read(4, 4)));
        port.write(0, 2, 0);
        v("selector-port-byte", String.format("%02x", port.read(0, 1)));
        v("selector-port-word", String.format("%04x", port.read(0, 2)));

        fill();
        dma("read-states", states << 16 | CTL_SELECT | CTL_READ, 10);
        show("states", 12);
        fill();
        dma("skip-e820", e820 << 16 | CTL_SELECT | CTL_SKIP, 20);
        dma("read-e820", CTL_READ, 20);
        show("e820-second", 24);
        dma("write-supported", supported << 16 | CTL_SELECT | CTL_WRITE, 8);
        dma("write-requested-9", requested << 16 | CTL_SELECT | CTL_WRITE, 9);
        fill();
        dma("select-only", states << 16 | CTL_SELECT, 4);
        show("select-only-buf", 4);
        dma("read-invalid", 0x3FFF << 16 | CTL_SELECT | CTL_READ, 4);
        show("invalid", 4);
        fill();
        dma("read-supported", supported << 16 | CTL_SELECT | CTL_READ, 8);
        show("supported", 8);
        String[] tags = {"ok-unknown-bit", "ok-hotplug-only", "ok-unplug", "ok-unplug-only", "ok-broadcast", "ok-after-lock"};
        long[] values = {0x8, 0x2, 0x5, 0x4, 0x1, 0x7};
        for (int i = 0; i < tags.length; i++) {
            ram.write(BUF, 8, values[i], 0);
            run(requested << 16 | CTL_SELECT | CTL_WRITE, 8);
            port.write(0, 2, ok);
            v(tags[i], String.format("%02x", port.read(1, 1)));
        }
        fill();
        dma("read-requested", requested << 16 | CTL_SELECT | CTL_READ, 8);
        show("requested", 8);
        assertEquals("END", lines.removeFirst());
    }

    private void v(String tag, String value) {
        assertEquals(lines.removeFirst(), "V " + tag + " " + value);
    }

    private void fill() {
        for (int i = 0; i < 32; i++) {
            ram.write(BUF + i, 1, 0xEE, 0);
        }
    }

    /** As the probe: big-endian descriptor at DESC, buffer BUF, kicked by two 4-byte port writes. */
    private void run(int control, int length) {
        ram.write(DESC, 4, Integer.reverseBytes(control) & 0xFFFFFFFFL, 0);
        ram.write(DESC + 4, 4, Integer.reverseBytes(length) & 0xFFFFFFFFL, 0);
        ram.write(DESC + 8, 4, 0, 0);
        ram.write(DESC + 12, 4, Integer.reverseBytes((int) BUF) & 0xFFFFFFFFL, 0);
        dma.write(0, 4, 0);
        dma.write(4, 4, Integer.reverseBytes((int) DESC) & 0xFFFFFFFFL);
    }

    private void dma(String tag, int control, int length) {
        run(control, length);
        v(tag, String.format("%08x", Integer.reverseBytes((int) ram.read(DESC, 4, 0))));
    }

    private void show(String tag, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", ram.read(BUF + i, 1, 0)));
        }
        v(tag, s.toString());
    }
}
