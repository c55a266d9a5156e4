package org.varsgen.emulator.devices;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.varsgen.emulator.bus.AccessConstraints;
import org.varsgen.emulator.bus.Region;
import org.varsgen.emulator.bus.RegionHandler;
import org.varsgen.emulator.time.VirtualClock;

/**
 * The MC146818 real-time clock and its 128 bytes of CMOS RAM behind the index port 0x70 and
 * the data port 0x71, on ISA IRQ 8.
 *
 * <p>The time is the configured start time (seconds since the epoch, UTC, for example
 * SOURCE_DATE_EPOCH) plus the guest nanoseconds of the virtual clock, never the host's time. It
 * is encoded on every read in BCD or binary and in 12- or 24-hour form as register B says. The
 * guest may set it (register B SET, write the registers, clear SET), after which the clock runs
 * from the written time. Register A's update-in-progress bit is high during the last 244 us of
 * each second, register C's update-ended flag is raised by each second boundary passed since C
 * was last read, and register D reads 0x80 (valid RAM and time); C and D ignore writes, as in
 * QEMU. The periodic interrupt (register A rate, B PIE) and the update-ended interrupt (B UIE)
 * raise IRQ 8 until register C is read. The alarm is not modelled: OVMF never enables it.
 *
 * <p>Port 0x70 reads 0xFF as in QEMU, and its bit 7 (NMI disable) does not take part in the
 * index; {@link #nmiDisabled()} reports it for the board.
 */
public final class Mc146818Rtc {
    /** QEMU's cmos_ops: bytes implemented, any access up to 4 bytes valid. */
    public static final AccessConstraints ACCESS = AccessConstraints.of(1, 4, 1, 1);

    public static final int REG_A = 0x0A;
    public static final int REG_B = 0x0B;
    public static final int REG_C = 0x0C;
    public static final int REG_D = 0x0D;
    /** The century byte, BCD, as the FADT's CENTURY field points to. */
    public static final int CENTURY = 0x32;
    /** The IBM PS/2 copy of the century that QEMU also keeps. */
    public static final int PS2_CENTURY = 0x37;

    private static final long NS_PER_S = 1_000_000_000L;
    /** UIP rises this long before each second boundary (244 us, eight 32 kHz cycles). */
    static final long UIP_LEAD_NS = 8 * NS_PER_S / 32768;

    private static final int B_SET = 0x80;
    private static final int B_PIE = 0x40;
    private static final int B_AIE = 0x20;
    private static final int B_UIE = 0x10;
    private static final int B_BINARY = 0x04;
    private static final int B_24H = 0x02;
    private static final int C_IRQF = 0x80;
    private static final int C_PF = 0x40;
    private static final int C_UF = 0x10;

    private final VirtualClock clock;
    private final IrqLine irq8;
    private final VirtualClock.Timer periodicTimer;
    private final VirtualClock.Timer updateTimer;
    private final byte[] cmos = new byte[128];
    private Runnable timerReadHook = () -> { };
    private int index;
    private boolean nmiDisabled;

    /** Guest RTC time, in ns since the epoch, at virtual time {@link #baseVirtualNs}. */
    private long baseRtcNs;
    private long baseVirtualNs;
    /** When set, the time stands still at what was last set (see {@link #setFrozen}). */
    private boolean frozen;
    /** RTC time (ns since the epoch) at which register C's UF was last cleared. */
    private long ufClearedAt;

    public Mc146818Rtc(VirtualClock clock, IrqLine irq8, long startEpochSeconds) {
        this.clock = clock;
        this.irq8 = irq8;
        this.periodicTimer = clock.newTimer("rtc-periodic", this::periodicTick);
        this.updateTimer = clock.newTimer("rtc-update", this::updateEnded);
        cmos[REG_A] = 0x26;
        cmos[REG_B] = B_24H;
        cmos[REG_C] = 0;
        cmos[REG_D] = (byte) 0x80;
        baseRtcNs = Math.multiplyExact(startEpochSeconds, NS_PER_S);
        baseVirtualNs = clock.now();
        ufClearedAt = baseRtcNs;
        storeTime(rtcNs());
    }

    /**
     * Makes the clock stand still at its current time; the guest may still set it, and then it
     * shows the new time, still standing. The generator uses this so that every time stamp the
     * firmware takes (EnrollDefaultKeys reads the clock once per variable) equals
     * SOURCE_DATE_EPOCH, however long the boot takes in guest time.
     */
    public void setFrozen(boolean frozen) {
        if (frozen && !this.frozen) {
            freeze();
        }
        this.frozen = frozen;
        if (!frozen) {
            baseVirtualNs = clock.now();
        }
    }

    /** Runs before a time-dependent read (time registers, A, C), so the board can charge virtual time. */
    public void setTimerReadHook(Runnable hook) {
        this.timerReadHook = hook;
    }

    /** Port 0x70 ("rtc-index" in QEMU) and port 0x71 ("rtc"). */
    public List<Region> regions() {
        RegionHandler indexPort = new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return 0xFF;
            }

            @Override
            public void write(long offset, int size, long value) {
                index = (int) value & 0x7F;
                nmiDisabled = (value & 0x80) != 0;
            }
        };
        RegionHandler dataPort = new RegionHandler() {
            @Override
            public long read(long offset, int size) {
                return readData();
            }

            @Override
            public void write(long offset, int size, long value) {
                writeData((int) value & 0xFF);
            }
        };
        return List.of(Region.mmio("rtc-index", 0x70, 1, indexPort, ACCESS),
                Region.mmio("rtc", 0x71, 1, dataPort, ACCESS));
    }

    public boolean nmiDisabled() {
        return nmiDisabled;
    }

    /** A CMOS byte as the board fills it before power-on (no side effects). */
    public void setCmosByte(int offset, int value) {
        cmos[offset & 0x7F] = (byte) value;
    }

    /** A CMOS byte as stored (time registers as last computed). */
    public int cmosByte(int offset) {
        return cmos[offset & 0x7F] & 0xFF;
    }

    /** Selects a register, as a write to port 0x70. */
    public void selectIndex(int value) {
        index = value & 0x7F;
        nmiDisabled = (value & 0x80) != 0;
    }

    /** The divider chain runs (DV = 010, or the 000/001 settings QEMU treats alike). */
    private boolean dividerRunning() {
        return (cmos[REG_A] & 0x70) <= 0x20;
    }

    /** The clock advances: divider running and no SET in progress. */
    private boolean running() {
        return (cmos[REG_B] & B_SET) == 0 && dividerRunning();
    }

    /** The guest's RTC time now, in ns since the epoch. */
    private long rtcNs() {
        return running() && !frozen ? baseRtcNs + (clock.now() - baseVirtualNs) : baseRtcNs;
    }

    /** Freezes the clock at the current time (entering SET or divider reset). */
    private void freeze() {
        baseRtcNs = rtcNs();
        baseVirtualNs = clock.now();
        storeTime(baseRtcNs);
    }

    /** Restarts the clock from the time held in the registers, at the start of a second. */
    private void restartFromRegisters() {
        baseRtcNs = Math.multiplyExact(loadTime(), NS_PER_S);
        baseVirtualNs = clock.now();
        ufClearedAt = baseRtcNs;
    }

    public int readData() {
        int i = index;
        if (i <= 9 || i == REG_A || i == REG_C) {
            timerReadHook.run();
        }
        if (i <= 9 && running()) {
            storeTime(rtcNs());
        }
        return switch (i) {
            case REG_A -> (cmos[REG_A] & 0x7F) | (updateInProgress() ? 0x80 : 0);
            case REG_C -> readAndClearC();
            default -> cmos[i] & 0xFF;
        };
    }

    private boolean updateInProgress() {
        return running() && Math.floorMod(rtcNs(), NS_PER_S) >= NS_PER_S - UIP_LEAD_NS;
    }

    private int readAndClearC() {
        int value = cmos[REG_C] & 0xFF;
        long now = rtcNs();
        if (running() && Math.floorDiv(now, NS_PER_S) > Math.floorDiv(ufClearedAt, NS_PER_S)) {
            value |= C_UF;
        }
        ufClearedAt = now;
        cmos[REG_C] = 0;
        irq8.lower();
        return value;
    }

    public void writeData(int value) {
        int i = index;
        switch (i) {
            case 0, 2, 4, 6, 7, 8, 9 -> {
                boolean wasRunning = running();
                if (wasRunning) {
                    storeTime(rtcNs());
                }
                cmos[i] = (byte) value;
                if (wasRunning) {
                    restartFromRegisters();
                }
            }
            case REG_A -> {
                boolean wasRunning = running();
                if (wasRunning) {
                    freeze();
                }
                cmos[REG_A] = (byte) (value & 0x7F);
                if (!wasRunning && running()) {
                    restartFromRegisters();     // leaving divider reset
                }
                updateTimers();
            }
            case REG_B -> writeB(value);
            case REG_C, REG_D -> { }            // read-only
            default -> cmos[i] = (byte) value;
        }
    }

    private void writeB(int value) {
        boolean wasRunning = running();
        if ((value & B_SET) != 0) {
            if (wasRunning) {
                freeze();
            }
            value &= ~B_UIE;
        }
        int oldB = cmos[REG_B] & 0xFF;
        // A change of data mode or hour format re-encodes the held time, as the chip shows it.
        if (((oldB ^ value) & (B_BINARY | B_24H)) != 0) {
            long t = rtcNs();
            cmos[REG_B] = (byte) ((oldB & ~(B_BINARY | B_24H)) | (value & (B_BINARY | B_24H)));
            storeTime(t);
        }
        cmos[REG_B] = (byte) value;
        if (!wasRunning && running()) {
            restartFromRegisters();
        }
        // A flag already set in C when its enable bit is set interrupts at once (B and C share bit positions).
        if ((value & cmos[REG_C] & (B_PIE | B_AIE | B_UIE)) != 0) {
            cmos[REG_C] |= C_IRQF;
            irq8.raise();
        } else {
            cmos[REG_C] &= ~C_IRQF;
            irq8.lower();
        }
        updateTimers();
    }

    private void updateTimers() {
        int rate = cmos[REG_A] & 0x0F;
        if (rate != 0 && (cmos[REG_B] & B_PIE) != 0 && dividerRunning()) {   // SET stops updates, not the divider
            periodicTimer.arm(clock.now() + periodNs(rate));
        } else {
            periodicTimer.cancel();
        }
        if ((cmos[REG_B] & B_UIE) != 0 && running()) {
            long toNextSecond = NS_PER_S - Math.floorMod(rtcNs(), NS_PER_S);
            updateTimer.arm(clock.now() + toNextSecond);
        } else {
            updateTimer.cancel();
        }
    }

    /** Periodic interrupt period for rate-select {@code rate}: 2^(rate-1) cycles of 32.768 kHz (rates 1, 2 as 8, 9). */
    static long periodNs(int rate) {
        int r = rate <= 2 ? rate + 7 : rate;
        return (1L << (r - 1)) * NS_PER_S / 32768;
    }

    private void periodicTick() {
        cmos[REG_C] |= C_PF | C_IRQF;
        irq8.raise();
        updateTimers();
    }

    private void updateEnded() {
        cmos[REG_C] |= C_UF | C_IRQF;
        irq8.raise();
        updateTimers();
    }

    // ---- encoding ----

    private int encode(int v) {
        return (cmos[REG_B] & B_BINARY) != 0 ? v : ((v / 10) << 4) | (v % 10);
    }

    private int decode(int v) {
        return (cmos[REG_B] & B_BINARY) != 0 ? v : ((v >> 4) & 0x0F) * 10 + (v & 0x0F);
    }

    private void storeTime(long ns) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(ns, NS_PER_S), 0, ZoneOffset.UTC);
        cmos[0] = (byte) encode(t.getSecond());
        cmos[2] = (byte) encode(t.getMinute());
        int hour = t.getHour();
        if ((cmos[REG_B] & B_24H) != 0) {
            cmos[4] = (byte) encode(hour);
        } else {
            int h12 = hour % 12 == 0 ? 12 : hour % 12;
            cmos[4] = (byte) (encode(h12) | (hour >= 12 ? 0x80 : 0));
        }
        cmos[6] = (byte) encode(t.getDayOfWeek().getValue() % 7 + 1);   // 1 = Sunday
        cmos[7] = (byte) encode(t.getDayOfMonth());
        cmos[8] = (byte) encode(t.getMonthValue());
        cmos[9] = (byte) encode(t.getYear() % 100);
        cmos[CENTURY] = (byte) encode(t.getYear() / 100);
        cmos[PS2_CENTURY] = cmos[CENTURY];
    }

    /** The time in the registers, in seconds since the epoch; out-of-range fields roll over. */
    private long loadTime() {
        int hourByte = cmos[4] & 0xFF;
        int hour;
        if ((cmos[REG_B] & B_24H) != 0) {
            hour = decode(hourByte);
        } else {
            hour = decode(hourByte & 0x7F) % 12 + ((hourByte & 0x80) != 0 ? 12 : 0);
        }
        int year = decode(cmos[CENTURY] & 0xFF) * 100 + decode(cmos[9] & 0xFF);
        LocalDateTime t = LocalDateTime.of(year, 1, 1, 0, 0)
                .plusMonths(Math.max(decode(cmos[8] & 0xFF), 1) - 1L)
                .plusDays(Math.max(decode(cmos[7] & 0xFF), 1) - 1L)
                .plusHours(hour)
                .plusMinutes(decode(cmos[2] & 0xFF))
                .plusSeconds(decode(cmos[0] & 0xFF));
        return t.toEpochSecond(ZoneOffset.UTC);
    }
}
