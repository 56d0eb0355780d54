package io.relaywatch.jobs.report;

import io.relaywatch.jobs.report.ReportModel.EvidenceLine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.relaywatch.jobs.report.Html.escape;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: inline CSS and SVG, no script, no external resource
 * (the CSP meta tag forbids them all), so the file can be mailed or opened offline. Pure Java, no Spark. Every value
 * from the model is written through {@link Html#escape}; only the fixed markup of this class is written raw.
 */
public final class HtmlReport {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static final String CSS = """
            :root{--crit:#7f1d1d;--high:#c2410c;--med:#b7791f;--low:#2563eb;--info:#6b7280;}
            *{box-sizing:border-box}
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;
              color:#1f2328;background:#f6f7f9}
            header{background:#16202e;color:#fff;padding:18px 28px}
            header h1{margin:0 0 6px;font-size:22px}
            header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 0}
            header dt{color:#9fb0c7}
            header dd{margin:0;word-break:break-all}
            nav{background:#e8ecf2;padding:8px 28px;position:sticky;top:0;z-index:1;border-bottom:1px solid #d0d7de}
            nav a{margin-right:14px;color:#1f4f99;text-decoration:none}
            main{padding:8px 28px 40px;max-width:1400px}
            section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 18px;margin:16px 0}
            h2{margin:0 0 10px;font-size:18px}
            h3{margin:14px 0 6px;font-size:15px}
            table{border-collapse:collapse;margin:6px 0;font-size:13px}
            th,td{border-bottom:1px solid #e1e4e8;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f0f3f6;font-weight:600}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            .muted{color:#6b7280}
            .sev{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px;font-weight:600}
            .sev-critical{background:var(--crit)} .sev-high{background:var(--high)} .sev-medium{background:var(--med)}
            .sev-low{background:var(--low)} .sev-info{background:var(--info)}
            .cards{display:flex;gap:10px;flex-wrap:wrap;margin-top:10px}
            .card{background:#243247;border-radius:6px;padding:6px 14px;min-width:96px}
            .card b{display:block;font-size:22px}
            .card.zero{opacity:.5}
            .card.critical{border-left:6px solid #ef4444} .card.high{border-left:6px solid #f97316}
            .card.medium{border-left:6px solid #eab308} .card.low{border-left:6px solid #60a5fa}
            .card.info{border-left:6px solid #9ca3af}
            .twocol{display:flex;gap:28px;flex-wrap:wrap;align-items:flex-start}
            .scroll{overflow-x:auto}
            svg text{font-family:system-ui,Helvetica,Arial,sans-serif}
            svg .axis{font-size:11px;fill:#57606a} svg .axis.date{font-weight:600;fill:#1f2328}
            svg .grid{stroke:#e5e7eb} svg .grid.day{stroke:#9ca3af} svg .axisline{stroke:#57606a}
            svg .legend text{font-size:12px} svg .label{font-size:12px;fill:#1f2328} svg .value{font-size:11px;fill:#57606a}
            svg .node{fill:#f8fafc;stroke-width:2} svg .nodelabel{font-size:13px;font-family:ui-monospace,monospace}
            svg .arrow{stroke:#374151;stroke-width:2} svg .arrowhead{fill:#374151} svg .arrowlabel{font-size:12px;fill:#1f2328}
            .chainbox{border-top:1px solid #e1e4e8;padding:8px 0}
            table.findings{width:100%}
            table.findings td:nth-child(2){min-width:11em}
            tr.finding td{border-bottom:none;padding-top:8px}
            tr.finding td:first-child{border-left:4px solid #d0d7de}
            tr.finding.critical td:first-child{border-left-color:var(--crit)}
            tr.finding.high td:first-child{border-left-color:var(--high)}
            tr.finding.medium td:first-child{border-left-color:var(--med)}
            tr.finding.low td:first-child{border-left-color:var(--low)}
            tr.evidence-row td{padding-top:0}
            .facts{font-size:12px;color:#57606a}
            .facts span{margin-right:14px}
            pre.evidence{background:#0f172a;color:#e2e8f0;padding:8px 10px;border-radius:6px;font-size:12px;
              white-space:pre-wrap;word-break:break-all;margin:6px 0}
            pre.evidence .src{color:#94a3b8}
            pre.evidence .missing{color:#fca5a5}
            code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;background:#f0f3f6;padding:1px 4px;
              border-radius:4px;overflow-wrap:break-word}
            p code{word-break:break-all}
            details summary{cursor:pointer;color:#1f4f99}
            """;

    private HtmlReport() {
    }

    public static String render(ReportModel m) {
        StringBuilder sb = new StringBuilder(64 * 1024);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(escape(CSP)).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
                .append("<title>relaywatch report</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
        header(sb, m);
        sb.append("<nav><a href=\"#severity\">Findings</a><a href=\"#timeline\">Timeline</a>"
                + "<a href=\"#offenders\">Sources</a><a href=\"#chains\">Relay chains</a><a href=\"#rules\">Rules</a>"
                + "<a href=\"#blocklist\">Blocklist</a><a href=\"#files\">Files</a></nav>\n<main>\n");
        severitySection(sb, m);
        timelineSection(sb, m);
        sourcesSection(sb, m);
        chainsSection(sb, m);
        rulesSection(sb, m);
        blocklistSection(sb, m);
        filesSection(sb, m);
        sb.append("</main>\n</body></html>\n");
        return sb.toString();
    }

    private static void header(StringBuilder sb, ReportModel m) {
        ReportModel.Ingest in = m.ingest();
        sb.append("<header><h1>relaywatch report</h1><dl>");
        dd(sb, "Warehouse", "<code style=\"background:none;color:inherit\">" + escape(m.warehouse()) + "</code>");
        dd(sb, "Data from", m.dataFrom() == null ? "no timestamped events"
                : escape(time(m.dataFrom())) + " to " + escape(time(m.dataTo())) + " UTC");
        dd(sb, "Input", String.format(Locale.ROOT, "%,d files, %,d lines read, %,d parsed (%,d in part), %,d rejected, "
                        + "%,d skipped", in.files(), in.linesRead(), in.linesParsed(), in.linesPartial(),
                in.linesRejected(), in.linesSkipped()));
        dd(sb, "Generated", escape(time(m.generatedAt())) + " UTC");
        sb.append("</dl><div class=\"cards\">");
        for (String severity : ReportModel.SEVERITIES) {
            long n = m.findingsBySeverity().getOrDefault(severity, 0L);
            sb.append("<div class=\"card ").append(escape(severity)).append(n == 0 ? " zero" : "").append("\"><b>")
                    .append(n).append("</b>").append(escape(severity)).append("</div>");
        }
        sb.append("</div></header>\n");
    }

    private static void dd(StringBuilder sb, String term, String safeHtml) {
        sb.append("<dt>").append(escape(term)).append("</dt><dd>").append(safeHtml).append("</dd>");
    }

    private static void severitySection(StringBuilder sb, ReportModel m) {
        sb.append("<section id=\"severity\"><h2>Findings by severity</h2>");
        if (m.overview().isEmpty()) {
            sb.append("<p>No rule fired.</p></section>\n");
            return;
        }
        sb.append("<table><tr><th>severity</th><th>rule</th><th class=\"num\">findings</th>"
                + "<th class=\"num\">entities</th><th class=\"num\">events</th><th>first seen (UTC)</th>"
                + "<th>last seen (UTC)</th></tr>");
        for (ReportModel.OverviewRow r : m.overview()) {
            sb.append("<tr><td>").append(severity(r.severity())).append("</td><td><a href=\"#rule-")
                    .append(anchor(r.rule())).append("\">").append(escape(r.rule())).append("</a></td>")
                    .append(num(r.findings())).append(num(r.entities())).append(num(r.events()))
                    .append("<td>").append(escape(time(r.firstSeen()))).append("</td><td>")
                    .append(escape(time(r.lastSeen()))).append("</td></tr>");
        }
        sb.append("</table><p class=\"muted\">Triage query <code>findings_overview</code>.</p></section>\n");
    }

    private static void timelineSection(StringBuilder sb, ReportModel m) {
        long messages = 0, abusive = 0, rejects = 0, deferred = 0;
        for (ReportModel.HourRow h : m.timeline()) {
            messages += h.messages();
            abusive += h.abusiveMessages();
            rejects += h.rejects();
            deferred += h.deferred();
        }
        sb.append("<section id=\"timeline\"><h2>Mail volume and detected abuse, per hour</h2>")
                .append(String.format(Locale.ROOT, "<p>%,d messages accepted, %,d of them from detected abusers; "
                        + "%,d rejects, %,d deferrals. Hover a bar for its hour.</p>", messages, abusive, rejects,
                        deferred))
                .append("<div class=\"scroll\">").append(Svg.timeline(m.timeline())).append("</div>")
                .append("<p class=\"muted\">Triage query <code>mail_timeline</code>; abusive messages are those "
                        + "accepted from an address, network or user a finding names.</p></section>\n");
    }

    private static void sourcesSection(StringBuilder sb, ReportModel m) {
        sb.append("<section id=\"offenders\"><h2>Top source networks</h2><div class=\"twocol\"><div>");
        if (m.offenders().isEmpty()) {
            sb.append("<p class=\"muted\">No outside network behind a finding.</p>");
        } else {
            sb.append("<table><tr><th>network</th><th>severity</th><th class=\"num\">findings</th><th>rules</th>"
                    + "<th>country</th><th>AS</th><th class=\"num\">addresses</th><th class=\"num\">events</th></tr>");
            for (ReportModel.OffenderRow r : m.offenders()) {
                sb.append("<tr><td><code>").append(escape(r.network())).append("</code></td><td>")
                        .append(severity(r.maxSeverity())).append("</td>").append(num(r.findings())).append("<td>")
                        .append(escape(r.rules())).append("</td><td>").append(escape(r.country())).append("</td><td>")
                        .append(escape(r.asn())).append("</td>").append(num(r.addresses())).append(num(r.events()))
                        .append("</tr>");
            }
            sb.append("</table>");
        }
        sb.append("</div><div>");
        List<Svg.Bar> bars = new ArrayList<>();
        for (ReportModel.OffenderRow r : m.offenders()) {
            bars.add(new Svg.Bar(r.network(), r.events(), 0, r.network() + ": " + r.events() + " events, "
                    + r.addresses() + " addresses, " + r.rules()));
        }
        sb.append(Svg.horizontalBars(bars, "Events per offending network", "events"));
        sb.append("</div></div><p class=\"muted\">Triage query <code>top_offenders</code>.</p></section>\n");

        sb.append("<section id=\"countries\"><h2>Top countries</h2><div class=\"twocol\"><div>");
        sb.append("<table><tr><th>country</th><th class=\"num\">addresses</th><th class=\"num\">flagged</th>"
                + "<th class=\"num\">events</th></tr>");
        for (ReportModel.CountryRow r : m.countries()) {
            sb.append("<tr><td>").append(escape(r.country())).append("</td>").append(num(r.addresses()))
                    .append(num(r.flaggedAddresses())).append(num(r.events())).append("</tr>");
        }
        sb.append("</table></div><div>");
        bars = new ArrayList<>();
        for (ReportModel.CountryRow r : m.countries()) {
            bars.add(new Svg.Bar(r.country(), r.addresses(), r.flaggedAddresses(), r.country() + ": "
                    + r.addresses() + " addresses, " + r.flaggedAddresses() + " flagged, " + r.events() + " events"));
        }
        sb.append(Svg.horizontalBars(bars, "Outside addresses per country, flagged ones in red", "addresses"));
        sb.append(legendLine("addresses seen", "addresses a finding names"));
        sb.append("</div></div><p class=\"muted\">Triage query <code>top_countries</code>.</p></section>\n");
    }

    private static String legendLine(String all, String flagged) {
        return "<p class=\"muted\"><span style=\"display:inline-block;width:12px;height:12px;background:"
                + Svg.MESSAGES_COLOR + "\"></span> " + escape(all) + " &#160; <span style=\"display:inline-block;"
                + "width:12px;height:12px;background:" + Svg.ABUSE_COLOR + "\"></span> " + escape(flagged) + "</p>";
    }

    private static void chainsSection(StringBuilder sb, ReportModel m) {
        sb.append("<section id=\"chains\"><h2>Relay chains</h2>");
        if (m.chains().isEmpty()) {
            sb.append("<p class=\"muted\">No chain finding.</p>");
        }
        for (ReportModel.Chain c : m.chains()) {
            sb.append("<div class=\"chainbox\"><div>").append(severity(c.severity())).append(" <a href=\"#f-")
                    .append(anchor(c.findingId())).append("\" title=\"finding ").append(escape(c.findingId()))
                    .append("\">").append(escape(c.rule())).append("</a> <code>")
                    .append(escape(c.chain())).append("</code> <span class=\"muted\">")
                    .append(String.format(Locale.ROOT, "%,d", c.messages())).append(" messages</span></div>")
                    .append("<div class=\"scroll\">").append(Svg.chain(c.nodes(), c.messages(),
                            severityColor(c.severity()))).append("</div></div>");
        }
        sb.append("<p class=\"muted\">Triage query <code>chain_hops</code>.</p></section>\n");
    }

    private static void rulesSection(StringBuilder sb, ReportModel m) {
        sb.append("<section id=\"rules\"><h2>Findings per rule</h2>");
        if (m.rules().isEmpty()) {
            sb.append("<p class=\"muted\">No findings.</p>");
        }
        for (ReportModel.RuleSection s : m.rules()) {
            sb.append("<h3 id=\"rule-").append(anchor(s.rule())).append("\">").append(escape(s.rule()))
                    .append(" <span class=\"muted\">(").append(s.total()).append(s.total() == 1 ? " finding" : " findings")
                    .append(")</span></h3>");
            sb.append("<table class=\"findings\"><tr><th>severity</th><th>entity</th><th>country</th><th>AS</th>"
                    + "<th>first seen (UTC)</th><th>last seen (UTC)</th><th class=\"num\">events</th><th>summary</th>"
                    + "</tr>");
            for (ReportModel.Finding f : s.shown()) {
                finding(sb, f, m.warehouse());
            }
            sb.append("</table>");
            long more = s.total() - s.shown().size();
            if (more > 0) {
                String sql = "SELECT severity, score, entity, country, asn, first_seen, last_seen, event_count, summary "
                        + "FROM findings WHERE rule = '" + s.rule().replace("'", "''") + "' ORDER BY score DESC";
                sb.append("<p class=\"muted\">").append(more).append(" more ").append(escape(s.rule()))
                        .append(" finding").append(more == 1 ? "" : "s").append(" with lower scores; list them with: ")
                        .append("<code>./relaywatch sql --warehouse ").append(escape(shellQuote(m.warehouse())))
                        .append(" ").append(escape(shellQuote(sql))).append("</code></p>");
            }
        }
        sb.append("</section>\n");
    }

    private static void finding(StringBuilder sb, ReportModel.Finding f, String warehouse) {
        sb.append("<tr class=\"finding ").append(escape(f.severity())).append("\" id=\"f-")
                .append(anchor(f.findingId())).append("\"><td>").append(severity(f.severity()))
                .append("</td><td><code>").append(escape(f.entity())).append("</code><div class=\"facts\">")
                .append(escape(f.entityType())).append("</div></td><td>").append(escape(f.country()))
                .append("</td><td>").append(escape(f.asn())).append("</td><td>").append(escape(time(f.firstSeen())))
                .append("</td><td>").append(escape(time(f.lastSeen()))).append("</td>").append(num(f.eventCount()))
                .append("<td>").append(escape(f.summary())).append("<div class=\"facts\">");
        fact(sb, "score", String.format(Locale.ROOT, "%.0f", f.score()));
        fact(sb, "id", f.findingId());
        sb.append("</div></td></tr>");
        if (f.evidence().isEmpty()) {
            return;
        }
        sb.append("<tr class=\"evidence-row\"><td></td><td colspan=\"7\"><pre class=\"evidence\">");
        for (EvidenceLine e : f.evidence()) {
            sb.append("<span class=\"src\" title=\"").append(escape(e.sourceFile())).append("\">")
                    .append(escape(shortFile(e.sourceFile()))).append(':').append(e.sourceLine()).append("</span>  ");
            if (e.kind() == EvidenceLine.Kind.RAW) {
                sb.append(escape(e.text()));
            } else {
                sb.append("<span class=\"missing\">").append(escape(e.text())).append("</span>");
            }
            sb.append('\n');
        }
        sb.append("</pre>");
        if (f.evidenceTotal() > f.evidence().size()) {
            sb.append("<div class=\"facts\">").append(f.evidence().size()).append(" of ").append(f.evidenceTotal())
                    .append(" evidence lines shown; all of them: <code>./relaywatch sql --warehouse ")
                    .append(escape(shellQuote(warehouse))).append(" --query finding_evidence --param finding_id=")
                    .append(escape(shellQuote(f.findingId())))
                    .append("</code></div>");
        }
        sb.append("</td></tr>");
    }

    private static void fact(StringBuilder sb, String name, String value) {
        if (value != null && !value.isEmpty()) {
            sb.append("<span>").append(escape(name)).append(": <b>").append(escape(value)).append("</b></span>");
        }
    }

    private static void blocklistSection(StringBuilder sb, ReportModel m) {
        sb.append("<section id=\"blocklist\"><h2>Blocklist</h2>");
        if (m.blocklist().isEmpty()) {
            sb.append("<p class=\"muted\">Nothing to block.</p>");
        } else {
            sb.append("<table><tr><th>network</th><th class=\"num\">addresses</th><th>severity</th><th>reasons</th>"
                    + "<th>findings</th></tr>");
            for (ReportModel.BlocklistRow r : m.blocklist()) {
                sb.append("<tr><td><code>").append(escape(r.network())).append("</code></td>")
                        .append(num(r.addressCount())).append("<td>").append(severity(r.maxSeverity()))
                        .append("</td><td>").append(escape(r.reasons())).append("</td><td>");
                if (r.findingIds() != null) {
                    String sep = "";
                    for (String id : r.findingIds().split(",")) {
                        sb.append(sep).append("<a href=\"#f-").append(anchor(id.strip())).append("\">")
                                .append(escape(id.strip())).append("</a>");
                        sep = ", ";
                    }
                }
                sb.append("</td></tr>");
            }
            sb.append("</table>");
        }
        sb.append("<p class=\"muted\">Export for postfix, iptables or nginx: <code>./relaywatch blocklist --warehouse ")
                .append(escape(shellQuote(m.warehouse()))).append(" --export iptables</code></p></section>\n");
    }

    private static void filesSection(StringBuilder sb, ReportModel m) {
        sb.append("<section id=\"files\"><h2>Input files</h2><details><summary>")
                .append(m.ingest().perFile().size()).append(" files</summary><table><tr><th>file</th><th>format</th>"
                        + "<th class=\"num\">read</th><th class=\"num\">parsed</th><th class=\"num\">rejected</th>"
                        + "<th>error</th></tr>");
        for (ReportModel.IngestFile f : m.ingest().perFile()) {
            sb.append("<tr><td><code>").append(escape(f.sourceFile())).append("</code></td><td>")
                    .append(escape(f.logFormat())).append("</td>").append(num(f.linesRead()))
                    .append(num(f.linesParsed())).append(num(f.linesRejected())).append("<td>")
                    .append(escape(f.fileError())).append("</td></tr>");
        }
        sb.append("</table></details></section>\n");
    }

    private static String severity(String severity) {
        String known = ReportModel.SEVERITIES.contains(severity) ? severity : "info";
        return "<span class=\"sev sev-" + known + "\">" + escape(severity) + "</span>";
    }

    static String severityColor(String severity) {
        return Map.of("critical", "#7f1d1d", "high", "#c2410c", "medium", "#b7791f", "low", "#2563eb")
                .getOrDefault(severity == null ? "" : severity, "#6b7280");
    }

    private static String num(long n) {
        return String.format(Locale.ROOT, "<td class=\"num\">%,d</td>", n);
    }

    /** An id fragment safe in any attribute: letters, digits, '-' and '_' only. */
    static String anchor(String value) {
        return value == null ? "" : value.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** The file's path below its last two folders: enough to recognise it next to a line number. */
    static String shortFile(String uri) {
        if (uri == null) {
            return "?";
        }
        String[] parts = uri.split("/");
        return parts.length <= 2 ? uri : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    /**
     * Quoted for a POSIX shell, so the printed command can be pasted: in double quotes when nothing in it is special
     * there (readable SQL with its single quotes), else in single quotes.
     */
    static String shellQuote(String s) {
        String v = s == null ? "" : s;
        if (!v.matches("(?s).*[\"$`\\\\!].*")) {
            return "\"" + v + "\"";
        }
        return "'" + v.replace("'", "'\\''") + "'";
    }
}
