package io.relaywatch.jobs.ingest;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.FileParser;
import io.relaywatch.parsers.LogFormats;
import io.relaywatch.parsers.LogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.TextEncoding;
import io.relaywatch.schema.IngestFileColumn;
import io.relaywatch.schema.RejectedLineColumn;
import io.relaywatch.schema.Tables;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one file and yields its rows lazily: event rows, rejected lines, and last one {@code ingest_files} row with
 * the file's line accounting. Every line ends up counted as parsed, rejected or skipped; a failure to read the file
 * (truncated archive, I/O error) keeps what was read, and adds a file-level rejection and a {@code file_error}.
 */
public final class FileIngestor implements Iterator<StagedRow> {

    /** Lines longer than this are not parsed (no log format has such lines); they are rejected, cut. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** How much of a rejected line is kept in {@code rejected_lines.raw_line}. */
    public static final int MAX_RAW_CHARS = 64 * 1024;

    private static final Pattern DATE_IN_NAME = Pattern.compile("(?<!\\d)(20\\d{2})-?(0[1-9]|1[0-2])-?([0-3]\\d)(?!\\d)");

    /** Opens the raw bytes of a file; the job passes Hadoop's file system, tests may pass anything. */
    @FunctionalInterface
    public interface Opener {
        InputStream open(String uri) throws IOException;
    }

    private final InputFile file;
    private final Part part;
    private long base;
    private final IngestOptions options;
    private final Opener opener;
    private final ArrayDeque<StagedRow> pending = new ArrayDeque<>();

    private LineReader reader;
    private BlockDigest.Stream raw;
    private FileParser parser;
    private String formatName = "unknown";
    private String formatSource;
    private String unknownReason;
    /** How the file's text was decoded, when not as stored UTF-8: said in {@code format_source}. */
    private String encodingNote = "";
    private final List<BufferedLine> sample = new ArrayList<>();
    private int sampleNext;
    private boolean finished;
    private boolean done;

    private long read;
    private long parsed;
    private long partial;
    private long rejected;
    private long skipped;
    private long rows;
    private String fileError;
    private ParseContext.YearHandoff years;

    private record BufferedLine(String text, long number, boolean truncated, long fullLength, boolean malformed) {
    }

    /**
     * A byte range of a plain file in a splittable format, read by its own task: the lines that start in
     * {@code [start, end)}, numbered from {@code linesBefore + 1} (the newlines before {@code start}), in the format
     * the driver detected on the file's first lines, with the syslog year state the lines before {@code start} are
     * taken to end in ({@code null}: none of them gave a month, as at the file's start).
     */
    public record Part(long start, long end, long linesBefore, String format, String formatSource,
                       SyslogYear.State yearBefore) implements java.io.Serializable {

        Part withYearBefore(SyslogYear.State state) {
            return new Part(start, end, linesBefore, format, formatSource, state);
        }
    }

    public FileIngestor(InputFile file, IngestOptions options, Opener opener) {
        this(file, null, options, opener);
    }

    public FileIngestor(InputFile file, Part part, IngestOptions options, Opener opener) {
        this.part = part;
        this.file = file;
        this.options = options;
        this.opener = opener;
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty() && !done) {
            step();
        }
        return !pending.isEmpty();
    }

    @Override
    public StagedRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll();
    }

    private void step() {
        if (finished) {
            pending.add(StagedRow.of(Tables.INGEST_FILES, fileRow()));
            closeQuietly();
            done = true;
            return;
        }
        try {
            if (reader == null) {
                start();
                return;
            }
            if (sampleNext < sample.size()) {
                handle(sample.get(sampleNext++));
                return;
            }
            String line = nextLine();
            if (line == null) {
                finished = true;
                return;
            }
            handle(new BufferedLine(line, reader.lineNumber(), reader.isTruncated(), reader.fullLength(),
                    reader.hadMalformedBytes()));
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** The next line, or null at the end of the file or, for a part, at the first line that starts past it. */
    private String nextLine() throws IOException {
        String line = reader.next();
        return line == null || (part != null && base + reader.lineStart() >= part.end()) ? null : line;
    }

    private void startPart() throws IOException {
        InputStream in = opener.open(file.uri());
        long linesBefore = part.linesBefore();
        base = part.start();
        if (part.start() > 0) {
            in.skipNBytes(part.start() - 1);
            // a line under way at start belongs to the part before: this part begins after its newline (one more
            // line before ours)
            base = LineReader.skipToLineStart(in, part.start());
            if (base > part.start()) {
                linesBefore++;
            }
        }
        reader = new LineReader(in, MAX_LINE_BYTES, linesBefore);
        ParseContext context = context(file, options).forPart(part.yearBefore());
        years = context.years();
        choose(LogFormats.byName(part.format()).orElseThrow(), context, part.formatSource());
    }

    /**
     * For a part: the months its lines gave the syslog year resolver, from which the driver checks the year state it
     * started in; {@code null} for a whole file.
     */
    public SyslogYear.Trace yearTrace() {
        return years == null ? null : years.trace();
    }

    /** How the file's lines are read: its zone, the year the user forced, and when it was written. */
    static ParseContext context(InputFile file, IngestOptions options) {
        return new ParseContext(file.uri(), options.zoneId(), options.forcedYear(), fileDate(file, options));
    }

    private void start() throws IOException {
        if (part != null) {
            startPart();
            return;
        }
        raw = new BlockDigest.Stream(opener.open(file.uri()));
        Decompression.Opened opened = Decompression.open(raw);
        TextEncoding.Decoded text = TextEncoding.open(opened.stream());
        encodingNote = text.asStored() ? "" : " (" + text.encoding() + ", read as UTF-8)";
        reader = new LineReader(text.stream(), MAX_LINE_BYTES);
        ParseContext context = context(file, options);
        if (options.forcedFormat() != null) {
            choose(LogFormats.byName(options.forcedFormat()).orElseThrow(), context, "forced");
        }
        // Read the sample even when the format is forced: the lines are handled from this buffer either way.
        try {
            for (String line; sample.size() < LogFormats.SAMPLE_LINES && (line = nextLine()) != null; ) {
                sample.add(new BufferedLine(line, reader.lineNumber(), reader.isTruncated(), reader.fullLength(),
                        reader.hadMalformedBytes()));
            }
        } catch (IOException e) {
            // a truncated archive can fail inside the sample: detect on what was read, account for it, then fail
            detectIfNeeded(context);
            while (sampleNext < sample.size()) {
                handle(sample.get(sampleNext++));
            }
            throw e;
        }
        detectIfNeeded(context);
    }

    private void detectIfNeeded(ParseContext context) {
        if (parser != null || formatSource != null) {
            return;
        }
        List<String> lines = sample.stream().filter(l -> !l.truncated()).map(BufferedLine::text).toList();
        if (lines.isEmpty()) {
            formatSource = sample.isEmpty() ? "empty file" : "no line short enough to detect a format";
            unknownReason = "unknown format: " + formatSource;
            return;
        }
        LogFormats.Detection detection = LogFormats.detect(lines, context);
        if (detection.found()) {
            choose(detection.parser(), context, detection.describe());
        } else {
            formatSource = detection.describe() + encodingNote;
            unknownReason = "unknown format: " + detection.describe() + " (supported: " + LogFormats.names()
                    + "; force one with --format)";
        }
    }

    private void choose(LogParser format, ParseContext context, String how) {
        parser = new FileParser(format, context);
        formatName = format.format();
        formatSource = how + encodingNote;
    }

    private void handle(BufferedLine line) {
        read++;
        if (line.truncated()) {
            reject(line, "line of " + line.fullLength() + " bytes is longer than the " + MAX_LINE_BYTES
                    + "-byte limit; not parsed");
            return;
        }
        if (parser == null) {
            if (line.text().isBlank()) {
                skipped++;
                return;
            }
            reject(line, unknownReason);
            return;
        }
        ParseResult result = parser.parse(line.text(), line.number());
        switch (result.kind()) {
            case SKIPPED -> skipped++;
            case REJECTED -> reject(line, result.reason()
                    + (line.malformed() ? " (the line has bytes that are not UTF-8)" : ""));
            case PARSED -> {
                parsed++;
                for (EventRecord record : result.records()) {
                    pending.add(StagedRow.of(record.table(), record.values()));
                    rows++;
                }
                String note = result.isPartial() ? result.reason() : null;
                if (line.malformed()) {
                    note = (note == null ? "" : note + "; ") + "bytes that are not UTF-8 were replaced by U+FFFD";
                }
                if (note != null) {
                    partial++;
                    pending.add(rejectedRow(line.number(), "partial: " + note, line.text()));
                }
            }
        }
    }

    private void reject(BufferedLine line, String reason) {
        rejected++;
        pending.add(rejectedRow(line.number(), reason, line.text()));
    }

    private StagedRow rejectedRow(Long lineNumber, String reason, String raw) {
        EventRecord row = new EventRecord(Tables.REJECTED_LINES);
        row.set(RejectedLineColumn.SOURCE_FILE, file.uri());
        row.set(RejectedLineColumn.SOURCE_LINE, lineNumber);
        row.set(RejectedLineColumn.LOG_FORMAT, formatName);
        if (raw != null && raw.length() > MAX_RAW_CHARS) {
            reason = reason + " [raw_line cut from " + raw.length() + " to " + MAX_RAW_CHARS + " characters]";
            raw = raw.substring(0, MAX_RAW_CHARS);
        }
        row.set(RejectedLineColumn.REASON, reason);
        row.set(RejectedLineColumn.RAW_LINE, raw);
        return StagedRow.of(Tables.REJECTED_LINES, row.values());
    }

    private void fail(Exception e) {
        fileError = describe(e) + " after line " + read;
        pending.add(rejectedRow(null, "file error: " + fileError + "; lines before it were kept", null));
        finished = true;
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        if (e instanceof java.io.EOFException || message.contains("Unexpected end of ZLIB")) {
            return "compressed data ends early (truncated archive)" + message;
        }
        return e.getClass().getSimpleName() + message;
    }

    private Object[] fileRow() {
        EventRecord row = new EventRecord(Tables.INGEST_FILES);
        row.set(IngestFileColumn.SOURCE_FILE, file.uri());
        row.set(IngestFileColumn.LOG_FORMAT, formatName);
        row.set(IngestFileColumn.FORMAT_SOURCE, formatSource);
        row.set(IngestFileColumn.FILE_SIZE, file.size());
        row.set(IngestFileColumn.FILE_MODIFIED, Instant.ofEpochMilli(file.modified()));
        row.set(IngestFileColumn.CHECKSUM, checksum());
        row.set(IngestFileColumn.LINES_READ, read);
        row.set(IngestFileColumn.LINES_PARSED, parsed);
        row.set(IngestFileColumn.LINES_PARTIAL, partial);
        row.set(IngestFileColumn.LINES_REJECTED, rejected);
        row.set(IngestFileColumn.LINES_SKIPPED, skipped);
        row.set(IngestFileColumn.ROWS_WRITTEN, rows);
        row.set(IngestFileColumn.FILE_ERROR, fileError);
        row.set(IngestFileColumn.INGEST_RUN, options.runId());
        row.set(IngestFileColumn.INGESTED_AT, Instant.ofEpochMilli(options.runStartedAt()));
        return row.values();
    }

    /**
     * When the file was written: a date in its name (logrotate's dateext {@code mail.log-20261116}, {@code 2026-11-16}),
     * taken as the end of that day, else its modification time.
     */
    private static Instant fileDate(InputFile file, IngestOptions options) {
        String name = file.uri().substring(file.uri().lastIndexOf('/') + 1);
        Matcher m = DATE_IN_NAME.matcher(name);
        if (m.find()) {
            try {
                ZoneId zone = options.zoneId();
                return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))).atTime(LocalTime.MAX).atZone(zone).toInstant();
            } catch (java.time.DateTimeException e) {
                // not a real date (20261399): fall back to the modification time
            }
        }
        return Instant.ofEpochMilli(file.modified());
    }

    /**
     * The checksum of all the file's stored bytes: what the line reader did not consume (after a decompression error, or
     * bytes past the end of a compressed stream) is read here, so the checksum identifies the file, not the read.
     */
    private String checksum() {
        if (raw == null) {
            return null;
        }
        try {
            raw.transferTo(java.io.OutputStream.nullOutputStream());
            return BlockDigest.checksum(raw.digest.blockDigests());
        } catch (IOException e) {
            return null; // the bytes themselves could not be read: the file error says so
        }
    }

    private void closeQuietly() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // the file was read to its end or failed already; nothing left to lose
            }
        }
    }
}
