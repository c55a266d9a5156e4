package org.varsgen.emulator.devices.fwcfg;

/**
 * The SMI feature negotiation of QEMU's ICH9 LPC bridge (hw/isa/lpc_ich9.c), exposed as three
 * fw_cfg files: etc/smi/supported-features (u64, what the host offers), etc/smi/requested-features
 * (u64, written by the guest through DMA) and etc/smi/features-ok (u8). Selecting features-ok
 * validates the request and, when valid, locks it in and sets features-ok to 1; later requests
 * change nothing until a machine reset. OVMF's SmmControl2Dxe hangs unless it reads 1.
 */
public final class SmiFeatureNegotiation {
    public static final String SUPPORTED = "etc/smi/supported-features";
    public static final String REQUESTED = "etc/smi/requested-features";
    public static final String FEATURES_OK = "etc/smi/features-ok";

    public static final long BROADCAST = 1, CPU_HOTPLUG = 1 << 1, CPU_HOT_UNPLUG = 1 << 2;

    private final byte[] supported = new byte[8];
    private final byte[] requested = new byte[8];
    private final byte[] featuresOk = new byte[1];
    private long negotiated;

    /** @param hostFeatures the features offered; QEMU 7.2's q35 offers all three (0x7). */
    public SmiFeatureNegotiation(long hostFeatures) {
        for (int i = 0; i < 8; i++) {
            supported[i] = (byte) (hostFeatures >>> (8 * i));
        }
    }

    /** Adds the three files to {@code fwCfg}. */
    public void install(FwCfg fwCfg) {
        fwCfg.addFile(SUPPORTED, FwCfgItem.readOnly(supported));
        fwCfg.addFile(REQUESTED, new FwCfgItem(requested, true, null));
        fwCfg.addFile(FEATURES_OK, new FwCfgItem(featuresOk, false, this::validate));
    }

    /** The features the guest negotiated (0 until features-ok reads 1): SMI broadcast in bit 0. */
    public long negotiated() {
        return negotiated;
    }

    /** Machine reset: the negotiation starts over. */
    public void reset() {
        featuresOk[0] = 0;
        negotiated = 0;
    }

    private void validate() {
        if (featuresOk[0] != 0) {
            return;
        }
        long host = le64(supported);
        long guest = le64(requested);
        long hotplug = guest & (CPU_HOTPLUG | CPU_HOT_UNPLUG);
        if ((guest & ~host) != 0
                || (hotplug != 0 && (guest & BROADCAST) == 0)   // hot-(un)plug SMIs need broadcast
                || hotplug == CPU_HOT_UNPLUG) {                  // unplug needs plug
            return;
        }
        negotiated = guest;
        featuresOk[0] = 1;
    }

    private static long le64(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
