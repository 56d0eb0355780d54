package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.LocalFileSystems;
import io.relaywatch.parsers.LogFormats;
import io.relaywatch.parsers.LogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.schema.IngestFileColumn;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Big plain files in formats whose lines stand alone ({@link LogParser#splittable()}: access logs, Squid) are read in
 * parts of {@link #partBytes()} bytes by parallel tasks, so that one big file uses every core. A first, cheap pass
 * counts each part's newlines (so every part knows its first line number: {@code source_line} stays exact) and hashes
 * its bytes; the parts' accounting rows are summed back into one row per file. A split file's checksum is the SHA-256
 * of its parts' SHA-256s in order (parts are always cut at the same offsets, so it still identifies the file).
 */
final class FileSplits {

    /** Largest part; {@code -Drelaywatch.ingest.partBytes} changes it (tests use small parts). */
    static final long DEFAULT_PART_BYTES = 128L << 20;
    /** Files smaller than this are read whole: a part's fixed cost (a task, its files) would outweigh the gain. */
    static final long MIN_SPLIT_BYTES = 16L << 20;

    private FileSplits() {
    }

    static long partBytes() {
        return Long.getLong("relaywatch.ingest.partBytes", DEFAULT_PART_BYTES);
    }

    /** The pieces of work: whole files, and the parts of big splittable ones. */
    static List<IngestJob.Piece> plan(IngestTasks tasks, List<InputFile> files, IngestOptions options)
            throws IOException {
        Configuration conf = tasks.hadoopConf();
        long maxPart = partBytes();
        int cores = tasks.parallelism();
        List<IngestJob.Piece> pieces = new ArrayList<>();
        for (InputFile file : files) {
            // parts of equal size, as many as a whole number of rounds over the cores needs (none bigger than the
            // maximum), so that no core idles in the last round: 660 MB on 2 cores is 6 parts of 110 MB, not 5 of
            // 128 MB and one of 20 MB
            long rounds = Math.max(1, ceilDiv(ceilDiv(file.size(), cores), maxPart));
            long partBytes = Math.min(maxPart, Math.max(MIN_SPLIT_BYTES, ceilDiv(file.size(), rounds * cores)));
            boolean big = file.size() > Math.min(maxPart, MIN_SPLIT_BYTES);
            String[] format = big ? splittableFormat(file, options, conf) : null;
            if (format == null) {
                pieces.add(new IngestJob.Piece(file, null, pieces.size(), null));
                continue;
            }
            for (long start = 0; start < file.size(); start += partBytes) {
                // the line numbers and checksum are filled in below, once the parts are counted
                pieces.add(new IngestJob.Piece(file, new FileIngestor.Part(start, Math.min(file.size(),
                        start + partBytes), -1, format[0], format[1]), pieces.size(), null));
            }
        }
        List<IngestJob.Piece> parts = pieces.stream().filter(piece -> piece.part() != null).toList();
        if (parts.isEmpty()) {
            return largestFirst(pieces);
        }
        List<Counted> counted = tasks.map(parts, (piece, partConf) -> count(piece.file(), piece.part().start(),
                piece.part().end(), partConf));
        Map<String, MessageDigest> digests = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            digests.computeIfAbsent(parts.get(i).file().uri(), uri -> FileIngestor.sha256())
                    .update(counted.get(i).digest());
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        digests.forEach((uri, digest) -> checksums.put(uri, HexFormat.of().formatHex(digest.digest())));
        Map<String, Long> linesSoFar = new LinkedHashMap<>();
        int next = 0;
        List<IngestJob.Piece> result = new ArrayList<>();
        for (IngestJob.Piece piece : pieces) {
            if (piece.part() == null) {
                result.add(piece);
                continue;
            }
            String uri = piece.file().uri();
            long before = linesSoFar.getOrDefault(uri, 0L);
            linesSoFar.put(uri, before + counted.get(next++).newlines());
            FileIngestor.Part p = piece.part();
            result.add(new IngestJob.Piece(piece.file(), new FileIngestor.Part(p.start(), p.end(), before,
                    p.format(), p.formatSource()), piece.index(), checksums.get(uri)));
        }
        return largestFirst(result);
    }

    /**
     * The pieces, biggest first: tasks run in this order, and starting the long ones first keeps the small ones for
     * the end, when they fill the cores that would otherwise wait for the last big one.
     */
    private static List<IngestJob.Piece> largestFirst(List<IngestJob.Piece> pieces) {
        List<IngestJob.Piece> sorted = new ArrayList<>(pieces);
        sorted.sort(java.util.Comparator.comparingLong((IngestJob.Piece piece) -> piece.part() == null
                ? piece.file().size() : piece.part().end() - piece.part().start()).reversed());
        return sorted;
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    /** {format, how it was chosen} when the file is plain text in a splittable format; else null. */
    private static String[] splittableFormat(InputFile file, IngestOptions options, Configuration conf)
            throws IOException {
        Path path = new Path(file.uri());
        try (InputStream raw = LocalFileSystems.of(path, conf).open(path)) {
            Decompression.Opened opened = Decompression.open(raw);
            if (!opened.compression().equals("none")) {
                return null; // gzip and bzip2 streams cannot be entered in the middle
            }
            LogParser parser;
            String how;
            if (options.forcedFormat() != null) {
                parser = LogFormats.byName(options.forcedFormat()).orElseThrow();
                how = "forced";
            } else {
                LineReader reader = new LineReader(opened.stream(), FileIngestor.MAX_LINE_BYTES);
                List<String> sample = new ArrayList<>();
                for (String line; sample.size() < LogFormats.SAMPLE_LINES && (line = reader.next()) != null; ) {
                    if (!reader.isTruncated()) {
                        sample.add(line);
                    }
                }
                LogFormats.Detection detection = LogFormats.detect(sample, new ParseContext(file.uri(),
                        options.zoneId(), options.forcedYear(), Instant.ofEpochMilli(file.modified())));
                if (!detection.found()) {
                    return null; // the whole-file path reports it
                }
                parser = detection.parser();
                how = detection.describe();
            }
            return parser.splittable() ? new String[] {parser.format(), how} : null;
        }
    }

    /** A part's newline count and the SHA-256 of its bytes. */
    record Counted(long newlines, byte[] digest) implements java.io.Serializable {
    }

    static Counted count(InputFile file, long start, long end, Configuration conf) throws IOException {
        Path path = new Path(file.uri());
        MessageDigest digest = FileIngestor.sha256();
        long newlines = 0;
        try (FSDataInputStream in = LocalFileSystems.of(path, conf).open(path)) {
            in.seek(start);
            byte[] buffer = new byte[1 << 16];
            long left = end - start;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                newlines += LineReader.countNewlines(buffer, 0, n);
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        return new Counted(newlines, digest.digest());
    }

    /** One outcome per file: the parts of a split file summed into one accounting row, their files put together. */
    static List<IngestJob.FileOutcome> merge(List<IngestJob.FileOutcome> outcomes, List<IngestJob.Piece> pieces) {
        Map<String, IngestJob.FileOutcome> byFile = new LinkedHashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            IngestJob.FileOutcome outcome = outcomes.get(i);
            IngestJob.Piece piece = pieces.get(i);
            Object[] row = outcome.fileRow().clone();
            if (piece.checksum() != null) {
                row[IngestFileColumn.CHECKSUM.ordinal()] = piece.checksum();
            }
            IngestJob.FileOutcome before = byFile.get(outcome.uri());
            if (before == null) {
                byFile.put(outcome.uri(), new IngestJob.FileOutcome(outcome.uri(), row,
                        new LinkedHashMap<>(outcome.files())));
                continue;
            }
            Object[] sum = before.fileRow();
            for (IngestFileColumn count : List.of(IngestFileColumn.LINES_READ, IngestFileColumn.LINES_PARSED,
                    IngestFileColumn.LINES_PARTIAL, IngestFileColumn.LINES_REJECTED, IngestFileColumn.LINES_SKIPPED,
                    IngestFileColumn.ROWS_WRITTEN)) {
                sum[count.ordinal()] = (Long) sum[count.ordinal()] + (Long) row[count.ordinal()];
            }
            if (sum[IngestFileColumn.FILE_ERROR.ordinal()] == null) {
                sum[IngestFileColumn.FILE_ERROR.ordinal()] = row[IngestFileColumn.FILE_ERROR.ordinal()];
            }
            outcome.files().forEach((table, files) -> before.files().merge(table, files, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            }));
        }
        return new ArrayList<>(byFile.values());
    }
}
