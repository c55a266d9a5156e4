package org.varsgen.emulator.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.time.VirtualClock;

class LegacyDevicesTest {
    private final LegacyDevices devices = new LegacyDevices(new VirtualClock(), 0, 256L << 20, 0);

    @Test
    void regionsDoNotOverlapAndSitWhereQemuPutsThem() {
        for (List<Region> regions : List.of(devices.ioRegions(), devices.memoryRegions())) {
            for (int i = 0; i < regions.size(); i++) {
                for (int j = i + 1; j < regions.size(); j++) {
                    Region a = regions.get(i);
                    Region b = regions.get(j);
                    boolean overlap = a.base() < b.end() && b.base() < a.end();
                    assertFalse(overlap, a + " overlaps " + b);
                }
            }
        }
        assertEquals(0xFEE00000L, find("apic-msi").base());
        assertEquals(0xFEC00000L, find("ioapic").base());
        assertEquals(0x40, find("pit").base());
        assertEquals(0x61, find("pcspk").base());
        assertEquals(0x64, find("i8042-cmd").base());
        assertEquals(2, devices.ioRegions().stream().filter(r -> r.name().equals("serial")).count());
    }

    private Region find(String name) {
        return java.util.stream.Stream.concat(devices.ioRegions().stream(), devices.memoryRegions().stream()).filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void com2InterruptsOnIrq3ThroughThePic() {
        Pic8259 master = devices.pics.master();
        master.write(0, 0x11);
        master.write(1, 0x08);
        master.write(1, 0x04);
        master.write(1, 0x01);
        master.write(1, 0xF7);                     // only IRQ3
        devices.apic.write(0x0F0, 4, 0x1FF);
        devices.apic.write(0x350, 4, 0x700);
        devices.com2.write(1, 1, 0x02);            // THRE interrupt
        assertTrue(devices.apic.interruptPending());
        assertEquals(0x0B, devices.apic.acknowledgeInterrupt());
        assertEquals(0x0F, devices.rtc.cmosByte(0x35), "CMOS memory size filled for 256 MiB");
    }
}
