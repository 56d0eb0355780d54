package io.relaywatch.jobs;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sample-logs/} analyzed once per test JVM, as README command 1 does it (shared by every test that reads its
 * warehouse: ingest and detection checks, triage goldens, the report, the notebooks, the JDBC endpoint).
 */
public final class SampleWarehouse {

    /** The outcome of the one analyze run. */
    public record Analysis(Path out, String warehouse, String summary, int exitCode) {
    }

    private static Analysis analysis;

    private SampleWarehouse() {
    }

    public static Path samples() {
        return Path.of(System.getProperty("relaywatch.samples", "../sample-logs"));
    }

    /** Skips the calling test (with the reason) when sample-logs/ is not there. */
    public static synchronized Analysis get() {
        Path samples = samples();
        Assumptions.assumeTrue(Files.isDirectory(samples), "sample-logs not found at " + samples.toAbsolutePath());
        if (analysis == null) {
            try {
                Path out = Files.createTempDirectory("relaywatch-samples");
                SparkTestSupport.spark();
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                // no --year: the dates in the file names must place the syslog lines in 2026
                int exitCode = RelayWatch.run(List.of("analyze", samples.toString(), "--out", out.toString(), "--tz",
                        "Europe/Berlin"), new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
                analysis = new Analysis(out, out.resolve("warehouse").toString(),
                        bytes.toString(StandardCharsets.UTF_8), exitCode);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return analysis;
    }
}
