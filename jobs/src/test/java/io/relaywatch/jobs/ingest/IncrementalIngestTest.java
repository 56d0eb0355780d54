package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-running ingest: unchanged files are not read again, new files are added, a grown file replaces its rows, the same
 * bytes under another path are not written twice; and a run killed before or during its commit leaves the tables as
 * they were (or completes them on the next run), never with duplicated or lost rows.
 */
class IncrementalIngestTest {

    static final Path SAMPLES = Path.of(System.getProperty("relaywatch.samples", "../sample-logs"));

    @TempDir
    Path dir;

    private Path logs;
    private String warehouse;

    private void copySample(String relative, String as) throws IOException {
        Path target = logs.resolve(as);
        Files.createDirectories(target.getParent());
        Files.copy(SAMPLES.resolve(relative), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private IngestJob.Result ingest(boolean replace, Path... inputs) throws IOException {
        List<String> paths = Arrays.stream(inputs).map(Path::toString).toList();
        return IngestJob.run(SparkTestSupport.spark(), paths, warehouse,
                new IngestOptions(null, "Europe/Berlin", 2026, System.currentTimeMillis()), replace);
    }

    private long rows(io.relaywatch.schema.TableSchema table) {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, table).count();
    }

    private long rowsOf(io.relaywatch.schema.TableSchema table, String fileName) {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, table)
                .where(org.apache.spark.sql.functions.col("source_file").endsWith("/" + fileName)).count();
    }

    private void setUp() throws IOException {
        logs = dir.resolve("logs");
        warehouse = dir.resolve("warehouse").toString();
        copySample("legacy-sendmail/maillog-20261116", "mail/maillog-20261116");
        copySample("legacy-smtp/ex261112.log", "mail/ex261112.log");
    }

    @Test
    void sameFilesTwiceAddNothingAndNewFilesAreAdded() throws IOException {
        setUp();
        IngestJob.Result first = ingest(false, logs);
        assertEquals(2, first.files().size());
        long smtp = rows(Tables.SMTP_EVENTS);
        assertTrue(smtp > 0);

        IngestJob.Result again = ingest(false, logs);
        assertEquals(List.of(), again.files(), "nothing read again");
        assertEquals(2, again.unchanged().size());
        assertEquals(smtp, rows(Tables.SMTP_EVENTS));
        assertEquals(2, rows(Tables.INGEST_FILES));

        copySample("ws-finance-07/pfirewall.log", "fw/pfirewall.log");
        IngestJob.Result third = ingest(false, logs);
        assertEquals(1, third.files().size(), "only the new file is read");
        assertEquals(smtp, rows(Tables.SMTP_EVENTS));
        assertEquals(third.files().get(0).rows(), rows(Tables.FIREWALL_EVENTS));
        assertEquals(3, rows(Tables.INGEST_FILES));
    }

    @Test
    void aGrownFileReplacesItsRows() throws IOException {
        setUp();
        ingest(false, logs);
        long otherFile = rowsOf(Tables.SMTP_EVENTS, "ex261112.log");
        Path maillog = logs.resolve("mail/maillog-20261116");
        List<String> lines = Files.readAllLines(maillog);
        // the log grew: its first 20 lines again, as new events appended at the end
        Files.write(maillog, lines.subList(0, 20), StandardOpenOption.APPEND);
        Files.setLastModifiedTime(maillog, FileTime.fromMillis(System.currentTimeMillis() + 60_000));

        IngestJob.Result result = ingest(false, logs);
        assertEquals(1, result.files().size());
        FileSummary grown = result.files().get(0);
        assertEquals(lines.size() + 20, grown.read());
        assertEquals(grown.rows(), rowsOf(Tables.SMTP_EVENTS, "maillog-20261116"), "old rows replaced, not added to");
        assertEquals(otherFile, rowsOf(Tables.SMTP_EVENTS, "ex261112.log"), "the other file's rows untouched");
        assertEquals(2, rows(Tables.INGEST_FILES));
        assertEquals(lines.size() + 20, Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES)
                .where("source_file LIKE '%maillog-20261116'").first().getLong(
                        io.relaywatch.schema.IngestFileColumn.LINES_READ.ordinal()));
    }

    @Test
    void theSameBytesUnderAnotherPathAreNotWrittenTwice() throws IOException {
        setUp();
        ingest(false, logs);
        long smtp = rows(Tables.SMTP_EVENTS);
        copySample("legacy-sendmail/maillog-20261116", "archive-copy/maillog-20261116.bak");
        IngestJob.Result result = ingest(false, logs);
        assertEquals(1, result.files().size());
        assertEquals(0, result.files().get(0).rows());
        assertEquals(smtp, rows(Tables.SMTP_EVENTS));
        Row copy = Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES)
                .where("source_file LIKE '%.bak'").first();
        assertTrue(copy.getString(io.relaywatch.schema.IngestFileColumn.DUPLICATE_OF.ordinal())
                .endsWith("mail/maillog-20261116"));
        assertTrue(copy.getLong(io.relaywatch.schema.IngestFileColumn.LINES_READ.ordinal()) > 0, "still counted");
    }

    /**
     * A warehouse written before 2026-12-02 holds SHA-256 checksums: a copy of one of its files under another path is
     * still found (by that file's SHA-256, computed for files of the same size only), and a file of the same size
     * with other bytes is not taken for one.
     */
    @Test
    void copiesOfFilesIngestedWithSha256ChecksumsAreStillFound() throws Exception {
        setUp();
        ingest(false, logs);
        long smtp = rows(Tables.SMTP_EVENTS);
        // the warehouse as the older version wrote it: the same rows with the files' SHA-256s
        SparkSession spark = SparkTestSupport.spark();
        Path table = Path.of(Warehouse.tablePath(warehouse, Tables.INGEST_FILES));
        int checksum = io.relaywatch.schema.IngestFileColumn.CHECKSUM.ordinal();
        List<Row> legacyRows = new ArrayList<>();
        for (Row row : Warehouse.read(spark, warehouse, Tables.INGEST_FILES).collectAsList()) {
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(Path.of(java.net.URI.create(row.getString(
                            io.relaywatch.schema.IngestFileColumn.SOURCE_FILE.ordinal()))))));
            assertFalse(sha256.equals(values[checksum]));
            values[checksum] = sha256;
            legacyRows.add(org.apache.spark.sql.RowFactory.create(values));
        }
        Path rewritten = dir.resolve("rewritten");
        spark.createDataFrame(legacyRows, io.relaywatch.jobs.SparkSchemas.structType(Tables.INGEST_FILES))
                .coalesce(1).write().parquet(rewritten.toString());
        try (var old = Files.list(table)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        try (var fresh = Files.list(rewritten)) {
            for (Path file : fresh.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                Files.move(file, table.resolve(file.getFileName()));
            }
        }

        copySample("legacy-sendmail/maillog-20261116", "archive-copy/maillog-20261116.bak");
        // the same size, other bytes: one character changed
        byte[] other = Files.readAllBytes(SAMPLES.resolve("legacy-smtp/ex261112.log"));
        other[other.length / 2] = (byte) (other[other.length / 2] == 'x' ? 'y' : 'x');
        Files.createDirectories(logs.resolve("other"));
        Files.write(logs.resolve("other/ex261112.log"), other);
        IngestJob.Result result = ingest(false, logs);
        assertEquals(2, result.files().size());
        List<Row> added = Warehouse.read(spark, warehouse, Tables.INGEST_FILES)
                .where("source_file LIKE '%.bak' OR source_file LIKE '%/other/%'").orderBy("source_file")
                .collectAsList();
        int duplicateOf = io.relaywatch.schema.IngestFileColumn.DUPLICATE_OF.ordinal();
        assertTrue(added.get(0).getString(duplicateOf).endsWith("mail/maillog-20261116"), added.get(0).toString());
        assertEquals(null, added.get(1).getString(duplicateOf), "same size, other bytes: not a copy");
        FileSummary copy = result.files().get(0);
        FileSummary otherFile = result.files().get(1);
        assertTrue(copy.file().endsWith(".bak") && otherFile.file().contains("/other/"), result.files().toString());
        assertEquals(0, copy.rows());
        assertTrue(otherFile.rows() > 0);
        assertEquals(smtp + otherFile.rows(), rows(Tables.SMTP_EVENTS), "the copy adds no rows, the other file its own");
    }

    @Test
    void replaceStartsOver() throws IOException {
        setUp();
        ingest(false, logs);
        copySample("ws-finance-07/pfirewall.log", "fw/pfirewall.log");
        IngestJob.Result result = ingest(true, logs.resolve("fw"));
        assertEquals(1, result.files().size());
        assertEquals(0, rows(Tables.SMTP_EVENTS));
        assertEquals(1, rows(Tables.INGEST_FILES));
        assertTrue(rows(Tables.FIREWALL_EVENTS) > 0);
    }

    /** Runs ingest in its own JVM with a fault that ends it as a kill would (Runtime.halt: no cleanup runs). */
    private int ingestInChildJvm(String fault) throws Exception {
        return ingestInChildJvm("child-" + fault, "-Drelaywatch.fault=" + fault);
    }

    /** Runs {@code relaywatch ingest} of the logs in its own JVM, as the launcher does; its output goes to NAME.log. */
    private int ingestInChildJvm(String name, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("relaywatch.java17.opens", "").trim().split("\\s+")));
        command.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RelayWatch.class.getName(),
                "ingest", logs.toString(), "--out", warehouse, "--tz", "Europe/Berlin", "--year", "2026"));
        ProcessBuilder pb = new ProcessBuilder(command.stream().filter(s -> !s.isEmpty()).toList());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".log").toFile());
        Process process = pb.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "child ingest finished");
        return process.exitValue();
    }

    /**
     * A local ingest that only adds files never starts log4j's core (LogSetup: a tenth of a short run) nor loads a
     * Scala class (its accounting rows are plain arrays, not Spark rows); one that must rewrite a grown file's rows
     * starts Spark, which needs the core, in the same process, and finishes normally.
     */
    @Test
    void log4jCoreStartsOnlyWithSpark() throws Exception {
        setUp();
        String loaded = "-Xlog:class+load=info:file=";
        assertEquals(0, ingestInChildJvm("adds", loaded + dir.resolve("adds-classes.txt")),
                Files.readString(dir.resolve("adds.log")));
        String coreContext = "org.apache.logging.log4j.core.LoggerContext ";
        assertFalse(Files.readString(dir.resolve("adds-classes.txt")).contains(coreContext),
                "log4j's core started in an ingest without Spark");
        assertFalse(Files.readString(dir.resolve("adds-classes.txt")).contains("org.apache.spark.SparkContext "));
        assertFalse(Files.readString(dir.resolve("adds-classes.txt")).contains("] scala."),
                "a Scala class loaded in an ingest without Spark");

        Path maillog = logs.resolve("mail/maillog-20261116");
        Files.write(maillog, Files.readAllLines(maillog).subList(0, 20), StandardOpenOption.APPEND);
        Files.setLastModifiedTime(maillog, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertEquals(0, ingestInChildJvm("rewrites", loaded + dir.resolve("rewrites-classes.txt")),
                Files.readString(dir.resolve("rewrites.log")));
        String classes = Files.readString(dir.resolve("rewrites-classes.txt"));
        assertTrue(classes.contains("org.apache.spark.SparkContext "), "Spark started to rewrite the grown file");
        assertTrue(classes.contains(coreContext), "log4j's core started with Spark");
        assertEquals(rowsOf(Tables.SMTP_EVENTS, "maillog-20261116"), Warehouse.read(SparkTestSupport.spark(),
                warehouse, Tables.INGEST_FILES).where("source_file LIKE '%maillog-20261116'").first().getLong(
                io.relaywatch.schema.IngestFileColumn.ROWS_WRITTEN.ordinal()), "the grown file's rows replaced");
    }

    @Test
    void aRunKilledBeforeItsCommitLeavesNothingAndIsRolledBack() throws Exception {
        setUp();
        ingest(false, logs);
        long smtp = rows(Tables.SMTP_EVENTS);
        copySample("ws-finance-07/pfirewall.log", "fw/pfirewall.log");
        assertEquals(137, ingestInChildJvm("halt-before-commit"));
        assertEquals(smtp, rows(Tables.SMTP_EVENTS));
        assertEquals(0, rows(Tables.FIREWALL_EVENTS), "the killed run's table is not visible");
        assertEquals(2, rows(Tables.INGEST_FILES));

        IngestJob.Result next = ingest(false, logs);
        assertTrue(next.notes().stream().anyMatch(n -> n.startsWith("rolled back interrupted run")), next.notes()
                .toString());
        assertEquals(1, next.files().size(), "the new file is read by the next run");
        assertEquals(next.files().get(0).rows(), rows(Tables.FIREWALL_EVENTS));
        Path staging = Path.of(warehouse, "_staging");
        assertTrue(!Files.exists(staging) || Files.list(staging).findAny().isEmpty(), "no run left in staging");
    }

    @Test
    void aRunKilledDuringItsCommitIsCompletedByTheNextRun() throws Exception {
        setUp();
        copySample("ws-finance-07/pfirewall.log", "fw/pfirewall.log");
        assertEquals(137, ingestInChildJvm("halt-during-commit"));
        assertTrue(Files.exists(Path.of(warehouse, "_staging")), "the interrupted commit is still recorded");

        IngestJob.Result next = ingest(false, logs);
        assertTrue(next.notes().stream().anyMatch(n -> n.startsWith("completed the commit")), next.notes().toString());
        assertEquals(List.of(), next.files(), "the completed run had read every file");
        assertEquals(3, rows(Tables.INGEST_FILES));
        SparkSession spark = SparkTestSupport.spark();
        long expected = Warehouse.read(spark, warehouse, Tables.INGEST_FILES).selectExpr("sum(rows_written)")
                .first().getLong(0);
        assertEquals(expected, rows(Tables.SMTP_EVENTS) + rows(Tables.FIREWALL_EVENTS) + rows(Tables.HTTP_REQUESTS),
                "every row written exactly once");
    }

    @Test
    void anUnwritableWarehouseIsAClearError() throws IOException {
        setUp();
        SparkTestSupport.spark();
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "a file where the warehouse's parent should be");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of("ingest", logs.toString(), "--out", blocker.resolve("warehouse").toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("not-a-folder"), message);
        assertFalse(Files.exists(blocker.resolve("warehouse")));
        assertTrue(new File(blocker.toString()).isFile(), "nothing else was touched");
    }

    @Test
    void aCorruptParquetFileIsNamedNotSkipped() throws IOException {
        setUp();
        ingest(false, logs);
        Path table = Path.of(warehouse, Tables.SMTP_EVENTS.name());
        Path victim;
        try (var files = Files.walk(table)) {
            victim = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Files.writeString(victim, "this is not parquet any more");
        Files.deleteIfExists(victim.resolveSibling("." + victim.getFileName() + ".crc"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of("sql", "--warehouse", warehouse, "SELECT count(*) FROM smtp_events"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code, "no count from a table with an unreadable file");
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains(victim.getFileName().toString()), message);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("row"), "no result printed");
    }

    /** A full disk mid-ingest: a clear error, and the warehouse as it was before the run. Needs root for the mount. */
    @Test
    void aFullDiskFailsTheRunAndKeepsTheWarehouseAsItWas() throws Exception {
        setUp();
        Path small = dir.resolve("small-disk");
        Files.createDirectories(small);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                "cannot mount a small tmpfs here (needs root): disk-full test skipped");
        try {
            warehouse = small.resolve("warehouse").toString();
            ingest(false, logs.resolve("mail/ex261112.log"));
            long before = rows(Tables.SMTP_EVENTS);
            assertTrue(before > 0);
            // about 20 MB of Postfix lines: far more Parquet than the 1 MB disk holds
            Path big = logs.resolve("big/mail.log-20261116");
            Files.createDirectories(big.getParent());
            List<String> lines = Files.readAllLines(SAMPLES.resolve("mx1/mail.log-20261116"));
            try (var out = Files.newBufferedWriter(big)) {
                for (int i = 0; i < 3; i++) {
                    for (String line : lines) {
                        out.write(line);
                        out.write('\n');
                    }
                }
            }
            SparkTestSupport.spark();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = RelayWatch.run(List.of("ingest", big.toString(), "--out", warehouse),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("No space left on device"),
                    err.toString(StandardCharsets.UTF_8).lines().limit(5).toList().toString());
            assertEquals(before, rows(Tables.SMTP_EVENTS), "nothing of the failed run is visible");
            assertEquals(1, rows(Tables.INGEST_FILES));
        } finally {
            // lazily: the shared Spark session may still hold the file system open
            new ProcessBuilder("umount", "-l", small.toString()).redirectErrorStream(true).start().waitFor(30,
                    TimeUnit.SECONDS);
        }
    }
}
