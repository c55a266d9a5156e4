package org.varsgen.emulator.bus;

/**
 * A region that is, at times, plain read-only memory: QEMU's "ROM device" (ROMD). While
 * {@link #romMode()} is true, reads may be served straight from {@link #romContents()} (the
 * CPU may execute in place, and the JIT may compile that code) and only writes go to the
 * handler; otherwise every access goes to the handler. The contents change only while the
 * device is out of ROM mode, and the listener fires whenever the mode changes, so that the bus
 * can bump its mapping generation and drop code translated from the old contents.
 */
public interface RomDevice extends AttributedRegionHandler {
    boolean romMode();

    /** The live backing array (never to be written by the caller). */
    byte[] romContents();

    void setRomListener(Runnable listener);
}
