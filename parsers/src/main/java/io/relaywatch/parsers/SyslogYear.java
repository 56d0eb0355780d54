package io.relaywatch.parsers;

import java.io.Serializable;
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
 *
 * <p>A big file may be read in parts by parallel tasks: each part's resolver then starts from the {@link State} the
 * parts before it ended in, and records a {@link Trace} of the months it was given, from which {@link #after} computes
 * the state it ends in for any start, so the driver can check that every part started where the whole file read in
 * order would have put it.
 */
public final class SyslogYear {

    /** A file's date may trail its last line by clock skew or a late rotation; lines up to this far ahead still count. */
    private static final int FILE_DATE_SLACK_DAYS = 2;

    private final Integer forcedYear;
    private final Instant fileDate;
    private final ZoneId zone;
    private final Trace trace = new Trace();
    private int year;
    private int lastMonth;

    SyslogYear(Integer forcedYear, Instant fileDate, ZoneId zone, State start) {
        this.forcedYear = forcedYear;
        this.fileDate = fileDate;
        this.zone = zone;
        if (start != null) {
            year = start.year();
            lastMonth = start.lastMonth();
        }
    }

    /**
     * Where a resolver stands after some lines: the year it has reached and the month of the last line that set it
     * (a line that jumped back across New Year leaves both).
     */
    public record State(int year, int lastMonth) implements Serializable {
        public State {
            if (lastMonth < 1 || lastMonth > 12) {
                throw new IllegalArgumentException("month " + lastMonth);
            }
        }
    }

    /** The months this resolver was given so far, as a {@link Trace}. */
    public Trace trace() {
        return trace;
    }

    /**
     * The state a resolver of this file ends in when it starts at {@code before} ({@code null}: at the file's start)
     * and is given the months of {@code trace}; {@code before} itself if the trace has none.
     */
    public State after(State before, Trace trace) {
        if (trace.isEmpty()) {
            return before;
        }
        int start = before == null ? trace.firstMonth : before.lastMonth();
        int startYear = before == null ? firstYear(trace.firstMonth, trace.firstDay) : before.year();
        return new State(startYear + trace.yearsAdded[start], trace.lastMonthAfter[start]);
    }

    /**
     * What a run of lines does to the year, for each month the resolver may have stood at before them: how many times
     * the year advances and which month it ends at. Twelve small state machines, stepped only when a line's month
     * differs from the one before (giving a machine the month it was last given never changes it), so keeping the
     * trace costs next to nothing per line.
     */
    public static final class Trace implements Serializable {
        private int firstMonth;
        private int firstDay;
        private int lastGiven;
        private final int[] yearsAdded = new int[13];
        private final int[] lastMonthAfter = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

        void add(int month, int day) {
            if (firstMonth == 0) {
                firstMonth = month;
                firstDay = day;
            }
            if (month == lastGiven) {
                return;
            }
            lastGiven = month;
            for (int start = 1; start <= 12; start++) {
                Step step = step(lastMonthAfter[start], month);
                if (step == Step.TURN) {
                    yearsAdded[start]++;
                }
                if (step != Step.STRAGGLER) {
                    lastMonthAfter[start] = month;
                }
            }
        }

        /** Whether any line gave a month. */
        public boolean isEmpty() {
            return firstMonth == 0;
        }
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
        trace.add(month, day);
        if (lastMonth == 0) {
            year = firstYear(month, day);
            lastMonth = month;
            return year;
        }
        switch (step(lastMonth, month)) {
            case TURN -> {
                year++;
                lastMonth = month;
                return year;
            }
            case STRAGGLER -> {
                return year - 1; // a straggler from before New Year; the file's year stays
            }
            default -> {
                lastMonth = month;
                return year;
            }
        }
    }

    /** What a line of {@code month} does to a resolver that stands at {@code lastMonth}. */
    private enum Step {
        /** Half a year or more earlier in the year: the year turns (December, then January). */
        TURN,
        /** Half a year or more later: a line from before New Year, among the new year's; nothing moves. */
        STRAGGLER,
        /** Within half a year: the month moves on. */
        ADVANCE
    }

    /** The one rule both a resolver and a {@link Trace} step by, so that parts add up to the file read in order. */
    private static Step step(int lastMonth, int month) {
        if (month + 6 <= lastMonth) {
            return Step.TURN;
        }
        return month >= lastMonth + 6 ? Step.STRAGGLER : Step.ADVANCE;
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
