package io.relaywatch.jobs.ingest;

import io.relaywatch.schema.IngestFileColumn;

import java.io.PrintStream;
import java.util.List;

/**
 * One line of the run summary: a file's format and line accounting, read back from {@code ingest_files}.
 *
 * @param file     the file's URI
 * @param format   the format it was read as
 * @param how      how the format was chosen
 * @param read     lines read
 * @param parsed   lines parsed (including partial)
 * @param partial  lines parsed only in part
 * @param rejected lines rejected
 * @param skipped  header, comment and blank lines
 * @param rows     event rows written
 * @param error    file-level error or {@code null}
 */
public record FileSummary(String file, String format, String how, long read, long parsed, long partial,
                          long rejected, long skipped, long rows, String error) {

    /** The summary of one {@code ingest_files} row (its values in column order). */
    static FileSummary of(Object[] row) {
        return new FileSummary(
                (String) row[IngestFileColumn.SOURCE_FILE.ordinal()],
                (String) row[IngestFileColumn.LOG_FORMAT.ordinal()],
                (String) row[IngestFileColumn.FORMAT_SOURCE.ordinal()],
                (Long) row[IngestFileColumn.LINES_READ.ordinal()],
                (Long) row[IngestFileColumn.LINES_PARSED.ordinal()],
                (Long) row[IngestFileColumn.LINES_PARTIAL.ordinal()],
                (Long) row[IngestFileColumn.LINES_REJECTED.ordinal()],
                (Long) row[IngestFileColumn.LINES_SKIPPED.ordinal()],
                (Long) row[IngestFileColumn.ROWS_WRITTEN.ordinal()],
                (String) row[IngestFileColumn.FILE_ERROR.ordinal()]);
    }

    /** The accounting invariant: every line read was parsed, rejected or skipped. */
    public boolean balances() {
        return read == parsed + rejected + skipped;
    }

    /** Prints the per-file table and the totals; the paths are shown relative to their common prefix. */
    public static void print(List<FileSummary> files, PrintStream out) {
        String prefix = commonPrefix(files);
        int width = Math.max(4, files.stream().mapToInt(f -> f.file().length() - prefix.length()).max().orElse(4));
        String format = "%-" + width + "s  %-22s %9s %9s %8s %9s %8s %9s%n";
        out.printf(format, "file", "format", "read", "parsed", "partial", "rejected", "skipped", "rows");
        long[] total = new long[6];
        for (FileSummary f : files) {
            out.printf(format, f.file().substring(prefix.length()), f.format(), f.read(), f.parsed(), f.partial(),
                    f.rejected(), f.skipped(), f.rows());
            if (f.error() != null) {
                out.printf("  ! %s%n", f.error());
            } else if ("unknown".equals(f.format()) && f.read() > 0) {
                out.printf("  ! %s%n", f.how());
            }
            total[0] += f.read();
            total[1] += f.parsed();
            total[2] += f.partial();
            total[3] += f.rejected();
            total[4] += f.skipped();
            total[5] += f.rows();
        }
        out.printf(format, "total (" + files.size() + " files)", "", total[0], total[1], total[2], total[3], total[4],
                total[5]);
        long unbalanced = files.stream().filter(f -> !f.balances()).count();
        out.println(unbalanced == 0
                ? "lines read = parsed + rejected + skipped for every file"
                : "ACCOUNTING ERROR: " + unbalanced + " files where lines read != parsed + rejected + skipped");
        if (!prefix.isEmpty()) {
            out.println("(paths relative to " + prefix + ")");
        }
    }

    private static String commonPrefix(List<FileSummary> files) {
        if (files.isEmpty()) {
            return "";
        }
        String prefix = files.get(0).file();
        for (FileSummary f : files) {
            while (!f.file().startsWith(prefix)) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
        }
        return prefix.substring(0, prefix.lastIndexOf('/') + 1);
    }
}
