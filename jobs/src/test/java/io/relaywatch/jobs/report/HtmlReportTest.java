package io.relaywatch.jobs.report;

import io.relaywatch.jobs.report.ReportModel.EvidenceLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderer on hand-made values: hostile strings in every kind of field stay text, and the page has its parts. */
class HtmlReportTest {

    /** Payloads an attacker can put in a log line; each test value is one of them plus the field's name. */
    static final List<String> HOSTILE = List.of(
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "</style><script>alert(2)</script>",
            "]]><svg onload=alert(3)>",
            "' onmouseover='alert(4)",
            "Grüße 漢字 🚀 <b>bold</b> & co");

    private final Map<String, String> values = new LinkedHashMap<>();

    /** A hostile value for the named field, remembered so that the test can look for its escaped form. */
    private String h(String field) {
        String v = HOSTILE.get(values.size() % HOSTILE.size()) + "|" + field;
        values.put(field, v);
        return v;
    }

    private ReportModel hostileModel() {
        Instant t0 = Instant.parse("2026-11-09T13:00:00Z");
        List<ReportModel.HourRow> hours = List.of(
                new ReportModel.HourRow(t0, 120, 30, 4, 2),
                new ReportModel.HourRow(t0.plusSeconds(3600), 80, 0, 1, 0),
                new ReportModel.HourRow(t0.plusSeconds(5 * 3600), 300, 250, 9, 3));
        List<ReportModel.Finding> findings = new ArrayList<>();
        findings.add(new ReportModel.Finding(h("finding_id"), "critical", 97.5, h("entity_type"), h("entity"),
                h("country"), h("asn"), t0, t0.plusSeconds(60), 42, h("summary"), 12, List.of(
                new EvidenceLine("http_requests", h("source_file"), 7, EvidenceLine.Kind.RAW, h("raw_line")),
                new EvidenceLine("smtp_events", h("source_file2"), 8, EvidenceLine.Kind.NORMALIZED,
                        h("normalized_row")),
                new EvidenceLine("smtp_events", "file:///x/y.log", 9, EvidenceLine.Kind.UNAVAILABLE,
                        "source not readable"))));
        findings.add(new ReportModel.Finding("id2", h("severity_unknown"), 10, "ip", "203.0.113.9", null, null,
                null, null, 1, null, 0, List.of()));
        return new ReportModel(h("warehouse"), t0, t0, t0.plusSeconds(7200),
                new ReportModel.Ingest(3, 100, 90, 1, 5, 5, List.of(new ReportModel.IngestFile(h("ingest_file"),
                        h("log_format"), 100, 90, 5, h("file_error")))),
                Map.of("critical", 1L, "high", 0L),
                List.of(new ReportModel.OverviewRow("critical", h("overview_rule"), 1, 1, 42, t0, t0)),
                hours,
                List.of(new ReportModel.OffenderRow(h("network"), "critical", 1, h("rules"), h("offender_country"),
                        h("offender_asn"), 3, 44)),
                List.of(new ReportModel.CountryRow(h("top_country"), 10, 3, 20)),
                List.of(new ReportModel.Chain(h("chain_finding_id"), h("chain_rule"), "high", h("chain"), 17,
                        List.of(h("node1"), h("node2"), h("node3")))),
                List.of(new ReportModel.RuleSection(h("rule"), 25, findings)),
                List.of(new ReportModel.BlocklistRow(h("block_network"), 256, h("reasons"), h("finding_ids"),
                        h("max_severity"))));
    }

    @Test
    void escapeCoversTheFiveCharactersAndControls() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
                Html.escape("<a href=\"x\" title='y'>&amp;</a>"));
        assertEquals("a\uFFFDb\tc\nd", Html.escape("a\u0000b\tc\nd"));
        assertEquals("Grüße 🚀", Html.escape("Grüße 🚀"));
        assertEquals("x\uFFFD", Html.escape("x\uD800"));
        assertEquals("", Html.escape(null));
        assertEquals("abcd\u2026", Html.escapeShort("abcdefgh", 5));
        assertEquals("&lt;scr\u2026", Html.escapeShort("<script>", 5));
    }

    @Test
    void everyHostileValueIsRenderedAsEscapedText() {
        String html = HtmlReport.render(hostileModel());
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertTrue(html.contains(Html.escape(e.getValue())),
                    "field " + e.getKey() + " missing or not escaped: " + Html.escape(e.getValue()));
        }
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script"), "a <script from data got through");
        assertFalse(lower.contains("<img"), "an <img from data got through");
        assertFalse(html.contains("]]>"), "raw ]]> from data");
        assertEquals(1, count(lower, "</style"), "only the page's own </style>");
        // attribute values emptied first: escaped data inside a title="..." is text, not an attribute
        Matcher handler = Pattern.compile("<[a-z][^<>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE)
                .matcher(html.replaceAll("=\"[^\"]*\"", "=\"\""));
        assertFalse(handler.find(), () -> "an event handler attribute inside a tag: " + handler.group());
        assertTrue(html.contains("Grüße 漢字 🚀"), "non-ASCII kept as is");
    }

    /** Every tag in the output is one the renderer writes, with no event-handler or foreign attribute. */
    @Test
    void onlyTheRenderersOwnTagsAndAttributes() {
        String html = HtmlReport.render(hostileModel());
        Set<String> tags = Set.of("html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "dl",
                "dt", "dd", "div", "b", "nav", "a", "main", "section", "table", "tr", "th", "td", "p", "span", "code",
                "pre", "details", "summary", "svg", "g", "line", "text", "rect", "polygon");
        Matcher tag = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>").matcher(html);
        Pattern attribute = Pattern.compile("\\s([a-zA-Z][a-zA-Z0-9:-]*)(?:=\"[^\"]*\")?");
        Set<String> attributes = Set.of("lang", "charset", "http-equiv", "content", "name", "href", "id", "class",
                "style", "title", "xmlns", "viewbox", "width", "height", "role", "aria-label", "x", "y", "x1", "x2",
                "y1", "y2", "fill", "stroke", "transform", "text-anchor", "rx", "points", "colspan");
        int seen = 0;
        while (tag.find()) {
            seen++;
            assertTrue(tags.contains(tag.group(2).toLowerCase(Locale.ROOT)), "unexpected tag " + tag.group());
            String rest = tag.group(3).replaceAll("/$", "");
            Matcher a = attribute.matcher(rest);
            int end = 0;
            while (a.find()) {
                assertEquals(end, a.start(), "attribute text not understood in " + tag.group());
                assertTrue(attributes.contains(a.group(1).toLowerCase(Locale.ROOT)),
                        "unexpected attribute " + a.group(1) + " in " + tag.group());
                end = a.end();
            }
            assertEquals(rest.length(), end, "attribute text not understood in " + tag.group());
        }
        assertTrue(seen > 100);
    }

    @Test
    void pageIsSelfContainedWithAStrictPolicy() {
        String html = HtmlReport.render(hostileModel());
        assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                + "style-src &#39;unsafe-inline&#39;; img-src data:\">"));
        assertFalse(html.contains(" src=\""), "no external resources");
        assertFalse(Pattern.compile("(href|src)=\"(https?:)?//").matcher(html).find(), "no links out");
        assertFalse(html.contains("@import") || html.contains("url("), "no CSS fetches");
    }

    @Test
    void showsTheStructure() {
        String html = HtmlReport.render(hostileModel());
        // header numbers and severity cards
        assertTrue(html.contains("3 files, 100 lines read, 90 parsed (1 in part), 5 rejected, 5 skipped"), html);
        assertTrue(html.contains("<b>1</b>critical"));
        assertTrue(html.contains("2026-11-09 13:00:00 to 2026-11-09 15:00:00 UTC"));
        // the timeline chart: a day label, a legend, a bar per hour with its tooltip
        assertTrue(html.contains("2026-11-09 13:00 UTC: 120 messages, 30 from detected abusers, 4 rejects"));
        assertTrue(html.contains(">messages accepted</text>") && html.contains(">from detected abusers</text>"));
        String timeline = html.substring(html.indexOf("<svg class=\"chart\""));
        timeline = timeline.substring(0, timeline.indexOf("<g class=\"legend\">"));
        assertEquals(3, count(timeline, "fill=\"" + Svg.MESSAGES_COLOR + "\"/>"), "one volume bar per hour");
        assertEquals(2, count(timeline, "fill=\"" + Svg.ABUSE_COLOR + "\"/>"), "abuse bars where there was abuse");
        assertTrue(timeline.contains(">2026-11-09</text>"), "a date on the axis");
        // a chain: three boxes, two arrows labelled with the message count
        String chain = html.substring(html.indexOf("<svg class=\"chain\""));
        chain = chain.substring(0, chain.indexOf("</svg>"));
        assertEquals(3, count(chain, "class=\"node\""));
        assertEquals(2, count(chain, "class=\"arrowhead\""));
        assertEquals(2, count(chain, ">17 msgs</text>"));
        // the rule section says how many more there are and how to list them
        assertTrue(html.contains("23 more "), html);
        assertTrue(html.contains("FROM findings WHERE rule = "));
        assertTrue(html.contains("2 of 12 evidence lines shown") || html.contains("3 of 12 evidence lines shown"));
        assertTrue(html.contains("source not readable"));
        // an unknown severity is shown as text but styled as info
        assertTrue(html.contains("<span class=\"sev sev-info\">" + Html.escape(values.get("severity_unknown"))));
    }

    @Test
    void chartsCopeWithNoData() {
        assertTrue(Svg.timeline(List.of()).contains("No timestamped SMTP events"));
        assertTrue(Svg.horizontalBars(List.of(), "x", "y").contains("Nothing to chart"));
        assertEquals(1, Svg.niceStep(3, 4));
        assertEquals(50, Svg.niceStep(180, 4));
        assertEquals(200, Svg.niceStep(600, 4));
    }

    @Test
    void shellQuotingKeepsThePastedCommandInert() {
        assertEquals("\"SELECT 1 FROM findings WHERE rule = 'x'\"",
                HtmlReport.shellQuote("SELECT 1 FROM findings WHERE rule = 'x'"));
        assertEquals("'a$(rm -rf ~)'\\''b'", HtmlReport.shellQuote("a$(rm -rf ~)'b"));
        assertEquals("a_b_c", HtmlReport.anchor("a b\"c"));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
