package io.relaywatch.jobs.report;

import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.jobs.SampleWarehouse;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.jobs.ingest.Decompression;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.relaywatch.jobs.report.Chromium.domText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report as a browser shows it: the sample-logs report opened in headless Chromium shows every rule, chain and
 * blocklist network of its warehouse; a warehouse built from a hostile access log renders the attack as text.
 */
class ReportBrowserTest {

    private static SampleWarehouse.Analysis sample;
    private static String dom;

    /** The sample report's DOM, loaded by the first test that needs it (the hostile-log test does not). */
    @BeforeEach
    void openSampleReport(TestInfo test) throws Exception {
        Chromium.assumeInstalled();
        if (dom != null || test.getTestMethod().map(m -> m.getName().equals("hostileLogLinesStayText")).orElse(false)) {
            return;
        }
        sample = SampleWarehouse.get();
        Path report = sample.out().resolve("report").resolve("index.html");
        assertTrue(Files.isRegularFile(report), "analyze wrote no " + report);
        assertTrue(sample.summary().contains("report written to "), sample.summary());
        dom = Chromium.dumpDom(report);
    }

    private static List<Row> table(String name, String... columns) {
        return Warehouse.read(SparkTestSupport.spark(), sample.warehouse(),
                        Tables.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow())
                .selectExpr(columns).collectAsList();
    }

    @Test
    void headerCountsMatchTheWarehouse() {
        assertEquals("relaywatch report", title(dom));
        Map<String, Long> bySeverity = table("findings", "severity").stream()
                .collect(Collectors.groupingBy(r -> r.getString(0), Collectors.counting()));
        for (String severity : ReportModel.SEVERITIES) {
            assertTrue(dom.contains("<b>" + bySeverity.getOrDefault(severity, 0L) + "</b>" + severity),
                    "severity card " + severity);
        }
        long files = table("ingest_files", "source_file").size();
        assertTrue(dom.contains(files + " files, "), "file count " + files);
        assertTrue(dom.contains("aria-label=\"Messages accepted per hour"), "timeline chart");
        assertTrue(dom.contains("2026-11-12</text>"), "a date on the timeline axis");
    }

    @Test
    void everyRuleAndItsTopFindingsAreShown() {
        List<Row> findings = table("findings", "finding_id", "rule", "entity");
        Map<String, List<Row>> byRule = findings.stream().collect(Collectors.groupingBy(r -> r.getString(1)));
        assertTrue(byRule.size() >= 10, "sample-logs fire most rules: " + byRule.keySet());
        for (Map.Entry<String, List<Row>> rule : byRule.entrySet()) {
            int n = rule.getValue().size();
            assertTrue(dom.contains("id=\"rule-" + rule.getKey() + "\""), "section of " + rule.getKey());
            assertTrue(dom.contains(rule.getKey() + " <span class=\"muted\">(" + n + (n == 1 ? " finding)" : " findings)")),
                    "count of " + rule.getKey());
            long shown = rule.getValue().stream().filter(r -> dom.contains("id=\"f-" + HtmlReport.anchor(r.getString(0))
                    + "\"")).count();
            assertEquals(Math.min(n, Report.FINDINGS_PER_RULE), shown, "findings shown for " + rule.getKey());
            if (n > Report.FINDINGS_PER_RULE) {
                assertTrue(dom.contains((n - Report.FINDINGS_PER_RULE) + " more " + rule.getKey() + " findings"),
                        "how many more " + rule.getKey());
            } else {
                for (Row r : rule.getValue()) {
                    assertTrue(dom.contains(domText(r.getString(2))), "entity " + r.getString(2));
                }
            }
        }
        assertTrue(section("rule-auth_account_abuse").contains("<code>jmeier</code>"));
        assertTrue(section("rule-open_relay_accepted").contains("<code>branch-mx</code>"));
        assertTrue(section("rule-web_to_smtp_chain").contains("185.220.101.0/24 -&gt; www"));
        assertFalse(dom.contains("source not readable"), "every sample file is readable");
    }

    @Test
    void evidenceShowsTheRawLogLines() throws IOException {
        String rule = section("rule-auth_account_abuse");
        Row pointer = SparkTestSupport.spark().read().schema(
                        io.relaywatch.jobs.SparkSchemas.structType(Tables.FINDINGS))
                .parquet(Warehouse.tablePath(sample.warehouse(), Tables.FINDINGS))
                .where("rule = 'auth_account_abuse' AND entity = 'jmeier'")
                .selectExpr("evidence[0].source_file", "evidence[0].source_line").first();
        String line = rawLine(pointer.getString(0), pointer.getLong(1));
        assertTrue(line.contains("jmeier"), line);
        assertTrue(rule.contains(domText(line)), "raw evidence line " + line);
    }

    @Test
    void everyChainIsDrawn() {
        List<Row> chains = table("findings", "entity").stream().toList();
        String attributes = dom.replace("&gt;", ">").replace("&lt;", "<");
        int drawn = 0;
        for (Row r : table("findings", "entity", "entity_type")) {
            if (!"chain".equals(r.getString(1))) {
                continue;
            }
            String chain = r.getString(0);
            int start = attributes.indexOf("<svg class=\"chain\"");
            String svg = null;
            for (; start >= 0; start = attributes.indexOf("<svg class=\"chain\"", start + 1)) {
                String candidate = attributes.substring(start, attributes.indexOf("</svg>", start));
                if (candidate.contains("aria-label=\"" + chain + "\"")) {
                    svg = candidate;
                }
            }
            assertTrue(svg != null, "no drawing of chain " + chain);
            int nodes = chain.split(" -> ").length;
            assertEquals(nodes, count(svg, "class=\"node\""), "boxes of " + chain);
            assertEquals(nodes - 1, count(svg, "class=\"arrowhead\""), "arrows of " + chain);
            assertTrue(svg.matches("(?s).*>\\d+ msgs?</text>.*"), "message count on the arrows of " + chain);
            drawn++;
        }
        assertTrue(drawn >= 2, "sample-logs have chain findings");
        assertTrue(attributes.contains("aria-label=\"branch-mx -> mx1\""));
        assertFalse(chains.isEmpty());
    }

    @Test
    void everyBlocklistNetworkIsListed() {
        List<Row> networks = table("blocklist", "network", "max_severity");
        assertFalse(networks.isEmpty());
        String blocklist = section("blocklist");
        for (Row r : networks) {
            assertTrue(blocklist.contains("<code>" + domText(r.getString(0)) + "</code>"), "network " + r.getString(0));
        }
        assertTrue(blocklist.contains("45.155.205.0/24") || blocklist.contains("185.220.101.0/24"));
        assertTrue(section("offenders").contains("<svg"), "bar chart of offending networks");
        assertTrue(section("countries").contains("<svg"), "bar chart of countries");
    }

    /** A hostile access log: its user agent and URL must end up as visible text, not as elements or script. */
    @Test
    void hostileLogLinesStayText(@TempDir Path dir) throws Exception {
        Chromium.assumeInstalled();
        String ua = "<script>document.title='PWNED';document.body.setAttribute('data-pwned','1')</script>";
        String url = "http://127.0.0.1:25/\\\"><img src=x onerror=\\\"document.title='PWNED'\\\">";
        // the URL line first: the report shows the first evidence lines of a finding
        StringBuilder log = new StringBuilder("45.155.205.77 - - [10/Nov/2026:20:59:00 +0000] \"GET " + url
                + " HTTP/1.1\" 200 145 \"-\" \"x\"\n");
        for (int i = 0; i < 4; i++) {
            log.append(String.format("45.155.205.77 - - [10/Nov/2026:21:0%d:00 +0000] \"GET http://127.0.0.1:25/ "
                    + "HTTP/1.1\" 200 145 \"-\" \"%s\"%n", i, ua));
            log.append(String.format("45.155.205.77 - - [10/Nov/2026:21:0%d:30 +0000] \"CONNECT 127.0.0.1:25 "
                    + "HTTP/1.1\" 200 0 \"-\" \"curl/8\"%n", i));
        }
        Path logs = Files.createDirectories(dir.resolve("logs").resolve("www"));
        Files.writeString(logs.resolve("access.log"), log.toString());
        Path out = dir.resolve("out");
        SparkTestSupport.spark();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of("analyze", dir.resolve("logs").toString(), "--out", out.toString()),
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code, stdout.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("proxy_smtp_tunnel"), "a finding to report");

        String hostile = Chromium.dumpDom(out.resolve("report").resolve("index.html"));
        assertEquals("relaywatch report", title(hostile));
        assertFalse(hostile.contains("PWNED</title>"));
        assertFalse(hostile.contains("data-pwned=\""), "the injected script ran");
        assertFalse(hostile.toLowerCase().contains("<script"), "a script element from the log");
        assertFalse(hostile.toLowerCase().contains("<img"), "an img element from the log");
        assertTrue(hostile.contains(domText(ua)), "the user agent as visible text");
        assertTrue(hostile.contains(domText("\\\"><img src=x onerror=\\\"document.title='PWNED'\\\">")),
                "the URL as visible text");

        // the report command writes the same page for an existing warehouse
        Path again = dir.resolve("again.html");
        assertEquals(0, RelayWatch.run(List.of("report", "--warehouse", out.resolve("warehouse").toString(), "--out",
                again.toString()), new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err));
        assertTrue(Files.readString(again).contains(Html.escape(ua)));
        assertEquals(2, RelayWatch.run(List.of("report", "--warehouse", dir.resolve("none").toString(), "--out",
                again.toString()), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    private static String title(String html) {
        Matcher m = Pattern.compile("<title>(.*?)</title>").matcher(html);
        assertTrue(m.find(), "no title");
        return m.group(1);
    }

    /** The DOM from the element with this id to the next section or h3. */
    private static String section(String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, "no element " + id);
        int end = dom.length();
        for (String next : List.of("<section", "<h3")) {
            int i = dom.indexOf(next, start);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        return dom.substring(start, end);
    }

    /** The line as ingest numbered it, read here independently of the report code. */
    private static String rawLine(String uri, long number) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Decompression.open(
                Files.newInputStream(Path.of(URI.create(uri)))).stream(), StandardCharsets.UTF_8))) {
            String line = null;
            for (long i = 0; i < number; i++) {
                line = in.readLine();
            }
            return line;
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
