package io.relaywatch.parsers;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What a parser knows about the file it reads: where it came from, which zone its zone-less timestamps are in, and how
 * to find the year that syslog timestamps leave out.
 *
 * @param sourceFile  URI or path of the file, copied into every row
 * @param zone        zone for timestamps that carry none (syslog, Apache without offset, local-time W3C); default UTC
 * @param forcedYear  the year of the file's first syslog line when the user gave {@code --year}, else {@code null}
 * @param fileDate    when the file was last written (a date in its name, else its modification time); the newest line
 *                    cannot be much later than this, which fixes the year when {@code forcedYear} is absent
 * @param years       for a part of a file read in parts: the year state the parts before it ended in, and where the
 *                    part's resolver is left for its trace to be read; {@code null} for a file read whole
 */
public record ParseContext(String sourceFile, ZoneId zone, Integer forcedYear, Instant fileDate, YearHandoff years) {

    public ParseContext {
        Objects.requireNonNull(sourceFile, "sourceFile");
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    public ParseContext(String sourceFile, ZoneId zone, Integer forcedYear, Instant fileDate) {
        this(sourceFile, zone, forcedYear, fileDate, null);
    }

    /** This context for a part of the file that starts at {@code before} (null: the file's start). */
    public ParseContext forPart(SyslogYear.State before) {
        return new ParseContext(sourceFile, zone, forcedYear, fileDate, new YearHandoff(before));
    }

    /**
     * Carries the year state into a part's resolver and its trace back out (parsers open their resolver themselves,
     * through {@link #syslogYear()}).
     */
    public static final class YearHandoff {
        private final SyslogYear.State before;
        private SyslogYear opened;

        YearHandoff(SyslogYear.State before) {
            this.before = before;
        }

        /** The months the part's lines gave, or an empty trace if its parser never asked for a resolver. */
        public SyslogYear.Trace trace() {
            return opened == null ? new SyslogYear.Trace() : opened.trace();
        }
    }

    /** A context for tests and format detection: UTC, a fixed year. */
    public static ParseContext forYear(String sourceFile, int year) {
        return new ParseContext(sourceFile, ZoneOffset.UTC, year, null);
    }

    /** A fresh year resolver for one file or part (it keeps rollover state). */
    public SyslogYear syslogYear() {
        SyslogYear resolver = new SyslogYear(forcedYear, fileDate, zone, years == null ? null : years.before);
        if (years != null) {
            years.opened = resolver;
        }
        return resolver;
    }
}
