package org.varsgen.emulator.devices.pci;

import java.util.IdentityHashMap;
import java.util.Map;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.IoSpace;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.bus.SystemMemory;

/**
 * The q35 PCI host: root bus 0 with its functions, configuration mechanism #1 at 0xCF8/0xCFC
 * ("pci-conf-idx", "pci-conf-data"), the PCIe ECAM window ("pcie-mmcfg-mmio", placed by the MCH's
 * PCIEXBAR), and the mapping of every function's BARs onto the buses.
 *
 * <p>Answers as QEMU's pci_host.c and pcie_host.c do: 0xCF8 latches only dword writes and reads
 * back the latched value whatever the access; 0xCFC-0xCFF read all ones while the enable bit is
 * clear; absent functions read all ones (the ECAM handler returns QEMU's 64-bit ~0, which is what
 * its trace shows); offsets beyond a function's configuration space size (256 bytes for the
 * conventional functions of q35) read all ones and ignore writes. Only bus 0 exists.
 *
 * <p>BARs: memory BARs are regions of the PCI layer of physical memory (below RAM, as QEMU maps
 * the PCI address space at priority -1), I/O BARs regions of the port space. A BAR decodes while
 * its command-register space bit is set and its address is non-zero and fits (below 64 KiB for
 * I/O, below 4 GiB for 32-bit memory). Regions take the function's name, or the name a function
 * implementing {@link BarNames} gives.
 */
public final class PciHost {
    public static final int CONFIG_ADDRESS = 0xCF8;
    public static final int CONFIG_DATA = 0xCFC;
    public static final long ECAM_SIZE = 256L << 20;

    private final SystemMemory memory;
    private final IoSpace io;
    private final PciFunction[] functions = new PciFunction[256];
    private final int[] configSizes = new int[256];
    private final Map<PciFunction, Region[]> barRegions = new IdentityHashMap<>();
    private final Region ecam;
    private int configAddress;

    public PciHost(SystemMemory memory, IoSpace io) {
        this.memory = memory;
        this.io = io;
        io.add(Region.mmio("pci-conf-idx", CONFIG_ADDRESS, 4, new ConfigAddress(), AccessConstraints.QEMU_DEFAULT));
        io.add(Region.mmio("pci-conf-data", CONFIG_DATA, 4, new ConfigData(), AccessConstraints.QEMU_DEFAULT));
        ecam = memory.add(Region.mmio("pcie-mmcfg-mmio", 0, ECAM_SIZE, new Ecam(), AccessConstraints.QEMU_DEFAULT));
        ecam.setEnabled(false);
    }

    /**
     * Puts {@code function} at 00:{@code device}.{@code fn} with a configuration space of
     * {@code configSize} bytes (256 for conventional PCI, 4096 for PCIe) and maps its BARs.
     */
    public void attach(int device, int fn, PciFunction function, int configSize) {
        if (device < 0 || device > 31 || fn < 0 || fn > 7 || (configSize != 256 && configSize != PciFunction.CONFIG_SIZE)) {
            throw new IllegalArgumentException("bad PCI slot " + device + "." + fn + " or config size " + configSize);
        }
        int devfn = device << 3 | fn;
        if (functions[devfn] != null) {
            throw new IllegalStateException("PCI slot 00:" + device + "." + fn + " is taken by " + functions[devfn]);
        }
        functions[devfn] = function;
        configSizes[devfn] = configSize;
        function.setMappingListener(() -> mapBars(function));
        mapBars(function);
    }

    /** The function at 00:device.fn, or null. */
    public PciFunction function(int device, int fn) {
        return functions[device << 3 | fn];
    }

    /** Places (or removes, when disabled) the ECAM window; called by the MCH for PCIEXBAR. */
    public void setEcam(boolean enabled, long base, long size) {
        ecam.setBase(base);
        ecam.setSize(size);
        ecam.setEnabled(enabled);
    }

    /** A configuration read as QEMU's pci_host_config_read_common answers it. */
    long configRead(int bus, int devfn, int offset, int size) {
        PciFunction f = bus == 0 ? functions[devfn] : null;
        if (f == null) {
            return -1L;
        }
        int limit = configSizes[devfn];
        if (offset >= limit) {
            return 0xFFFFFFFFL;
        }
        return f.configRead(offset, Math.min(size, limit - offset)) & 0xFFFFFFFFL;
    }

    void configWrite(int bus, int devfn, int offset, int size, long value) {
        PciFunction f = bus == 0 ? functions[devfn] : null;
        if (f == null || offset >= configSizes[devfn]) {
            return;
        }
        f.configWrite(offset, Math.min(size, configSizes[devfn] - offset), (int) value);
    }

    private void mapBars(PciFunction f) {
        Region[] regions = barRegions.computeIfAbsent(f, k -> new Region[6]);
        for (int i = 0; i < 6; i++) {
            PciFunction.BarKind kind = f.barKind(i);
            if (kind == null) {
                continue;
            }
            long size = f.barSize(i);
            long address = f.barAddress(i);
            long limit = kind == PciFunction.BarKind.IO ? 0x10000L
                    : kind == PciFunction.BarKind.MEMORY32 ? 0x1_0000_0000L : Long.MAX_VALUE;
            boolean decodes = address > 0 && address + size <= limit;
            if (regions[i] == null) {
                if (!decodes) {
                    continue;
                }
                String name = f instanceof BarNames names ? names.barName(i) : f.name();
                Region r = Region.mmio(name, address, size, f.barHandler(i), f.barConstraints(i));
                if (kind == PciFunction.BarKind.IO) {
                    io.add(r);
                } else {
                    memory.add(r.inPciSpace());
                }
                regions[i] = r;
            } else {
                if (decodes) {
                    regions[i].setBase(address);
                }
                regions[i].setEnabled(decodes);
            }
        }
    }

    /** 0xCF8: the configuration address, latched by dword writes only. */
    private final class ConfigAddress implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            return configAddress & 0xFFFFFFFFL;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (offset == 0 && size == 4) {
                configAddress = (int) value;
            }
        }
    }

    /** 0xCFC-0xCFF: the data window onto the addressed function's configuration dword. */
    private final class ConfigData implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            if (configAddress >= 0) {
                return 0xFFFFFFFFL;
            }
            int address = configAddress | (int) (offset & 3);
            long v = configRead((address >>> 16) & 0xFF, (address >>> 8) & 0xFF, address & 0xFF, size);
            return v & 0xFFFFFFFFL;
        }

        @Override
        public void write(long offset, int size, long value) {
            if (configAddress < 0) {
                int address = configAddress | (int) (offset & 3);
                configWrite((address >>> 16) & 0xFF, (address >>> 8) & 0xFF, address & 0xFF, size, value);
            }
        }
    }

    /** ECAM: bus in bits 27:20, device/function in 19:12, register in 11:0. */
    private final class Ecam implements RegionHandler {
        @Override
        public long read(long offset, int size) {
            return configRead((int) (offset >>> 20) & 0xFF, (int) (offset >>> 12) & 0xFF, (int) offset & 0xFFF, size);
        }

        @Override
        public void write(long offset, int size, long value) {
            configWrite((int) (offset >>> 20) & 0xFF, (int) (offset >>> 12) & 0xFF, (int) offset & 0xFFF, size, value);
        }
    }
}
