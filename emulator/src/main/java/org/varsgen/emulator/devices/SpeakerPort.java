package org.varsgen.emulator.devices;

import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

/**
 * Port 0x61, "port B" (QEMU's pcspk region): bit 0 gates PIT channel 2, bit 1 enables the
 * speaker data, bit 4 is the DRAM refresh toggle and bit 5 reflects channel 2's OUT.
 *
 * <p>QEMU flips the refresh bit on every read; here it is derived from the virtual clock, a
 * square wave with a 15.085 us half-period as on a PC, so that delay loops counting refresh
 * toggles measure guest time. There is no sound.
 */
public final class SpeakerPort implements RegionHandler {
    /** QEMU's pcspk_io_ops: bytes implemented, any access up to 4 bytes valid. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 1);
    /** Half-period of the refresh request signal, nanoseconds. */
    public static final long REFRESH_HALF_PERIOD_NS = 15_085;

    private final VirtualClock clock;
    private final Pit8254 pit;
    private boolean speakerData;

    public SpeakerPort(VirtualClock clock, Pit8254 pit) {
        this.clock = clock;
        this.pit = pit;
    }

    public Region region() {
        return Region.mmio("pcspk", 0x61, 1, this, ACCESS);
    }

    @Override
    public long read(long offset, int size) {
        int refresh = (int) (clock.now() / REFRESH_HALF_PERIOD_NS) & 1;
        return (pit.channel2Gate() ? 1 : 0)
                | (speakerData ? 2 : 0)
                | refresh << 4
                | (pit.out(2) ? 0x20 : 0);
    }

    @Override
    public void write(long offset, int size, long value) {
        speakerData = (value & 2) != 0;
        pit.setChannel2Gate((value & 1) != 0);
    }
}
