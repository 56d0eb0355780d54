package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;
import static io.relaywatch.schema.FieldType.TIMESTAMP;

/**
 * Columns of {@code ingest_files}: one row per input file ingested (a file read again because it changed replaces its row), with its line accounting. For every file
 * {@code lines_read = lines_parsed + lines_rejected + lines_skipped}.
 */
public enum IngestFileColumn implements Column {
    SOURCE_FILE(STRING, "log.file.path", "URI of the input file."),
    LOG_FORMAT(STRING, "event.dataset", "Format the file was read as ('unknown' if none was recognized)."),
    FORMAT_SOURCE(STRING, "", "How the format was chosen: 'forced' (--format), the detection result, or why none was found."),
    FILE_SIZE(LONG, "file.size", "Size of the file on disk in bytes (compressed size for .gz/.bz2)."),
    FILE_MODIFIED(TIMESTAMP, "file.mtime", "Modification time of the file when it was read, in UTC."),
    CHECKSUM(STRING, "", "Checksum of the file's bytes as stored (compressed for .gz/.bz2), 32 hex digits: their 128-bit MurmurHash3 (x64_128, seed 0) up to 16 MiB, above that the MurmurHash3 of their 16 MiB blocks' hashes in order, so that a file read in parts on any number of cores gets the same value (64 digits: SHA-256 in the same layout, written before 2026-12-02); null if the file could not be read to its end."),
    LINES_READ(LONG, "", "Lines read from the decompressed file."),
    LINES_PARSED(LONG, "", "Lines that produced at least one table row (including those parsed in part)."),
    LINES_PARTIAL(LONG, "", "Of the parsed lines, those parsed only in part (also listed in rejected_lines)."),
    LINES_REJECTED(LONG, "", "Lines that produced no row and were written to rejected_lines."),
    LINES_SKIPPED(LONG, "", "Header, directive, comment and blank lines the format defines as carrying no event."),
    ROWS_WRITTEN(LONG, "", "Rows written to the event table (a line naming several recipients gives several rows)."),
    FILE_ERROR(STRING, "error.message", "A file-level problem (truncated archive, unreadable file), or null."),
    DUPLICATE_OF(STRING, "", "When the same bytes (checksum) were already ingested under another path, that path: this file's lines are counted but its rows are not written again."),
    INGEST_RUN(STRING, "", "Id of the ingest run that read the file (its start time and a random suffix)."),
    INGESTED_AT(TIMESTAMP, "event.ingested", "When the ingest run started, in UTC.");

    private final Spec spec;

    IngestFileColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
