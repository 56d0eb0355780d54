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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A big plain access log read in parts by parallel tasks gives exactly the rows, line numbers and accounting of the
 * same file read whole; compressed files and formats with per-file state are never split.
 */
class FileSplitsTest {

    static final Path SAMPLES = Path.of(System.getProperty("relaywatch.samples", "../sample-logs"));

    @TempDir
    Path dir;

    private String ingest(Path input, long partBytes, String name) throws IOException {
        return ingest(input, partBytes, name, new IngestTasks.OnSpark(SparkTestSupport.spark()));
    }

    private String ingest(Path input, long partBytes, String name, IngestTasks tasks) throws IOException {
        String warehouse = dir.resolve(name).toString();
        String before = System.getProperty("relaywatch.ingest.partBytes");
        System.setProperty("relaywatch.ingest.partBytes", Long.toString(partBytes));
        try {
            IngestJob.run(tasks, SparkTestSupport::spark, List.of(input.toString()), warehouse,
                    new IngestOptions(null, "Europe/Berlin", 2026, 0L), false);
        } finally {
            if (before == null) {
                System.clearProperty("relaywatch.ingest.partBytes");
            } else {
                System.setProperty("relaywatch.ingest.partBytes", before);
            }
        }
        return warehouse;
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
    void partsGiveTheRowsOfTheWholeFile() throws IOException {
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
        // a split file's checksum is the hash of its parts' hashes: different from the plain one, stable across runs
        String split = b.getString(IngestFileColumn.CHECKSUM.ordinal());
        assertNotEquals(a.getString(IngestFileColumn.CHECKSUM.ordinal()), split);
        assertEquals(split, fileRow(ingest(log, 7919, "again")).getString(IngestFileColumn.CHECKSUM.ordinal()));
    }

    @Test
    void compressedFilesAndStatefulFormatsAreReadWhole() throws IOException {
        Path gz = SAMPLES.resolve("www/other_vhosts_access.log-20261109.gz");
        Path syslog = SAMPLES.resolve("legacy-sendmail/maillog-20261116");
        for (Path file : List.of(gz, syslog)) {
            String whole = ingest(file, Long.MAX_VALUE, file.getFileName() + "-whole");
            String small = ingest(file, 4096, file.getFileName() + "-small");
            Row a = fileRow(whole);
            Row b = fileRow(small);
            assertEquals(a.getString(IngestFileColumn.CHECKSUM.ordinal()), b.getString(IngestFileColumn.CHECKSUM
                    .ordinal()), "read whole: the plain SHA-256 of " + file);
            assertEquals(a.getLong(IngestFileColumn.ROWS_WRITTEN.ordinal()),
                    b.getLong(IngestFileColumn.ROWS_WRITTEN.ordinal()));
        }
    }

    @Test
    void threadsOfThisJvmWriteWhatSparkTasksWrite() throws IOException {
        // a split access log with a rejected line, a compressed one, formats with per-file state (syslog years, W3C and Zeek headers), a
        // CSV firewall log, and one file twice under two names
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
