package org.varsgen.disk;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A FAT date and time (local time without zone, 2-second resolution, years 1980 to 2107) made
 * from a fixed epoch second, read as UTC, such as SOURCE_DATE_EPOCH. Never the host clock.
 */
record FatTimestamp(int date, int time, int hundredths) {
    static final long MIN_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    static final long MAX_EPOCH = LocalDateTime.of(2107, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    static FatTimestamp ofEpochSecond(long epochSecond) {
        if (epochSecond < MIN_EPOCH || epochSecond > MAX_EPOCH) {
            throw new DiskImageException("time stamp " + epochSecond + " (seconds since 1970, UTC) is outside FAT's range"
                    + " 1980-01-01 to 2107-12-31");
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
        // The creation time's extra field holds the odd second, in units of 10 ms.
        return new FatTimestamp(date, time, (t.getSecond() % 2) * 100);
    }
}
