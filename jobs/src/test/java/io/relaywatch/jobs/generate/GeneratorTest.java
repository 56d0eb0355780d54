package io.relaywatch.jobs.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.parsers.FileParser;
import io.relaywatch.parsers.LogFormats;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator without Spark: deterministic, sized as asked, and every file readable by its intended parser. */
class GeneratorTest {

    static final long SCALE = 120_000;
    static final LocalDate START = LocalDate.of(2026, 11, 9);

    @TempDir
    static Path tmp;
    static Generator.Result first;

    @BeforeAll
    static void generateOnce() throws IOException {
        first = Generator.generate(new Generator.Options(tmp.resolve("a"), 3, SCALE, 42, START));
        System.out.printf("GeneratorTest: %,d lines in %.2f s (%,.0f lines/s)%n", first.lines(), first.seconds(),
                first.linesPerSecond());
    }

    static Map<String, String> checksums(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sums.put(dir.relativize(f).toString(), sha256(f));
            }
        }
        return sums;
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        Generator.generate(new Generator.Options(tmp.resolve("b"), 3, SCALE, 42, START));
        Generator.generate(new Generator.Options(tmp.resolve("c"), 3, SCALE, 43, START));
        Map<String, String> a = checksums(tmp.resolve("a"));
        Map<String, String> b = checksums(tmp.resolve("b"));
        Map<String, String> c = checksums(tmp.resolve("c"));
        assertTrue(a.size() >= 9, a.keySet().toString()); // 7 logs, ground truth, config
        assertEquals(a, b);
        assertEquals(a.keySet(), c.keySet());
        for (String file : a.keySet()) {
            if (!file.equals("detect.json")) {
                assertNotEquals(a.get(file), c.get(file), file + " does not depend on the seed");
            }
        }
    }

    @Test
    void lineCountIsWithinFivePercentOfTheScale() throws IOException {
        long lines = 0;
        for (Generator.FileStat f : first.files()) {
            long inFile;
            try (Stream<String> s = Files.lines(tmp.resolve("a").resolve(f.path()))) {
                inFile = s.count();
            }
            assertEquals(f.lines(), inFile, f.path());
            lines += inFile;
        }
        assertEquals(first.lines(), lines);
        assertTrue(Math.abs(lines - SCALE) <= SCALE * 0.05, "lines " + lines + " for --scale " + SCALE);
        // a larger scale grows the background, not the stories
        Generator.Result bigger = Generator.generate(new Generator.Options(tmp.resolve("d"), 2, 300_000, 1, START));
        assertTrue(Math.abs(bigger.lines() - 300_000) <= 300_000 * 0.05, "lines " + bigger.lines());
    }

    @Test
    void everyFileIsDetectedAsItsFormatAndParsesWithoutRejects() throws IOException {
        Set<String> formats = new TreeSet<>();
        for (Generator.FileStat f : first.files()) {
            Path path = tmp.resolve("a").resolve(f.path());
            List<String> sample = new ArrayList<>();
            try (BufferedReader in = Files.newBufferedReader(path)) {
                for (String line; sample.size() < LogFormats.SAMPLE_LINES && (line = in.readLine()) != null; ) {
                    sample.add(line);
                }
            }
            ParseContext context = ParseContext.forYear(path.toString(), 2026);
            LogFormats.Detection detection = LogFormats.detect(sample, context);
            assertTrue(detection.found(), f.path() + ": " + detection.describe());
            assertEquals(f.format(), detection.parser().format(), f.path() + ": " + detection.describe());
            assertEquals(1.0, detection.share(), f.path() + ": " + detection.describe());
            FileParser parser = new FileParser(detection.parser(), context);
            long n = 0;
            long parsed = 0;
            List<String> rejected = new ArrayList<>();
            try (BufferedReader in = Files.newBufferedReader(path)) {
                for (String line; (line = in.readLine()) != null; ) {
                    ParseResult result = parser.parse(line, ++n);
                    if (result.kind() == ParseResult.Kind.REJECTED && rejected.size() < 5) {
                        rejected.add(n + ": " + result.reason() + ": " + line);
                    }
                    if (result.kind() == ParseResult.Kind.PARSED) {
                        parsed++;
                    }
                }
            }
            assertEquals(List.of(), rejected, f.path());
            assertTrue(parsed > 0.95 * n, f.path() + ": " + parsed + " of " + n + " lines parsed");
            formats.add(f.format());
        }
        // SMTP (3 formats), web and firewall (2 formats)
        assertEquals(Set.of("postfix", "exim", "zeek_smtp", "access_log", "cisco_asa", "iptables"), formats);
    }

    @Test
    void groundTruthNamesEveryStoryWithinThePeriod() throws IOException {
        SiteGeneratorTest.assertStoriesWithinThePeriod(first, Set.of("stolen_password", "open_relay",
                "relay_probing", "web_proxy_tunnelling", "infected_workstation"), 3);
        JsonNode truth = new ObjectMapper().readTree(first.groundTruth().toFile());
        assertTrue(truth.get("benign").size() >= 16);
        assertEquals(42, truth.get("seed").asLong());
    }

    @Test
    void commandLinePrintsWhatItWroteAndRejectsBadArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String dir = tmp.resolve("cli").toString();
        int code = RelayWatch.run(List.of("generate", "--out", dir, "--days", "1", "--scale", "60000", "--seed", "5",
                "--start", "2027-01-04"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + err);
        assertTrue(printed.contains("logs/mx1/mail.log-20270105") && printed.contains("lines/s")
                && printed.contains("ground-truth.json"), printed);
        assertTrue(Files.isRegularFile(tmp.resolve("cli/detect.json")));
        assertEquals(2, RelayWatch.run(List.of("generate", "--out", dir, "--scale", "60000"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(1, RelayWatch.run(List.of("generate", "--out", dir, "--days", "2", "--scale", "10"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--scale must be at least"), err.toString());
    }

    @Test
    void rejectsScalesTooSmallForTheStories() {
        assertThrows(IllegalArgumentException.class,
                () -> new Generator.Options(tmp.resolve("x"), 3, 1000, 1, START));
        assertThrows(IllegalArgumentException.class,
                () -> new Generator.Options(tmp.resolve("x"), 0, 100_000, 1, START));
    }
}
