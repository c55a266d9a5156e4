package org.varsgen.emulator.bus;

/**
 * A region that is, at times, plain read-only memory: QEMU's "ROM device" (ROMD). While
 * {@link #romMode()} is true, reads may be served straight from {@link #romContents()} (the
 * CPU may execute in place, and the JIT may compile that code) and only writes go to the
 * handler; otherwise every access goes to the handler. The mode listener fires whenever the
 * mode or the contents change, so that the bus can bump its mapping generation and drop
 * translated code.
 */
public interface RomDevice extends AttributedRegionHandler {
    boolean romMode();

    /** The live backing array (never to be written by the caller). */
    byte[] romContents();

    void setRomListener(Runnable listener);
}
