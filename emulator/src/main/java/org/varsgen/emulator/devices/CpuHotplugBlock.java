package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;

/**
 * QEMU's ACPI CPU hotplug register block (ICH9: port 0x0CD8), both interfaces, both regions
 * named "acpi-cpu-hotplug" as in QEMU.
 *
 * <p>It starts in the legacy interface (hw/acpi/cpu_hotplug.c): 32 bytes of present-CPU bitmap,
 * one bit per APIC ID, read byte-wise. Firmware never wrote that bitmap, so QEMU takes a write of
 * 0 at offset 0 as the request to switch to the modern interface (hw/acpi/cpu.c,
 * docs/specs/acpi_cpu_hotplug.rst): the legacy region is removed and a 12-byte one mapped at the
 * same base, with the CPU selector (write, dword at +0), command data 2 (read at +0), the status
 * flags (+4), the command (write, byte at +5) and command data (+8).
 *
 * <p>The legacy block must be declared valid 1..4, implemented 1..1 ({@link #LEGACY}): OVMF's
 * dword write of 0 to the selector then reaches the block as four byte writes, the first of
 * which switches. QEMU 5.1 to 7.2 under TCG declared it valid 1..1 ({@link #LEGACY_QEMU_5_1_TO_7_2}),
 * so the bus rejected the firmware's dword accesses; the test CpuHotplugNegotiationTest shows what
 * that does to OVMF's CPU count.
 */
public final class CpuHotplugBlock {
    public static final int ICH9_BASE = 0x0CD8;
    public static final String NAME = "acpi-cpu-hotplug";
    public static final int LEGACY_SIZE = 32;
    public static final int MODERN_SIZE = 12;
    /** The fixed declaration (QEMU commit dab30fbef389, 8.0 and 7.2.1). */
    public static final AccessConstraints LEGACY = AccessConstraints.of(1, 4, 1, 1);
    /** The declaration of QEMU 5.1 to 7.2.0: only byte accesses are valid. */
    public static final AccessConstraints LEGACY_QEMU_5_1_TO_7_2 = AccessConstraints.of(1, 1, 1, 1);
    /** hw/acpi/cpu.c: valid 1..4, implementation sizes left at QEMU's default 1..4. */
    public static final AccessConstraints MODERN = AccessConstraints.of(1, 4, 1, 4);

    static final int SELECTOR = 0, COMMAND_DATA_2 = 0, FLAGS = 4, COMMAND = 5, COMMAND_DATA = 8;
    static final int CMD_GET_PENDING = 0, CMD_GET_ARCH_ID = 3, CMD_MAX = 4;
    static final int FLAG_ENABLED = 1;

    private final IoSpace io;
    private final int cpuCount;
    private final Region legacyRegion;
    private final Region modernRegion;
    private boolean modern;
    private long selector;
    private int command;

    /**
     * A block for {@code cpuCount} present and possible CPUs with APIC IDs 0..cpuCount-1, mapped
     * at {@code base} in {@code io} with the legacy interface declared {@code legacyConstraints}.
     */
    public CpuHotplugBlock(IoSpace io, int base, int cpuCount, AccessConstraints legacyConstraints) {
        if (cpuCount < 1 || cpuCount > LEGACY_SIZE * 8) {
            throw new IllegalArgumentException("CPU count out of range: " + cpuCount);
        }
        this.io = io;
        this.cpuCount = cpuCount;
        legacyRegion = Region.mmio(NAME, base, LEGACY_SIZE, new Legacy(), legacyConstraints);
        modernRegion = Region.mmio(NAME, base, MODERN_SIZE, new Modern(), MODERN);
        io.add(legacyRegion);
    }

    /** True once the guest has switched to the modern interface. */
    public boolean modern() {
        return modern;
    }

    /** Back to the legacy interface, as after a machine reset. */
    public void reset() {
        if (modern) {
            io.remove(modernRegion);
            io.add(legacyRegion);
            modern = false;
        }
        selector = 0;
        command = 0;
    }

    private void switchToModern() {
        if (!modern) {
            io.remove(legacyRegion);
            io.add(modernRegion);
            modern = true;
        }
    }

    /** The legacy present-CPU bitmap. */
    private final class Legacy implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            long bits = 0;
            for (int i = size - 1; i >= 0; i--) {
                bits = bits << 8 | bitmapByte((int) offset + i);
            }
            return bits;
        }

        private int bitmapByte(int index) {
            int v = 0;
            for (int bit = 0; bit < 8; bit++) {
                if (index * 8 + bit < cpuCount) {
                    v |= 1 << bit;
                }
            }
            return v;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset == 0 && value == 0) {
                switchToModern();
            }
        }
    }

    /** The modern register set. */
    private final class Modern implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            if (selector >= cpuCount) {
                return 0;
            }
            return switch ((int) offset) {
                // One CPU per possible slot, all present, none being inserted or removed.
                case FLAGS -> FLAG_ENABLED;
                case COMMAND_DATA -> command == CMD_GET_PENDING ? selector
                        : command == CMD_GET_ARCH_ID ? archId(selector) & 0xFFFFFFFFL : 0;
                case COMMAND_DATA_2 -> command == CMD_GET_ARCH_ID ? archId(selector) >>> 32 : 0;
                default -> 0;
            };
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset != SELECTOR && selector >= cpuCount) {
                return;
            }
            switch ((int) offset) {
                case SELECTOR -> selector = value & 0xFFFFFFFFL;
                case COMMAND -> {
                    // GET_PENDING would move the selector to a CPU with pending events; there are none.
                    if (value < CMD_MAX) {
                        command = (int) value;
                    }
                }
                // Command data carries _OST reports, which QEMU only passes to its management
                // interface. Flags: there are no insert/remove events to clear, and QEMU refuses
                // to eject or firmware-remove the boot CPU, the only kind of CPU here.
                default -> { }
            }
        }
    }

    private static long archId(long cpu) {
        return cpu;
    }
}
