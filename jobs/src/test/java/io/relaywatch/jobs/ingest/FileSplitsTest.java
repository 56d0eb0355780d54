package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.IngestFileColumn;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A big plain file read in parts by parallel tasks (an access log; a syslog file, whose years carry from line to line)
 * gives exactly the rows, line numbers and accounting of the same file read whole; compressed files and formats with
 * header lines are never split.
 */
class FileSplitsTest {

    static final Path SAMPLES = Path.of(System.getProperty("relaywatch.samples", "../sample-logs"));

    @TempDir
    Path dir;

    private String ingest(Path input, long partBytes, String name) throws IOException {
        return ingest(input, partBytes, name, new IngestTasks.OnSpark(SparkTestSupport.spark()));
    }

    /** Checksum blocks of 7,919 bytes (a prime) instead of 16 MiB, so that the small samples have many. */
    static final long HASH_BLOCK = 7919;

    private String ingest(Path input, long partBytes, String name, IngestTasks tasks) throws IOException {
        return ingest(input, partBytes, name, tasks, Map.of());
    }

    private String ingest(Path input, long partBytes, String name, IngestTasks tasks, Map<String, String> more)
            throws IOException {
        String warehouse = dir.resolve(name).toString();
        Map<String, String> properties = new HashMap<>(more);
        properties.put("relaywatch.ingest.partBytes", Long.toString(partBytes));
        properties.put("relaywatch.ingest.hashBlockBytes", Long.toString(HASH_BLOCK));
        withProperties(properties, () -> IngestJob.run(tasks, SparkTestSupport::spark, List.of(input.toString()),
                warehouse, new IngestOptions(null, "Europe/Berlin", 2026, 0L), false));
        return warehouse;
    }

    /** Runs {@code action} with these system properties set, and puts them back as they were. */
    private static <T> T withProperties(Map<String, String> properties, java.util.concurrent.Callable<T> action)
            throws IOException {
        Map<String, String> before = new HashMap<>();
        properties.forEach((key, value) -> before.put(key, System.setProperty(key, value)));
        try {
            return action.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            before.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }

    /** The MurmurHash3 of the MurmurHash3s of the file's blocks of {@link #HASH_BLOCK} bytes, computed here on its own. */
    private static String blockTreeHash(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        java.io.ByteArrayOutputStream blocks = new java.io.ByteArrayOutputStream();
        for (int start = 0; start < bytes.length; start += (int) HASH_BLOCK) {
            blocks.write(BlockDigestTest.murmur(bytes, start, Math.min(bytes.length, start + (int) HASH_BLOCK)));
        }
        byte[] all = blocks.toByteArray();
        return HexFormat.of().formatHex(BlockDigestTest.murmur(all, 0, all.length));
    }

    private List<String> rows(String warehouse, TableSchema table) {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, table).orderBy("source_file", "source_line")
                .collectAsList().stream().map(Row::toString).toList();
    }

    /** Every row of the table, as text, sorted; without the run's id, which is new for every run. */
    private List<String> allRows(String warehouse, TableSchema table) {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, table).drop("ingest_run").collectAsList().stream()
                .map(Row::toString).sorted().toList();
    }

    private Row fileRow(String warehouse) {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES).first();
    }

    @Test
    void partsGiveTheRowsOfTheWholeFile() throws Exception {
        // an access log with a CRLF line, a rejected line and no final newline, so that the part edges meet all cases
        Path log = dir.resolve("access.log");
        List<String> lines = Files.readAllLines(SAMPLES.resolve("www/access.log-20261116"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(lines.get(i)).append(i == 100 ? "\r\n" : "\n");
            if (i == 2000) {
                text.append("this is not an access log line\n");
            }
        }
        text.setLength(text.length() - 1);
        Files.writeString(log, text, StandardCharsets.UTF_8);

        String whole = ingest(log, Long.MAX_VALUE, "whole");
        // parts of 7,919 bytes: a prime, so the edges fall anywhere in lines, sometimes right after a newline
        String parts = ingest(log, 7919, "parts");
        assertTrue(Files.size(log) / 7919 > 50, "many parts");

        assertEquals(rows(whole, Tables.HTTP_REQUESTS), rows(parts, Tables.HTTP_REQUESTS));
        assertEquals(rows(whole, Tables.REJECTED_LINES), rows(parts, Tables.REJECTED_LINES));
        Row a = fileRow(whole);
        Row b = fileRow(parts);
        for (IngestFileColumn count : List.of(IngestFileColumn.LINES_READ, IngestFileColumn.LINES_PARSED,
                IngestFileColumn.LINES_REJECTED, IngestFileColumn.LINES_SKIPPED, IngestFileColumn.ROWS_WRITTEN)) {
            assertEquals(a.getLong(count.ordinal()), b.getLong(count.ordinal()), count.columnName());
        }
        assertEquals(lines.size() + 1, b.getLong(IngestFileColumn.LINES_READ.ordinal()));
        assertEquals(1, b.getLong(IngestFileColumn.LINES_REJECTED.ordinal()));
        // the checksum does not depend on how the file was cut (whole, parts of one block, of three blocks, or of
        // 5,000 bytes, which the plan rounds up to a block): the same bytes are recognized on any machine
        String checksum = blockTreeHash(log);
        assertEquals(checksum, a.getString(IngestFileColumn.CHECKSUM.ordinal()));
        assertEquals(checksum, b.getString(IngestFileColumn.CHECKSUM.ordinal()));
        for (long partBytes : new long[] {3 * HASH_BLOCK, 5000}) {
            Row again = fileRow(ingest(log, partBytes, "parts-of-" + partBytes));
            assertEquals(checksum, again.getString(IngestFileColumn.CHECKSUM.ordinal()), "parts of " + partBytes);
            assertEquals(a.getLong(IngestFileColumn.ROWS_WRITTEN.ordinal()),
                    again.getLong(IngestFileColumn.ROWS_WRITTEN.ordinal()));
        }
    }

    /**
     * A Postfix log over three years, with stragglers from before New Year, lines of another program and
     * lines that are not syslog at all: the parts' years are those of the file read in order, whether each part's
     * start was guessed from the end of the part before (the default), from too little of it, or not at all (every
     * part after the first read again from the state the parts before it ended in).
     */
    @Test
    void syslogPartsGetTheYearsOfTheWholeFile() throws IOException {
        Path log = dir.resolve("mail.log");
        StringBuilder text = new StringBuilder();
        java.time.LocalDateTime time = java.time.LocalDateTime.of(2024, 10, 1, 6, 0);
        java.time.format.DateTimeFormatter syslog = java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss",
                java.util.Locale.ROOT);
        for (int i = 0; i < 1200; i++) {
            // days 20 apart with 20 lines each: over three years in few partitions (few small files to read back)
            time = time.plusMinutes(7).plusDays(i % 20 == 0 ? 20 : 0);
            // every 40th line a straggler 12 days late, so some cross New Year backwards
            java.time.LocalDateTime stamp = i % 40 == 39 ? time.minusDays(12) : time;
            String program = i % 31 == 0 ? "dovecot" : "postfix/smtpd[" + (1000 + i) + "]";
            text.append(syslog.format(stamp)).append(" mx1 ").append(program).append(": NOQUEUE: reject: RCPT from ")
                    .append("unknown[203.0.113.").append(i % 250).append("]: 554 5.7.1 <x@example.org>: Relay ")
                    .append("access denied; from=<a@example.com> to=<x@example.org> proto=ESMTP helo=<h").append(i)
                    .append(">\n");
            if (i % 97 == 0) {
                text.append("-- the log was rotated here --\n");
            }
        }
        Files.writeString(log, text, StandardCharsets.UTF_8);

        String whole = ingest(log, Long.MAX_VALUE, "syslog-whole");
        List<String> expected = rows(whole, Tables.SMTP_EVENTS);
        assertEquals(5, Warehouse.read(SparkTestSupport.spark(), whole, Tables.SMTP_EVENTS)
                .selectExpr("year(ts)").distinct().count(), "October of one year to January four years later");
        IngestTasks spark = new IngestTasks.OnSpark(SparkTestSupport.spark());
        for (String sample : List.of("65536", "300", "0")) {
            String parts = ingest(log, 7919, "syslog-parts-" + sample, spark,
                    Map.of("relaywatch.ingest.yearSampleBytes", sample));
            assertEquals(expected, rows(parts, Tables.SMTP_EVENTS), "year samples of " + sample + " bytes");
            assertEquals(rows(whole, Tables.REJECTED_LINES), rows(parts, Tables.REJECTED_LINES));
            assertEquals(fileRow(whole).getLong(IngestFileColumn.ROWS_WRITTEN.ordinal()),
                    fileRow(parts).getLong(IngestFileColumn.ROWS_WRITTEN.ordinal()));
        }
        Path sendmail = SAMPLES.resolve("legacy-sendmail/maillog-20261116");
        assertEquals(rows(ingest(sendmail, Long.MAX_VALUE, "sendmail-whole"), Tables.SMTP_EVENTS),
                rows(ingest(sendmail, 4096, "sendmail-parts"), Tables.SMTP_EVENTS));
    }

    @Test
    void compressedFilesAndFormatsWithHeadersAreReadWhole() throws IOException {
        List<String> whole = List.of("www/other_vhosts_access.log-20261109.gz", "legacy-smtp/ex261112.log",
                "sensor/smtp.log", "asa/asa.log-20261116");
        List<String> split = List.of("www/access.log-20261116", "legacy-sendmail/maillog-20261116",
                "mx1/mail.log-20261116", "paloalto/pan-traffic.csv-20261116");
        List<InputFile> files = new java.util.ArrayList<>();
        for (String sample : java.util.stream.Stream.concat(whole.stream(), split.stream()).toList()) {
            Path file = SAMPLES.resolve(sample);
            assertTrue(Files.size(file) > 4096, sample + " is big enough to split");
            files.add(new InputFile(file.toUri().toString(), Files.size(file), Files.getLastModifiedTime(file)
                    .toMillis()));
        }
        List<IngestJob.Piece> pieces = withProperties(Map.of("relaywatch.ingest.partBytes", "4096",
                "relaywatch.ingest.hashBlockBytes", "4096"), () -> FileSplits.plan(new IngestTasks.OnSpark(
                        SparkTestSupport.spark()), files, new IngestOptions(null, "UTC", null, 0L)));
        Map<String, Long> piecesPerFile = new HashMap<>();
        for (IngestJob.Piece piece : pieces) {
            piecesPerFile.merge(piece.file().uri(), 1L, Long::sum);
        }
        for (int i = 0; i < files.size(); i++) {
            long count = piecesPerFile.get(files.get(i).uri());
            String sample = i < whole.size() ? whole.get(i) : split.get(i - whole.size());
            if (i < whole.size()) {
                assertEquals(1, count, sample + " is read whole");
            } else {
                assertTrue(count > 2, sample + " is read in parts: " + count);
            }
        }
    }

    @Test
    void threadsOfThisJvmWriteWhatSparkTasksWrite() throws IOException {
        // a split access log with a rejected line, a compressed one, a split syslog file, formats read whole (W3C and
        // Zeek headers), a CSV firewall log, and one file twice under two names
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        for (String sample : List.of("www/access.log-20261116", "www/other_vhosts_access.log-20261109.gz",
                "legacy-sendmail/maillog-20261116", "legacy-smtp/ex261112.log", "sensor/smtp.log",
                "owa/MSGTRK20261110-1.LOG", "ws-finance-07/pfirewall.log", "paloalto/pan-traffic.csv-20261116")) {
            Files.copy(SAMPLES.resolve(sample), logs.resolve(sample.replace('/', '_')));
        }
        Files.copy(SAMPLES.resolve("ws-finance-07/pfirewall.log"), logs.resolve("pfirewall-copy.log"));
        Files.writeString(logs.resolve("www_access.log-20261116"), "this is not an access log line\n",
                java.nio.file.StandardOpenOption.APPEND);

        String onSpark = ingest(logs, 7919, "on-spark");
        String inThisJvm = ingest(logs, 7919, "in-this-jvm", new IngestTasks.InThisJvm(2,
                SparkTestSupport.spark().sparkContext().hadoopConfiguration()));

        for (TableSchema table : Tables.INGESTED) {
            List<String> expected = allRows(onSpark, table);
            assertTrue(!expected.isEmpty(), table.name());
            assertEquals(expected, allRows(inThisJvm, table), table.name());
        }
        assertEquals(1, Warehouse.read(SparkTestSupport.spark(), inThisJvm, Tables.INGEST_FILES)
                .where("duplicate_of IS NOT NULL").count(), "the copy is marked, not written twice");
    }
}
