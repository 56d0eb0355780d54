package io.relaywatch.parsers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The Common Log Format timestamp {@code 09/Nov/2026:10:01:02 +0100}, as Apache, Nginx and Proxmox write it, read by
 * hand: this runs once per access-log line.
 */
public final class ClfTime {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private ClfTime() {
    }

    /**
     * Parses a CLF timestamp without its zone ({@code 31/Jan/2015:14:29:44}, as custom LogFormats write it) in
     * {@code zone}; {@code null} if invalid.
     */
    public static Instant parseLocal(String s, int from, java.time.ZoneId zone) {
        Instant asUtc = parse(s.substring(from, Math.min(s.length(), from + 20)) + " +0000", 0);
        return asUtc == null ? null : LocalDateTime.ofInstant(asUtc, ZoneOffset.UTC).atZone(zone).toInstant();
    }

    /** Parses {@code s[from..from+26)}; {@code null} if it is not a valid CLF timestamp. */
    public static Instant parse(String s, int from) {
        if (s.length() < from + 26 || s.charAt(from + 2) != '/' || s.charAt(from + 6) != '/'
                || s.charAt(from + 11) != ':' || s.charAt(from + 14) != ':' || s.charAt(from + 17) != ':'
                || s.charAt(from + 20) != ' ') {
            return null;
        }
        int month = month(s, from + 3);
        int day = digits(s, from, 2);
        int year = digits(s, from + 7, 4);
        int hour = digits(s, from + 12, 2);
        int minute = digits(s, from + 15, 2);
        int second = digits(s, from + 18, 2);
        char sign = s.charAt(from + 21);
        int hh = digits(s, from + 22, 2);
        int mm = digits(s, from + 24, 2);
        if (month < 0 || day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || hh < 0 || mm < 0
                || (sign != '+' && sign != '-') || hour > 23 || minute > 59 || second > 59 || mm > 59 || hh > 18
                || (hh == 18 && mm > 0)) {
            return null;
        }
        // the same few dates repeat line after line: validating and counting days is done once per date
        long epochDay = epochDay(year, month, day);
        if (epochDay == Long.MIN_VALUE) {
            return null;
        }
        int offsetSeconds = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds);
    }

    /** 1-12 for the month's three letters at {@code from}, else -1. */
    private static int month(String s, int from) {
        for (int m = 0; m < 12; m++) {
            if (s.regionMatches(from, MONTHS, m * 3, 3)) {
                return m + 1;
            }
        }
        return -1;
    }

    /** The value of {@code length} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The last date asked for, per thread: {year, month, day, epoch day}. */
    private static final ThreadLocal<long[]> LAST_DATE = ThreadLocal.withInitial(() -> new long[] {-1, -1, -1, 0});

    /** Days since 1970-01-01, or {@link Long#MIN_VALUE} for a date that does not exist (31/Feb). */
    private static long epochDay(int year, int month, int day) {
        long[] last = LAST_DATE.get();
        if (last[0] == year && last[1] == month && last[2] == day) {
            return last[3];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
        last[0] = year;
        last[1] = month;
        last[2] = day;
        last[3] = epochDay;
        return epochDay;
    }
}
