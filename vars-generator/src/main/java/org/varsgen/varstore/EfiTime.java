package org.varsgen.varstore;

import java.util.Arrays;

/**
 * The 16-byte EFI_TIME of a time-based authenticated variable. The raw bytes are kept so that
 * writing back is exact even when the fields hold values no calendar allows.
 */
public final class EfiTime {
    public static final int SIZE = 16;
    private static final EfiTime ZERO = new EfiTime(new byte[SIZE]);
    private final byte[] raw;

    private EfiTime(byte[] raw) {
        this.raw = raw;
    }

    public static EfiTime zero() {
        return ZERO;
    }

    public static EfiTime read(byte[] b, int off) {
        return new EfiTime(Arrays.copyOfRange(b, off, off + SIZE));
    }

    /** A UTC time stamp with no nanoseconds, time zone or daylight flags (what EnrollDefaultKeys writes). */
    public static EfiTime of(int year, int month, int day, int hour, int minute, int second) {
        byte[] b = new byte[SIZE];
        Le.put16(b, 0, year);
        b[2] = (byte) month;
        b[3] = (byte) day;
        b[4] = (byte) hour;
        b[5] = (byte) minute;
        b[6] = (byte) second;
        return new EfiTime(b);
    }

    public void write(byte[] b, int off) {
        System.arraycopy(raw, 0, b, off, SIZE);
    }

    public boolean isZero() {
        return Arrays.equals(raw, ZERO.raw);
    }

    public int year() {
        return Le.u16(raw, 0);
    }

    public int month() {
        return Le.u8(raw, 2);
    }

    public int day() {
        return Le.u8(raw, 3);
    }

    public int hour() {
        return Le.u8(raw, 4);
    }

    public int minute() {
        return Le.u8(raw, 5);
    }

    public int second() {
        return Le.u8(raw, 6);
    }

    public long nanosecond() {
        return Le.u32(raw, 8);
    }

    /** Minutes from UTC as a signed 16-bit value; 0x07FF means "unspecified". */
    public int timeZone() {
        return (short) Le.u16(raw, 12);
    }

    public int daylight() {
        return Le.u8(raw, 14);
    }

    public String hex() {
        return Le.hex(raw);
    }

    /** "2026-01-04 18:19:19" (plus nanoseconds, zone and daylight flags when set), or "none" when all zero. */
    @Override
    public String toString() {
        if (isZero()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder(String.format("%04d-%02d-%02d %02d:%02d:%02d",
                year(), month(), day(), hour(), minute(), second()));
        if (nanosecond() != 0) {
            sb.append(String.format(".%09d", nanosecond()));
        }
        if (timeZone() != 0 && timeZone() != 0x07FF) {
            sb.append(String.format(" UTC%+d min", timeZone()));
        }
        if (daylight() != 0) {
            sb.append(String.format(" daylight 0x%02x", daylight()));
        }
        if (raw[7] != 0 || raw[15] != 0) {
            sb.append(" (pad bytes set: ").append(hex()).append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EfiTime t && Arrays.equals(raw, t.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }
}
