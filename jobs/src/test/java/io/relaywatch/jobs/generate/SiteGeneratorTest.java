package io.relaywatch.jobs.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Exchange 2019 and SBS 2003 sites' files are written as those products write them: every line of every file read
 * by the intended format through the product's own ingest with nothing rejected, the line counts as written, a
 * byte-order mark where Exchange writes one, CRLF throughout; and the same seed gives the same bytes.
 */
class SiteGeneratorTest {

    static final java.time.LocalDate START = GeneratorTest.START;

    @TempDir
    Path tmp;

    @Test
    void exchangeFilesAreReadAsTheirFormatsWithoutRejects() throws Exception {
        Generator.Result result = generate(Generator.EXCHANGE, "x", 42);
        Set<String> formats = ingestedAsWritten(result);
        assertEquals(Set.of("exchange_smtp_protocol", "exchange_tracking", "iis_w3c"), formats);
        for (Generator.FileStat f : result.files()) {
            byte[] bytes = Files.readAllBytes(tmp.resolve("x").resolve(f.path()));
            boolean exchange = f.format().startsWith("exchange");
            assertEquals(exchange, bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF,
                    f.path() + ": a byte-order mark where Exchange writes one, none in IIS's log");
            assertCrlf(f.path(), bytes);
            String name = f.path().substring(f.path().lastIndexOf('/') + 1);
            assertTrue(name.matches(exchange ? "(RECV|SEND|MSGTRK)20261(109|110)\\d\\d-1\\.LOG" : "u_ex2611(09|10)\\.log"),
                    f.path());
        }
        // 24 hourly files of each Exchange log per day, one IIS file per day
        assertEquals(2 * (3 * 24 + 1), result.files().size());
        assertStoriesWithinThePeriod(result, Set.of("stolen_account", "open_relay", "owa_password_spray"), 2);
    }

    @Test
    void sbs2003FilesAreReadAsTheirFormatsWithoutRejects() throws Exception {
        Generator.Result result = generate(Generator.SBS2003, "s", 42);
        assertEquals(Set.of("iis_smtp", "exchange2003_tracking"), ingestedAsWritten(result));
        for (Generator.FileStat f : result.files()) {
            byte[] bytes = Files.readAllBytes(tmp.resolve("s").resolve(f.path()));
            assertNotEquals((byte) 0xEF, bytes[0], f.path() + ": no byte-order mark on Windows Server 2003");
            assertCrlf(f.path(), bytes);
        }
        List<String> tracking = Files.readAllLines(tmp.resolve("s/logs/SBS/Exchsrvr/SBS.log/20261109.log"));
        assertEquals("# Message Tracking Log File", tracking.get(0));
        assertTrue(tracking.get(3).matches("2026-11-9\t\\d{1,2}:\\d\\d:\\d\\d GMT\t.*"), tracking.get(3));
        assertEquals(4, result.files().size());
        assertStoriesWithinThePeriod(result, Set.of("open_relay"), 2);
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws IOException {
        for (String site : List.of(Generator.EXCHANGE, Generator.SBS2003)) {
            generate(site, site + "-a", 7);
            generate(site, site + "-b", 7);
            generate(site, site + "-c", 8);
            Map<String, String> a = GeneratorTest.checksums(tmp.resolve(site + "-a"));
            Map<String, String> c = GeneratorTest.checksums(tmp.resolve(site + "-c"));
            assertEquals(a, GeneratorTest.checksums(tmp.resolve(site + "-b")), site);
            assertEquals(a.keySet(), c.keySet(), site);
            for (String file : a.keySet()) {
                if (!file.equals("detect.json")) {
                    assertNotEquals(a.get(file), c.get(file), site + ": " + file + " does not depend on the seed");
                }
            }
        }
    }

    @Test
    void commandLineTakesTheSite() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = RelayWatch.run(List.of("generate", "--site", "sbs2003", "--out", tmp.resolve("cli").toString(),
                "--days", "1", "--scale", "40000"), o, e);
        assertEquals(0, code, out + "" + err);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("logs/SBS/Exchsrvr/SBS.log/20261109.log"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(2, RelayWatch.run(List.of("generate", "--site", "domino", "--out", tmp.resolve("x").toString(),
                "--days", "1", "--scale", "60000"), o, e));
        assertEquals(1, RelayWatch.run(List.of("generate", "--site", "exchange", "--out", tmp.resolve("x").toString(),
                "--days", "1", "--scale", "60000"), o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("at site exchange"), err.toString());
    }

    private Generator.Result generate(String site, String dir, long seed) throws IOException {
        long scale = Generator.minScale(site);
        Generator.Result result = Generator.generate(new Generator.Options(tmp.resolve(dir), 2, scale, seed, START,
                site));
        assertTrue(Math.abs(result.lines() - scale) <= scale * 0.05, site + ": " + result.lines() + " lines for --scale "
                + scale);
        return result;
    }

    /** Ingests the generated logs; every file as its intended format, each line read, none rejected or partial. */
    private Set<String> ingestedAsWritten(Generator.Result result) throws IOException {
        SparkSession spark = SparkTestSupport.spark(); // also the settings a local ingest reads
        String warehouse = tmp.resolve("warehouse-" + result.logs().getParent().getFileName()).toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of("ingest", result.logs().toString(), "--out", warehouse),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        Map<String, Row> byFile = new HashMap<>();
        for (Row row : Warehouse.read(spark, warehouse, Tables.INGEST_FILES)
                .select("source_file", "log_format", "lines_read", "lines_rejected", "lines_partial").collectAsList()) {
            String file = row.getString(0);
            byFile.put(file.substring(file.indexOf("/logs/") + 1), row);
        }
        assertEquals(result.files().size(), byFile.size(), byFile.keySet().toString());
        Set<String> formats = new TreeSet<>();
        for (Generator.FileStat f : result.files()) {
            Row row = byFile.get(f.path());
            assertTrue(row != null, f.path() + " not ingested: " + byFile.keySet());
            assertEquals(f.format(), row.getString(1), f.path());
            assertEquals(f.lines(), row.getLong(2), f.path());
            assertEquals(0L, row.getLong(3), f.path() + ": rejected lines");
            assertEquals(0L, row.getLong(4), f.path() + ": lines parsed in part");
            formats.add(f.format());
        }
        return formats;
    }

    private static void assertCrlf(String path, byte[] bytes) {
        assertTrue(bytes.length > 2 && bytes[bytes.length - 2] == '\r' && bytes[bytes.length - 1] == '\n', path);
        for (int i = 1; i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] != '\r') {
                throw new AssertionError(path + ": a line ending without CR at byte " + i);
            }
        }
    }

    /** The ground truth names {@code expected} stories, each with a time window inside the period. */
    static void assertStoriesWithinThePeriod(Generator.Result result, Set<String> expected, int days)
            throws IOException {
        JsonNode truth = new ObjectMapper().readTree(result.groundTruth().toFile());
        Instant from = START.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant to = from.plusSeconds(days * 86_400L);
        Set<String> stories = new TreeSet<>();
        for (JsonNode story : truth.get("stories")) {
            stories.add(story.get("story").asText());
            Instant a = Instant.parse(story.get("from").asText());
            Instant z = Instant.parse(story.get("to").asText());
            assertTrue(!a.isBefore(from) && a.isBefore(z) && z.isBefore(to), story.toString());
        }
        assertEquals(expected, stories);
        assertTrue(truth.get("benign").size() >= 5);
    }
}
