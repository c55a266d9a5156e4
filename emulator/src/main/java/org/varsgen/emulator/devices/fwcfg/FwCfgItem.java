package org.varsgen.emulator.devices.fwcfg;

/**
 * One fw_cfg item: its bytes, whether the guest may write them (through DMA only), and the
 * select callback QEMU attaches to some files (the SMI negotiation validates when the guest
 * selects etc/smi/features-ok). QEMU also has write callbacks, but no file on this machine uses
 * one.
 */
public final class FwCfgItem {
    private final byte[] data;
    private final boolean writable;
    private final Runnable selectCallback;

    public FwCfgItem(byte[] data, boolean writable, Runnable selectCallback) {
        this.data = data;
        this.writable = writable;
        this.selectCallback = selectCallback;
    }

    /** A read-only item without callbacks. */
    public static FwCfgItem readOnly(byte[] data) {
        return new FwCfgItem(data, false, null);
    }

    /** The live bytes (guest writes land here). */
    public byte[] data() {
        return data;
    }

    public int length() {
        return data.length;
    }

    public boolean writable() {
        return writable;
    }

    void selected() {
        if (selectCallback != null) {
            selectCallback.run();
        }
    }
}
