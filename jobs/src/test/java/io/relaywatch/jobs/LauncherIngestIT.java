package io.relaywatch.jobs;

import io.relaywatch.schema.IngestFileColumn;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's local ingest, on the jars it uses rather than all of Spark's: every sample file (every format,
 * compressed ones too) is ingested on that classpath, and a run that must rewrite the rows of a changed file (which
 * needs Spark) runs again with Spark's jars and replaces them. Runs in {@code mvn verify} (failsafe), after the jar is
 * built, through {@code ./relaywatch} itself.
 */
class LauncherIngestIT {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    private record Run(int status, String stdout, String stderr) {
    }

    private Run launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("relaywatch").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        // the JVM prints its classpath: which jars the run had
        builder.environment().put("RELAYWATCH_JAVA_OPTS", "-XshowSettings:properties");
        builder.environment().remove("RELAYWATCH_MASTER");
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the launcher did not finish");
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void aLocalIngestRunsWithoutSparksJarsUntilAChangedFileNeedsThem() throws Exception {
        Path logs = dir.resolve("logs");
        List<Path> files;
        try (Stream<Path> samples = Files.walk(ROOT.resolve("sample-logs"))) {
            files = samples.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().contains("_generator") && !f.getFileName().toString().equals("README.md"))
                    .toList();
        }
        for (Path file : files) {
            Path copy = logs.resolve(ROOT.resolve("sample-logs").relativize(file).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
        }
        String warehouse = dir.resolve("warehouse").toString();

        Run first = launcher("ingest", logs.toString(), "--out", warehouse, "--tz", "Europe/Berlin");
        assertEquals(0, first.status(), first.stderr());
        assertTrue(first.stderr().contains("relaywatch.jar"), "the classpath is printed");
        assertFalse(first.stderr().contains("spark-core_"), "no Spark jar on a local ingest's classpath");
        assertFalse(first.stderr().contains("running again"), first.stderr());
        List<Row> ingested = Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES).collectAsList();
        assertEquals(files.size(), ingested.size(), "every sample file has its accounting row");
        for (Row row : ingested) {
            assertEquals(null, row.get(IngestFileColumn.FILE_ERROR.ordinal()), row.toString());
            assertTrue(row.getLong(IngestFileColumn.LINES_READ.ordinal()) > 0, row.toString());
        }

        // the Postfix log grew: its old rows are rewritten without it (Spark), then its new rows are added
        Path mailLog = logs.resolve("mx1/mail.log-20261116");
        long before = rows(warehouse, "mx1/mail.log-20261116");
        Files.writeString(mailLog, "Nov 16 23:59:59 mx1 postfix/smtpd[4242]: connect from unknown[192.0.2.9]\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.setLastModifiedTime(mailLog, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Run second = launcher("ingest", logs.toString(), "--out", warehouse, "--tz", "Europe/Berlin");
        assertEquals(0, second.status(), second.stderr());
        assertTrue(second.stderr().contains("running again with Spark's jars"), second.stderr());
        assertTrue(second.stderr().contains("spark-core_"), "the second run had Spark's jars");
        assertEquals(before + 1, rows(warehouse, "mx1/mail.log-20261116"), "replaced, not added to");
        assertEquals(files.size(), Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES).count());
        assertTrue(second.stdout().contains(files.size() - 1 + " file(s) unchanged"), second.stdout());
    }

    private static long rows(String warehouse, String relative) {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.SMTP_EVENTS)
                .where(org.apache.spark.sql.functions.col("source_file").endsWith(File.separator + relative)).count();
    }
}
