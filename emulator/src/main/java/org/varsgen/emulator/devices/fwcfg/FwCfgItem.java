package org.varsgen.emulator.devices.fwcfg;

/**
 * One fw_cfg item: its bytes, whether the guest may write them (through DMA only), and the
 * callbacks QEMU attaches to some files (the SMI negotiation validates on select).
 */
public final class FwCfgItem {
    /** Called after a successful guest DMA write of {@code length} bytes at {@code offset}. */
    @FunctionalInterface
    public interface WriteCallback {
        void written(int offset, int length);
    }

    private final byte[] data;
    private final boolean writable;
    private final Runnable selectCallback;
    private final WriteCallback writeCallback;

    public FwCfgItem(byte[] data, boolean writable, Runnable selectCallback, WriteCallback writeCallback) {
        this.data = data;
        this.writable = writable;
        this.selectCallback = selectCallback;
        this.writeCallback = writeCallback;
    }

    /** A read-only item without callbacks. */
    public static FwCfgItem readOnly(byte[] data) {
        return new FwCfgItem(data, false, null, null);
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

    void written(int offset, int length) {
        if (writeCallback != null) {
            writeCallback.written(offset, length);
        }
    }
}
