package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.LocalFileSystems;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.LogFormats;
import io.relaywatch.parsers.LogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.TextEncoding;
import io.relaywatch.schema.IngestFileColumn;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Big plain files in splittable formats ({@link LogParser#splittable()}: access logs, Squid, and the syslog formats
 * whose only state is the year: Postfix, Sendmail, Exim, iptables, pf, FortiGate, Palo Alto) are read in parts of
 * {@link #partBytes()} bytes by parallel tasks, so that one big file uses every core. A first, cheap pass counts each
 * part's newlines (so every part knows its first line number: {@code source_line} stays exact) and hashes its bytes;
 * the parts' accounting rows are summed back into one row per file. Parts start at multiples of the checksum's block
 * ({@link BlockDigest}), so the file's checksum is put together from its parts' block digests and is the one the file
 * gets when read whole, on any number of cores.
 *
 * <p>Syslog timestamps have no year: read in order, each line's year follows from the lines before it. The first pass
 * also parses the last {@link #yearSampleBytes()} of each part, which is enough to guess the year state each part
 * starts in; every part records the months its lines gave ({@link SyslogYear.Trace}), and {@link #settleYears} folds
 * those into the exact state each part should have started in and reads again any part whose guess was wrong (a
 * sample with no timestamps, half a year in one part). So the years are those of the file read in order, always.
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

    /**
     * How much of the end of each part is parsed to guess the next part's syslog year state;
     * {@code -Drelaywatch.ingest.yearSampleBytes=0} makes no guess (tests use it to force the corrections).
     */
    static long yearSampleBytes() {
        return Long.getLong("relaywatch.ingest.yearSampleBytes", 64L << 10);
    }

    /** The pieces of work: whole files, and the parts of big splittable ones. */
    static List<IngestJob.Piece> plan(IngestTasks tasks, List<InputFile> files, IngestOptions options)
            throws IOException {
        Configuration conf = tasks.hadoopConf();
        long maxPart = partBytes();
        long blockBytes = BlockDigest.blockBytes();
        int cores = tasks.parallelism();
        List<IngestJob.Piece> pieces = new ArrayList<>();
        for (InputFile file : files) {
            // parts of equal size, as many as a whole number of rounds over the cores needs (none bigger than the
            // maximum), so that no core idles in the last round: 660 MB on 2 cores is 6 parts of 110 MB, not 5 of
            // 128 MB and one of 20 MB
            long rounds = Math.max(1, ceilDiv(ceilDiv(file.size(), cores), maxPart));
            long partBytes = roundUp(Math.min(maxPart, Math.max(MIN_SPLIT_BYTES, ceilDiv(file.size(),
                    rounds * cores))), blockBytes);
            boolean big = file.size() > Math.min(maxPart, MIN_SPLIT_BYTES);
            String[] format = big ? splittableFormat(file, options, conf) : null;
            if (format == null) {
                pieces.add(new IngestJob.Piece(file, null, pieces.size(), null));
                continue;
            }
            for (long start = 0; start < file.size(); start += partBytes) {
                // the line numbers and checksum are filled in below, once the parts are counted
                pieces.add(new IngestJob.Piece(file, new FileIngestor.Part(start, Math.min(file.size(),
                        start + partBytes), -1, format[0], format[1], null), pieces.size(), null));
            }
        }
        List<IngestJob.Piece> parts = pieces.stream().filter(piece -> piece.part() != null).toList();
        if (parts.isEmpty()) {
            return largestFirst(pieces);
        }
        long sampleBytes = yearSampleBytes();
        List<Counted> counted = tasks.map(parts, (piece, partConf) -> {
            // the driver's block size: the parts were cut at its multiples
            Counted part = count(piece.file(), piece.part().start(), piece.part().end(), blockBytes, partConf);
            return new Counted(part.newlines(), part.blockDigests(), yearSamples(piece, options, sampleBytes,
                    partConf));
        });
        Map<String, List<byte[]>> blocks = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            blocks.computeIfAbsent(parts.get(i).file().uri(), uri -> new ArrayList<>())
                    .addAll(counted.get(i).blockDigests());
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        blocks.forEach((uri, digests) -> checksums.put(uri, BlockDigest.checksum(digests)));
        Map<String, Long> linesSoFar = new LinkedHashMap<>();
        Map<String, SyslogYear> resolvers = new LinkedHashMap<>();
        Map<String, SyslogYear.State> yearsSoFar = new LinkedHashMap<>();
        int next = 0;
        List<IngestJob.Piece> result = new ArrayList<>();
        for (IngestJob.Piece piece : pieces) {
            if (piece.part() == null) {
                result.add(piece);
                continue;
            }
            String uri = piece.file().uri();
            long before = linesSoFar.getOrDefault(uri, 0L);
            Counted part = counted.get(next++);
            linesSoFar.put(uri, before + part.newlines());
            // the guess: the samples before this part, folded in order (the lines between them are assumed not to
            // turn the year; settleYears checks)
            SyslogYear years = resolvers.computeIfAbsent(uri, u -> FileIngestor.context(piece.file(), options)
                    .syslogYear());
            SyslogYear.State yearBefore = yearsSoFar.get(uri);
            for (SyslogYear.Trace sample : part.yearSamples()) {
                yearsSoFar.put(uri, years.after(yearsSoFar.get(uri), sample));
            }
            FileIngestor.Part p = piece.part();
            result.add(new IngestJob.Piece(piece.file(), new FileIngestor.Part(p.start(), p.end(), before,
                    p.format(), p.formatSource(), yearBefore), piece.index(), checksums.get(uri)));
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

    private static long roundUp(long a, long multiple) {
        return ceilDiv(a, multiple) * multiple;
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
            TextEncoding.Decoded text = TextEncoding.open(opened.stream());
            if (!text.asStored()) {
                return null; // UTF-16: a part's byte offset is not a line start of the text read
            }
            LogParser parser;
            String how;
            if (options.forcedFormat() != null) {
                parser = LogFormats.byName(options.forcedFormat()).orElseThrow();
                how = "forced";
            } else {
                LineReader reader = new LineReader(text.stream(), FileIngestor.MAX_LINE_BYTES);
                List<String> sample = new ArrayList<>();
                for (String line; sample.size() < LogFormats.SAMPLE_LINES && (line = reader.next()) != null; ) {
                    if (!reader.isTruncated()) {
                        sample.add(line);
                    }
                }
                LogFormats.Detection detection = LogFormats.detect(sample, FileIngestor.context(file, options));
                if (!detection.found()) {
                    return null; // the whole-file path reports it
                }
                parser = detection.parser();
                how = detection.describe();
            }
            return parser.splittable() ? new String[] {parser.format(), how} : null;
        }
    }

    /**
     * A part's newline count, the hash of each of its checksum blocks ({@link BlockDigest}) and the months its
     * sampled lines gave, in order.
     */
    record Counted(long newlines, List<byte[]> blockDigests, List<SyslogYear.Trace> yearSamples)
            implements java.io.Serializable {
    }

    static Counted count(InputFile file, long start, long end, long blockBytes, Configuration conf)
            throws IOException {
        Path path = new Path(file.uri());
        BlockDigest digest = new BlockDigest(blockBytes);
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
        return new Counted(newlines, digest.blockDigests(), List.of());
    }

    /**
     * The months given by the lines that start in the last {@code sampleBytes} of the part (for the first part, also
     * in its first {@code sampleBytes}, for the file's first year): what the next part's year state is guessed from.
     */
    static List<SyslogYear.Trace> yearSamples(IngestJob.Piece piece, IngestOptions options, long sampleBytes,
                                              Configuration conf) throws IOException {
        FileIngestor.Part part = piece.part();
        if (sampleBytes <= 0) {
            return List.of();
        }
        List<SyslogYear.Trace> samples = new ArrayList<>();
        long tail = Math.max(part.start(), part.end() - sampleBytes);
        if (part.start() == 0 && tail > 0) {
            samples.add(yearSample(piece.file(), 0, Math.min(sampleBytes, tail), part.format(), options, conf));
        }
        samples.add(yearSample(piece.file(), tail, part.end(), part.format(), options, conf));
        return samples;
    }

    private static SyslogYear.Trace yearSample(InputFile file, long from, long to, String format,
                                               IngestOptions options, Configuration conf) throws IOException {
        ParseContext context = FileIngestor.context(file, options).forPart(null);
        LineParser parser = LogFormats.byName(format).orElseThrow().open(context);
        Path path = new Path(file.uri());
        try (FSDataInputStream in = LocalFileSystems.of(path, conf).open(path)) {
            long base = from;
            if (from > 0) {
                in.seek(from - 1);
                base = LineReader.skipToLineStart(in, from); // the line under way started before the sample
            }
            LineReader reader = new LineReader(in, FileIngestor.MAX_LINE_BYTES);
            for (String line; (line = reader.next()) != null && base + reader.lineStart() < to; ) {
                if (reader.isTruncated()) {
                    continue;
                }
                try {
                    parser.parse(line);
                } catch (RuntimeException e) {
                    // a parser bug on this line: the whole read rejects it; the sample just goes without it
                }
            }
        }
        return context.years().trace();
    }

    /**
     * Makes the syslog years of split files those of the files read in order: per file, the parts' traces are folded
     * into the state each part should have started in, and a part that started in another state is read again from
     * the right one (as a new piece, so its files get new names; the wrong ones stay in the staging folder, which the
     * commit deletes). {@code pieces} and {@code outcomes} are aligned and updated in place.
     */
    static void settleYears(IngestTasks tasks, List<IngestJob.Piece> pieces, List<IngestJob.FileOutcome> outcomes,
                            IngestOptions options, IngestTasks.Task<IngestJob.Piece, IngestJob.FileOutcome> ingest)
            throws IOException {
        Map<String, List<Integer>> partsByFile = new LinkedHashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).part() != null) {
                partsByFile.computeIfAbsent(pieces.get(i).file().uri(), uri -> new ArrayList<>()).add(i);
            }
        }
        List<Integer> wrong = new ArrayList<>();
        List<IngestJob.Piece> again = new ArrayList<>();
        int nextIndex = pieces.stream().mapToInt(IngestJob.Piece::index).max().orElse(-1) + 1;
        for (List<Integer> parts : partsByFile.values()) {
            parts.sort(java.util.Comparator.comparingLong(i -> pieces.get(i).part().start()));
            SyslogYear years = FileIngestor.context(pieces.get(parts.get(0)).file(), options).syslogYear();
            SyslogYear.State state = null;
            for (int i : parts) {
                IngestJob.Piece piece = pieces.get(i);
                if (!Objects.equals(state, piece.part().yearBefore())) {
                    wrong.add(i);
                    again.add(new IngestJob.Piece(piece.file(), piece.part().withYearBefore(state), nextIndex++,
                            piece.checksum()));
                }
                state = years.after(state, outcomes.get(i).yearTrace());
            }
        }
        if (again.isEmpty()) {
            return;
        }
        List<IngestJob.FileOutcome> redone = tasks.map(again, ingest);
        for (int k = 0; k < wrong.size(); k++) {
            pieces.set(wrong.get(k), again.get(k));
            outcomes.set(wrong.get(k), redone.get(k));
        }
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
                        new LinkedHashMap<>(outcome.files()), null));
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
