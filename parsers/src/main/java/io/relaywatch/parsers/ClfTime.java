package io.relaywatch.parsers;

import java.time.DateTimeException;
import java.time.Instant;
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

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date (as {@link java.time.LocalDate#toEpochDay()}), or
     * {@link Long#MIN_VALUE} for a date that does not exist (31/Feb, 29/Feb/2026). Arithmetic, not {@code LocalDate}:
     * this runs once per line (H. Hinnant's days_from_civil).
     */
    static long epochDay(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return Long.MIN_VALUE;
        }
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }
}
