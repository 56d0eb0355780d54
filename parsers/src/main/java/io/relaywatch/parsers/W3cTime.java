package io.relaywatch.parsers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/** The date and time fields of W3C logs: {@code 2026-11-10} and {@code 08:01:02[.123]}. */
public final class W3cTime {

    private W3cTime() {
    }

    /** The instant of {@code date} + {@code time} in {@code zone}, or {@code null} if either is missing or invalid. */
    public static Instant of(String date, String time, LocalDate fallbackDate, ZoneId zone) {
        if (time == null) {
            return null;
        }
        try {
            LocalDate day = date != null ? LocalDate.parse(date) : fallbackDate;
            return day == null ? null : day.atTime(LocalTime.parse(time)).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
