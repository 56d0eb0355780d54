package io.relaywatch.parsers;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Runs one format's {@link LineParser} over the lines of one file and does what is common to every format: blank lines
 * are skipped, a parser exception becomes a rejection (it is a bug, but it must not lose the line or stop the run), and
 * every row gets {@code source_file}, {@code source_line}, {@code log_format}, {@code event_date} and, where the parser
 * left it open, the {@code account} of its logged user name ({@link Accounts}); a {@code ts} outside
 * the years 1970 to 9999 (a mangled date) is dropped with a partial-parse note. A byte-order mark that starts a line
 * is not part of it: Exchange and IIS begin every file with one, and files joined with {@code cat} carry one per part.
 */
public final class FileParser {

    /** Timestamps outside these years are dropped (the row stays, as a partial parse): no log line is from then. */
    static final Instant MIN_TS = Instant.EPOCH;
    static final Instant MAX_TS = LocalDate.of(10000, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

    private final LogParser format;
    private final LineParser lines;
    private final String sourceFile;
    private final Column sourceFileColumn;
    private final Column sourceLineColumn;
    private final Column logFormatColumn;
    private final Column tsColumn;
    private final Column eventDateColumn;
    private final Accounts.Filler accounts;
    private LocalDate lastDate;

    public FileParser(LogParser format, ParseContext context) {
        this.format = format;
        this.lines = format.open(context);
        this.sourceFile = context.sourceFile();
        TableSchema table = format.table();
        this.sourceFileColumn = required(table, "source_file");
        this.sourceLineColumn = required(table, "source_line");
        this.logFormatColumn = required(table, "log_format");
        this.tsColumn = required(table, "ts");
        this.eventDateColumn = required(table, "event_date");
        this.accounts = Accounts.filler(table);
    }

    private static Column required(TableSchema table, String name) {
        return table.column(name).orElseThrow(() -> new IllegalStateException(table.name() + " lacks " + name));
    }

    public LogParser format() {
        return format;
    }

    /** The UTC date of {@code ts}; the same object while the lines stay in one day, so writers can compare cheaply. */
    private LocalDate eventDate(Instant ts) {
        long day = Math.floorDiv(ts.getEpochSecond(), 86_400);
        if (lastDate == null || day != lastDate.toEpochDay()) {
            lastDate = LocalDate.ofEpochDay(day);
        }
        return lastDate;
    }

    /** Parses line number {@code lineNumber} (1-based) of the file. Never throws. */
    public ParseResult parse(String line, long lineNumber) {
        line = TextEncoding.withoutBom(line);
        if (line.isBlank()) {
            return ParseResult.skipped("blank line");
        }
        ParseResult result;
        try {
            result = lines.parse(line);
        } catch (RuntimeException e) {
            return ParseResult.rejected("parser error in " + format.format() + ": " + e);
        }
        if (result == null) {
            return ParseResult.rejected("parser error in " + format.format() + ": no result");
        }
        String note = null;
        for (EventRecord record : result.records()) {
            record.set(sourceFileColumn, sourceFile);
            record.set(sourceLineColumn, lineNumber);
            record.setIfAbsent(logFormatColumn, format.format());
            accounts.fill(record);
            Instant ts = (Instant) record.get(tsColumn);
            if (ts != null && (ts.isBefore(MIN_TS) || !ts.isBefore(MAX_TS))) {
                // year 0, a negative year or 1e12 epoch seconds is what a mangled line says, not when it was logged
                record.set(tsColumn, null);
                note = "timestamp " + ts + " outside 1970..9999 dropped";
                ts = null;
            }
            record.set(eventDateColumn, ts == null ? null : eventDate(ts));
        }
        if (note != null) {
            return ParseResult.partial(result.records(),
                    result.reason() == null ? note : result.reason() + "; " + note);
        }
        return result;
    }
}
