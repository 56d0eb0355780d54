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
                || s.charAt(from + 11) != ':' || s.charAt(from + 20) != ' ') {
            return null;
        }
        int month = MONTHS.indexOf(s.substring(from + 3, from + 6));
        if (month < 0 || month % 3 != 0) {
            return null;
        }
        Long day = Values.toLong(s.substring(from, from + 2));
        Long year = Values.toLong(s.substring(from + 7, from + 11));
        Long hour = Values.toLong(s.substring(from + 12, from + 14));
        Long minute = Values.toLong(s.substring(from + 15, from + 17));
        Long second = Values.toLong(s.substring(from + 18, from + 20));
        char sign = s.charAt(from + 21);
        Long hh = Values.toLong(s.substring(from + 22, from + 24));
        Long mm = Values.toLong(s.substring(from + 24, from + 26));
        if (day == null || year == null || hour == null || minute == null || second == null || hh == null
                || mm == null || (sign != '+' && sign != '-')) {
            return null;
        }
        try {
            int offsetSeconds = (int) (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
            return LocalDateTime.of(year.intValue(), month / 3 + 1, day.intValue(), hour.intValue(),
                    minute.intValue(), second.intValue()).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
