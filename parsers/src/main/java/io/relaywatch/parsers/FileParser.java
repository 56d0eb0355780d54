package io.relaywatch.parsers;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Runs one format's {@link LineParser} over the lines of one file and does what is common to every format: blank lines
 * are skipped, a parser exception becomes a rejection (it is a bug, but it must not lose the line or stop the run), and
 * every row gets {@code source_file}, {@code source_line}, {@code log_format} and {@code event_date}.
 */
public final class FileParser {

    private final LogParser format;
    private final LineParser lines;
    private final String sourceFile;
    private final Column sourceFileColumn;
    private final Column sourceLineColumn;
    private final Column logFormatColumn;
    private final Column tsColumn;
    private final Column eventDateColumn;

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
    }

    private static Column required(TableSchema table, String name) {
        return table.column(name).orElseThrow(() -> new IllegalStateException(table.name() + " lacks " + name));
    }

    public LogParser format() {
        return format;
    }

    /** Parses line number {@code lineNumber} (1-based) of the file. Never throws. */
    public ParseResult parse(String line, long lineNumber) {
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
        for (EventRecord record : result.records()) {
            record.set(sourceFileColumn, sourceFile);
            record.set(sourceLineColumn, lineNumber);
            record.setIfAbsent(logFormatColumn, format.format());
            Instant ts = (Instant) record.get(tsColumn);
            record.set(eventDateColumn, ts == null ? null : LocalDate.ofInstant(ts, ZoneOffset.UTC));
        }
        return result;
    }
}
