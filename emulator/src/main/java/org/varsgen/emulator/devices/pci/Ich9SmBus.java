package org.varsgen.emulator.devices.pci;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * The ICH9 SMBus controller 00:1f.3 (8086:2930, class 0c0500, rev 2; QEMU hw/i2c/smbus_ich9.c),
 * as far as OVMF probes it: PciBusDxe sizes its BARs and assigns the 64-byte I/O BAR4 ("pm-smbus",
 * 0x6000 in QEMU's run) and OVMF writes the interrupt line; no driver talks to the host
 * controller. Behind BAR4 is a host controller stub with an empty bus: every transaction started
 * through HST_CNT.START ends at once with DEV_ERR (no device answered), HST_STS bits are write-1-
 * to-clear, the other registers hold what is written. Byte accesses only (QEMU's pm_smbus ops).
 * Config 0x40 HOSTC is a plain byte; the BAR decodes whenever the command register's I/O bit is set.
 */
public final class Ich9SmBus extends PciFunction implements BarNames {
    public static final int VENDOR = 0x8086, DEVICE = 0x2930;
    static final int BAR_SMB = 4, BAR_SIZE = 64;
    static final int HST_STS = 0, HST_CNT = 2;
    static final int STS_INTR = 0x02, STS_DEV_ERR = 0x04, STS_BYTE_DONE = 0x80, CNT_START = 0x40;

    private final byte[] registers = new byte[BAR_SIZE];

    public Ich9SmBus() {
        super("ICH9-SMB", VENDOR, DEVICE, 2, 0x0C0500, 0x1AF4, 0x1100);
        set8(HEADER_TYPE, 0x80);
        set8(INTERRUPT_PIN, 1);
        setWriteMask8(0x0C, 0xFF);
        for (int at = 0x40; at < 0x100; at++) {
            setWriteMask8(at, 0xFF);
        }
        declareBar(BAR_SMB, BarKind.IO, BAR_SIZE, false);
    }

    @Override
    public String barName(int index) {
        return "pm-smbus";
    }

    @Override
    public RegionHandler barHandler(int index) {
        if (index != BAR_SMB) {
            return super.barHandler(index);
        }
        return new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return registers[(int) offset & (BAR_SIZE - 1)] & 0xFF;
            }

            @Override
            public void write(long offset, int size, long value) {
                int at = (int) offset & (BAR_SIZE - 1);
                int v = (int) (value & 0xFF);
                if (at == HST_STS) {
                    registers[HST_STS] &= (byte) ~(v & (STS_INTR | STS_DEV_ERR | STS_BYTE_DONE | 0x1C));
                } else if (at == HST_CNT && (v & CNT_START) != 0) {
                    registers[HST_CNT] = (byte) (v & ~CNT_START);
                    registers[HST_STS] |= STS_DEV_ERR;
                } else {
                    registers[at] = (byte) v;
                }
            }
        };
    }

    @Override
    public AccessConstraints barConstraints(int index) {
        return AccessConstraints.of(1, 1, 1, 1);
    }
}
