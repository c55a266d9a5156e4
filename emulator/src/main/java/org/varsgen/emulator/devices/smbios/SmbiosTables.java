package org.varsgen.emulator.devices.smbios;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SMBIOS data QEMU 7.2 hands to the firmware through fw_cfg for a q35 machine with the
 * default -smbios settings: etc/smbios/smbios-tables (types 1, 3, 4 per socket, 11 when OEM
 * strings are given, 16, 17 per 16 GiB DIMM, 19 per RAM range, 32, 127; QEMU builds no type 0
 * unless asked) and etc/smbios/smbios-anchor (a 31-byte SMBIOS 2.8 entry point, whose
 * checksums and table address the firmware fills in, so QEMU leaves them zero).
 *
 * <p>Written from the SMBIOS 2.8/3.x specification and checked byte for byte against a capture
 * of QEMU 7.2 (emulator/src/test/resources/qemu-fwcfg, docs/firmware-interfaces.md).
 */
public final class SmbiosTables {
    /** How the machine is described; {@link #q35(long, List)} gives QEMU 7.2's values. */
    public record Machine(String manufacturer, String product, String version, long ramBytes,
                          int sockets, int coresPerSocket, int threadsPerCore,
                          int cpuidSignature, int cpuidFeatures, List<String> oemStrings) {
        public Machine {
            oemStrings = List.copyOf(oemStrings);
        }
    }

    /**
     * QEMU 7.2's own words for "-machine q35 -smp N" with the default qemu64 CPU (CPUID 1: EAX,
     * EDX); since machine type 6.2 QEMU makes a bare -smp N one socket of N cores.
     */
    public static Machine q35(long ramBytes, int cpus, List<String> oemStrings) {
        return new Machine("QEMU", "Standard PC (Q35 + ICH9, 2009)", "pc-q35-7.2", ramBytes,
                1, cpus, 1, 0x00060FB1, 0x078BFBFD, oemStrings);
    }

    private static final long DIMM_MAX = 16L << 30;
    private static final long LOWMEM_Q35 = 0x80000000L;
    private static final long LOWMEM_THRESHOLD_Q35 = 0xB0000000L;
    private static final int MAX_SPEED_MHZ = 2000;

    private final byte[] tables;
    private final byte[] anchor;

    public SmbiosTables(Machine m) {
        for (String s : m.oemStrings()) {
            if (s.isEmpty() || s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an SMBIOS OEM string must be non-empty and contain no NUL");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 0;
        int maxSize = 0;
        for (byte[] s : structures(m)) {
            out.writeBytes(s);
            count++;
            maxSize = Math.max(maxSize, s.length);
        }
        tables = out.toByteArray();
        anchor = entryPoint(tables.length, count, maxSize);
    }

    public byte[] tables() {
        return tables.clone();
    }

    public byte[] anchor() {
        return anchor.clone();
    }

    private static List<byte[]> structures(Machine m) {
        List<byte[]> list = new java.util.ArrayList<>();
        list.add(new SmbiosStructure(1, 0x100)
                .string(m.manufacturer()).string(m.product()).string(m.version()).string(null)
                .zeros(16)          // UUID: none given
                .u8(0x06)           // wake-up type: power switch
                .string(null).string(null)
                .bytes());
        list.add(new SmbiosStructure(3, 0x300)
                .string(m.manufacturer()).u8(0x01).string(m.version()).string(null).string(null)
                .u8(0x03).u8(0x03).u8(0x03) // boot-up, power supply, thermal state: safe
                .u8(0x02)                   // security status: unknown
                .u32(0).u8(0).u8(0).u8(0).u8(0)
                .string(null)
                .bytes());
        for (int socket = 0; socket < m.sockets(); socket++) {
            int cores = m.coresPerSocket();
            int threads = cores * m.threadsPerCore();
            list.add(new SmbiosStructure(4, 0x400 + socket)
                    .string("CPU " + socket)
                    .u8(0x03)               // central processor
                    .u8(0x01)               // family: other
                    .string(m.manufacturer())
                    .u32(m.cpuidSignature() & 0xFFFFFFFFL).u32(m.cpuidFeatures() & 0xFFFFFFFFL)
                    .string(m.version())
                    .u8(0).u16(0)           // voltage, external clock: unknown
                    .u16(MAX_SPEED_MHZ).u16(MAX_SPEED_MHZ)
                    .u8(0x41)               // populated, enabled
                    .u8(0x01)               // upgrade: other
                    .u16(0xFFFF).u16(0xFFFF).u16(0xFFFF)
                    .string(null).string(null).string(null)
                    .u8(cores).u8(cores).u8(threads)
                    .u16(0x02)              // characteristics: unknown
                    .u16(0x01)              // family 2: other
                    .bytes());
        }
        if (!m.oemStrings().isEmpty()) {
            SmbiosStructure oem = new SmbiosStructure(11, 0xE00).u8(m.oemStrings().size());
            for (String s : m.oemStrings()) {
                oem.unreferencedString(s);
            }
            list.add(oem.bytes());
        }
        long ramKib = m.ramBytes() >> 10;
        int dimms = (int) ((m.ramBytes() + DIMM_MAX - 1) / DIMM_MAX);
        list.add(new SmbiosStructure(16, 0x1000)
                .u8(0x01).u8(0x03).u8(0x06) // location other, system memory, multi-bit ECC
                .u32(ramKib < 0x80000000L ? ramKib : 0x80000000L)
                .u16(0xFFFE)                // no error information
                .u16(dimms)
                .u64(ramKib < 0x80000000L ? 0 : m.ramBytes())
                .bytes());
        for (int i = 0; i < dimms; i++) {
            long size = Math.min(DIMM_MAX, m.ramBytes() - i * DIMM_MAX);
            long sizeMib = size >> 20;
            list.add(new SmbiosStructure(17, 0x1100 + i)
                    .u16(0x1000).u16(0xFFFE)
                    .u16(0xFFFF).u16(0xFFFF) // total and data width unknown
                    .u16(sizeMib < 0x7FFF ? (int) sizeMib : 0x7FFF)
                    .u8(0x09)                // DIMM
                    .u8(0)
                    .string("DIMM " + i).string(null)
                    .u8(0x07)                // RAM
                    .u16(0x02)               // type detail: other
                    .u16(0)
                    .string(m.manufacturer()).string(null).string(null).string(null)
                    .u8(0)
                    .u32(sizeMib < 0x7FFF ? 0 : sizeMib)
                    .u16(0).u16(0).u16(0).u16(0)
                    .bytes());
        }
        long below4g = m.ramBytes() >= LOWMEM_THRESHOLD_Q35 ? LOWMEM_Q35 : m.ramBytes();
        int handle = 0x1300;
        list.add(memoryArrayMapped(handle++, 0, below4g));
        if (m.ramBytes() > below4g) {
            list.add(memoryArrayMapped(handle, 1L << 32, m.ramBytes() - below4g));
        }
        list.add(new SmbiosStructure(32, 0x2000).zeros(6).u8(0).bytes());
        list.add(new SmbiosStructure(127, 0x7F00).bytes());
        return list;
    }

    private static byte[] memoryArrayMapped(int handle, long start, long size) {
        long startKib = start >> 10;
        long endKib = ((start + size) >> 10) - 1;
        boolean fits = endKib < 0xFFFFFFFFL;
        return new SmbiosStructure(19, handle)
                .u32(fits ? startKib : 0xFFFFFFFFL).u32(fits ? endKib : 0xFFFFFFFFL)
                .u16(0x1000).u8(1)
                .u64(fits ? 0 : start).u64(fits ? 0 : start + size - 1)
                .bytes();
    }

    /** The 31-byte "_SM_" entry point of SMBIOS 2.8, as QEMU leaves it for the firmware to complete. */
    private static byte[] entryPoint(int tableLength, int count, int maxStructureSize) {
        byte[] ep = new byte[31];
        put(ep, 0, "_SM_");
        ep[5] = 31;
        ep[6] = 2;
        ep[7] = 8;
        ep[8] = (byte) maxStructureSize;
        ep[9] = (byte) (maxStructureSize >> 8);
        put(ep, 16, "_DMI_");
        ep[22] = (byte) tableLength;
        ep[23] = (byte) (tableLength >> 8);
        ep[28] = (byte) count;
        ep[29] = (byte) (count >> 8);
        ep[30] = 0x28;
        return ep;
    }

    private static void put(byte[] b, int at, String s) {
        byte[] ascii = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, b, at, ascii.length);
    }
}
