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
 */
public record ParseContext(String sourceFile, ZoneId zone, Integer forcedYear, Instant fileDate) {

    public ParseContext {
        Objects.requireNonNull(sourceFile, "sourceFile");
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    /** A context for tests and format detection: UTC, a fixed year. */
    public static ParseContext forYear(String sourceFile, int year) {
        return new ParseContext(sourceFile, ZoneOffset.UTC, year, null);
    }

    /** A fresh year resolver for one file (it keeps rollover state). */
    public SyslogYear syslogYear() {
        return new SyslogYear(forcedYear, fileDate, zone);
    }
}
