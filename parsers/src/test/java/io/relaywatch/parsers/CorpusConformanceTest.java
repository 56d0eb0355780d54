package io.relaywatch.parsers;

import com.fasterxml.jackson.databind.JsonNode;
import io.relaywatch.schema.Column;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance on real logs: every file of {@code ../shared/corpus} goes through format detection and the parsers. Per
 * format it prints lines parsed, partial and rejected, and fails if more than 5% of a format's real log lines are
 * rejected, if a file is detected as another format, or if our rows disagree with fail2ban's expected host and time.
 * The corpus is read where it lies (it is partly GPL and is never copied into the project).
 *
 * <p>Annotation and wrapper lines are the test's business, not the product's: fail2ban's {@code #} comment lines
 * (including {@code # failJSON:} expectations) are dropped, and Wazuh's {@code log N pass|fail = } prefixes are
 * stripped, before the lines reach detection.
 */
class CorpusConformanceTest {

    /** Corpus folder name → our format name. */
    static final Map<String, String> FORMAT_OF_FOLDER = Map.ofEntries(
            Map.entry("postfix", "postfix"), Map.entry("sendmail", "sendmail"), Map.entry("exim", "exim"),
            Map.entry("exchange_smtp_protocol", "exchange_smtp_protocol"), Map.entry("iis_smtp_w3c", "iis_smtp"),
            Map.entry("zeek_smtp", "zeek_smtp"), Map.entry("apache_nginx", "access_log"),
            Map.entry("iis_w3c", "iis_w3c"), Map.entry("squid", "squid"), Map.entry("iptables", "iptables"),
            Map.entry("cisco_asa", "cisco_asa"), Map.entry("windows_firewall", "windows_firewall"),
            Map.entry("openbsd_pf", "pf_filterlog"), Map.entry("fortigate", "fortigate"),
            Map.entry("paloalto", "paloalto"));

    /** Formats whose {@code #} lines are directives the parser must see (W3C, Zeek); elsewhere they are annotations. */
    static final List<String> DIRECTIVE_FORMATS = List.of("iis_w3c", "iis_smtp", "windows_firewall", "zeek_smtp",
            "exchange_tracking", "exchange_smtp_protocol");

    static final Pattern WAZUH_LOG = Pattern.compile("^log \\d+ (?:pass|fail) = (.*)$");
    static final Pattern FAIL_JSON = Pattern.compile("^# failJSON: (.*)$");
    static final double MAX_REJECTED_SHARE = 0.05;
    static final DateTimeFormatter MONTH_DAY_TIME = DateTimeFormatter.ofPattern("MM-dd'T'HH:mm:ss");

    /** One line to feed: the text, whether it counts as a real log line, and fail2ban's expectation for it. */
    record CorpusLine(String text, boolean isLogLine, JsonNode expectation) {
    }

    static Path corpusRoot() {
        return Path.of(System.getProperty("relaywatch.corpus", "../../shared/corpus"));
    }

    static List<CorpusLine> unwrap(Path file, String format) throws IOException {
        String raw = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<CorpusLine> lines = new ArrayList<>();
        boolean wazuh = file.toString().endsWith(".ini");
        boolean directives = DIRECTIVE_FORMATS.contains(format);
        JsonNode pending = null;
        for (String line : raw.split("\r?\n", -1)) {
            if (wazuh) {
                Matcher m = WAZUH_LOG.matcher(line);
                if (m.matches()) {
                    lines.add(new CorpusLine(m.group(1), !m.group(1).isBlank(), null));
                }
                continue;
            }
            Matcher expectation = FAIL_JSON.matcher(line);
            if (expectation.matches()) {
                pending = GoldenCase.JSON.readTree(expectation.group(1));
                continue;
            }
            if (line.startsWith("#")) {
                if (directives) {
                    lines.add(new CorpusLine(line, false, null));
                }
                continue;
            }
            lines.add(new CorpusLine(line, !line.isBlank(), pending));
            pending = null;
        }
        return lines;
    }

    static final class Tally {
        int files;
        long logLines;
        long parsed;
        long partial;
        long rejected;
        int expectationsChecked;
        final List<String> problems = new ArrayList<>();
    }

    /** The corpus's log files (its notes left out), in a stable order. */
    static List<Path> corpusFiles(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md"))
                    .sorted().toList();
        }
    }

    @Test
    void realLogsParseAsTheirFormat() throws IOException {
        Path root = corpusRoot();
        Assumptions.assumeTrue(Files.isDirectory(root),
                "corpus not found at " + root.toAbsolutePath() + " (set -Drelaywatch.corpus); conformance skipped");
        Map<String, Tally> byFormat = new TreeMap<>();
        for (Path file : corpusFiles(root)) {
            String folder = root.relativize(file).getName(1).toString();
            String format = FORMAT_OF_FOLDER.get(folder);
            assertTrue(format != null, "no format mapped for corpus folder " + folder);
            Tally tally = byFormat.computeIfAbsent(format, f -> new Tally());
            tally.files++;
            check(root.relativize(file).toString(), unwrap(file, format), format, tally);
        }

        System.out.printf("%-24s %5s %9s %8s %8s %9s %9s%n", "format", "files", "log lines", "parsed", "partial",
                "rejected", "rejected%");
        byFormat.forEach((format, t) -> System.out.printf("%-24s %5d %9d %8d %8d %9d %8.1f%%%n", format, t.files,
                t.logLines, t.parsed, t.partial, t.rejected, 100.0 * t.rejected / Math.max(1, t.logLines)));
        List<String> failures = new ArrayList<>();
        byFormat.forEach((format, t) -> {
            t.problems.forEach(p -> failures.add(format + ": " + p));
            if (t.rejected > MAX_REJECTED_SHARE * t.logLines) {
                failures.add(format + ": " + t.rejected + " of " + t.logLines + " real log lines rejected (> 5%)");
            }
        });
        failures.forEach(System.out::println);
        assertEquals(List.of(), failures);
    }

    private static void check(String name, List<CorpusLine> lines, String expectedFormat, Tally tally) {
        ParseContext context = ParseContext.forYear(name, 2026);
        List<String> sample = lines.stream().limit(LogFormats.SAMPLE_LINES).map(CorpusLine::text).toList();
        LogFormats.Detection detection = LogFormats.detect(sample, context);
        long logLines = lines.stream().filter(CorpusLine::isLogLine).count();
        tally.logLines += logLines;
        if (!detection.found() || !detection.parser().format().equals(expectedFormat)) {
            tally.problems.add(name + " detected as " + (detection.found() ? detection.parser().format() : "nothing")
                    + " (" + detection.describe() + ")");
            tally.rejected += logLines;
            return;
        }
        FileParser parser = new FileParser(detection.parser(), context);
        long n = 0;
        for (CorpusLine line : lines) {
            ParseResult result = parser.parse(line.text(), ++n);
            if (!line.isLogLine()) {
                continue;
            }
            switch (result.kind()) {
                case PARSED -> {
                    tally.parsed++;
                    if (result.isPartial()) {
                        tally.partial++;
                    }
                    compareWithExpectation(name, n, line, result.records().get(0), tally);
                }
                case REJECTED -> tally.rejected++;
                case SKIPPED -> tally.problems.add(name + ":" + n + " a log line was skipped: " + line.text());
            }
        }
    }

    /** fail2ban's {@code # failJSON:} says which host a matching line is about and when it was logged. */
    private static void compareWithExpectation(String name, long n, CorpusLine line, EventRecord row, Tally tally) {
        JsonNode expected = line.expectation();
        if (expected == null || !expected.path("match").asBoolean(false)) {
            return;
        }
        tally.expectationsChecked++;
        String host = expected.path("host").asText(null);
        String ourHost = firstPresent(row, "client_ip", "src_ip");
        if (host != null && Values.isIp(host) && ourHost != null && !host.equals(ourHost)) {
            tally.problems.add(name + ":" + n + " host " + ourHost + " but fail2ban expects " + host);
        }
        String time = expected.path("time").asText(null);
        Instant ts = (Instant) row.get(row.table().column("ts").orElseThrow());
        if (time != null && ts != null && time.length() >= 19) {
            // fail2ban writes the line's wall-clock time; syslog lines here have no year, and access-log lines carry
            // their own offset, which we apply: compare month, day and time, allowing a whole-quarter-hour zone offset
            LocalDateTime oursUtc = LocalDateTime.ofInstant(ts, ZoneOffset.UTC);
            LocalDateTime theirs = LocalDateTime.parse(oursUtc.getYear() + time.substring(4, 19));
            long diff = Math.abs(java.time.Duration.between(oursUtc, theirs).getSeconds());
            String ours = MONTH_DAY_TIME.format(oursUtc);
            if (diff % 900 != 0 || diff > 14 * 3600) {
                tally.problems.add(name + ":" + n + " time " + ours + " but fail2ban expects " + time);
            }
        }
    }

    private static String firstPresent(EventRecord row, String... columns) {
        for (String column : columns) {
            Column c = row.table().column(column).orElse(null);
            if (c != null && row.get(c) != null) {
                return row.get(c).toString();
            }
        }
        return null;
    }
}
