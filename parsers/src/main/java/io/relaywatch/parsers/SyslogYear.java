package io.relaywatch.parsers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Supplies the year that BSD-syslog timestamps ({@code Nov  9 06:25:01}) leave out, for the lines of one file read in
 * order. The first line's year is {@code --year} if given; otherwise the year that puts the line at or before the file's
 * date (so December lines in a file written in January land in the previous year). After that the year advances when
 * the month drops from late to early in the year (December to January) and a line that jumps back across New Year keeps
 * the previous year.
 */
public final class SyslogYear {

    /** A file's date may trail its last line by clock skew or a late rotation; lines up to this far ahead still count. */
    private static final int FILE_DATE_SLACK_DAYS = 2;

    private final Integer forcedYear;
    private final Instant fileDate;
    private final ZoneId zone;
    private int year;
    private int lastMonth;

    SyslogYear(Integer forcedYear, Instant fileDate, ZoneId zone) {
        this.forcedYear = forcedYear;
        this.fileDate = fileDate;
        this.zone = zone;
    }

    /**
     * The instant of a zone-less syslog timestamp in this file's zone, or {@code null} if no such date exists
     * (Feb 30, hour 25).
     */
    public Instant resolve(int month, int day, int hour, int minute, int second, int nanos) {
        if (month < 1 || month > 12) {
            return null;
        }
        int lineYear = yearFor(month, day);
        try {
            return LocalDateTime.of(lineYear, month, day, hour, minute, second, nanos).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private int yearFor(int month, int day) {
        if (lastMonth == 0) {
            year = firstYear(month, day);
            lastMonth = month;
            return year;
        }
        if (month + 6 <= lastMonth) {
            year++;
            lastMonth = month;
            return year;
        }
        if (month >= lastMonth + 6) {
            return year - 1; // a straggler from before New Year; the file's year stays
        }
        lastMonth = month;
        return year;
    }

    private int firstYear(int month, int day) {
        if (forcedYear != null) {
            return forcedYear;
        }
        if (fileDate == null) {
            return Year.now(zone).getValue();
        }
        LocalDate written = ZonedDateTime.ofInstant(fileDate, zone).toLocalDate();
        int candidate = written.getYear();
        LocalDate line = safeDate(candidate, month, day);
        return line.isAfter(written.plusDays(FILE_DATE_SLACK_DAYS)) ? candidate - 1 : candidate;
    }

    private static LocalDate safeDate(int year, int month, int day) {
        // Feb 29 of a non-leap candidate year: compare as Feb 28, the real year is settled by resolve()
        return LocalDate.of(year, month, Math.min(day, LocalDate.of(year, month, 1).lengthOfMonth()));
    }
}
