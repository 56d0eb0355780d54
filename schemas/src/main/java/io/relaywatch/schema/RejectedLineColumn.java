package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;

/**
 * Columns of {@code rejected_lines}: one row per input line that no parser could take, or that a parser took only in
 * part (reason starts with {@code partial:}); for file-level failures (unreadable, truncated archive) one row with
 * {@code source_line} null.
 */
public enum RejectedLineColumn implements Column {
    SOURCE_FILE(STRING, "log.file.path", "URI of the file the line came from."),
    SOURCE_LINE(LONG, "log.origin.file.line", "1-based line number in the decompressed file; null for a file-level error."),
    LOG_FORMAT(STRING, "event.dataset", "Format the file was read as, or 'unknown' when none was recognized."),
    REASON(STRING, "error.message", "Why the line was not (fully) parsed, in plain words."),
    RAW_LINE(STRING, "event.original", "The line as read (decoded as UTF-8 with replacement characters; cut to 64 KiB with a note in reason).");

    private final Spec spec;

    RejectedLineColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
