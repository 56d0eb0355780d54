package io.relaywatch.jobs.report;

import io.relaywatch.jobs.TriageQuery;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.jobs.report.ReportModel.EvidenceLine;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * Gathers a {@link ReportModel} from a warehouse: the triage queries (so that the page shows what {@code relaywatch sql
 * --query} shows), the findings and blocklist tables, and the raw evidence lines read back from the source files.
 */
public final class Report {

    /** Findings listed per rule (the highest scores); the rest are counted, with the SQL that lists them. */
    public static final int FINDINGS_PER_RULE = 10;
    /** Evidence lines shown per finding. */
    public static final int EVIDENCE_PER_FINDING = 5;
    /** Evidence lines shown in the whole report, so that a huge warehouse still gives a page a browser opens. */
    public static final int EVIDENCE_TOTAL = 400;
    /** Findings whose unreadable sources fall back to a finding_evidence query (one Spark query each). */
    static final int NORMALIZED_FALLBACKS = 20;

    private Report() {
    }

    /** Reads the warehouse's tables (registering them as views) into the model. */
    public static ReportModel gather(SparkSession spark, String warehouse) {
        Warehouse.registerViews(spark, warehouse);
        Instant[] span = dataSpan(spark);
        List<ReportModel.OverviewRow> overview = overview(spark);
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        for (String severity : ReportModel.SEVERITIES) {
            bySeverity.put(severity, 0L);
        }
        for (ReportModel.OverviewRow row : overview) {
            bySeverity.merge(row.severity(), row.findings(), Long::sum);
        }
        List<ReportModel.RuleSection> rules = ruleSections(spark, overview);
        rules = withEvidence(spark, rules, EvidenceReader.hadoop(spark.sparkContext().hadoopConfiguration()));
        return new ReportModel(warehouse, Instant.now(), span[0], span[1], ingest(spark), bySeverity, overview,
                timeline(spark), offenders(spark), countries(spark), chains(spark), rules, blocklist(spark));
    }

    private static List<Row> triage(SparkSession spark, TriageQuery query) {
        return query.run(spark, Map.of()).collectAsList();
    }

    /** Earliest and latest event over the event tables (nulls when there are none). */
    private static Instant[] dataSpan(SparkSession spark) {
        Instant from = null;
        Instant to = null;
        for (String table : List.of(Tables.SMTP_EVENTS.name(), Tables.HTTP_REQUESTS.name(),
                Tables.FIREWALL_EVENTS.name())) {
            Row row = spark.table(table).agg(min("ts"), max("ts")).first();
            Instant lo = instant(row.get(0));
            Instant hi = instant(row.get(1));
            from = lo != null && (from == null || lo.isBefore(from)) ? lo : from;
            to = hi != null && (to == null || hi.isAfter(to)) ? hi : to;
        }
        return new Instant[] {from, to};
    }

    private static ReportModel.Ingest ingest(SparkSession spark) {
        List<ReportModel.IngestFile> files = new ArrayList<>();
        long read = 0, parsed = 0, partial = 0, rejected = 0, skipped = 0;
        for (Row r : spark.table(Tables.INGEST_FILES.name()).orderBy("source_file").collectAsList()) {
            files.add(new ReportModel.IngestFile(str(r, "source_file"), str(r, "log_format"), num(r, "lines_read"),
                    num(r, "lines_parsed"), num(r, "lines_rejected"), str(r, "file_error")));
            read += num(r, "lines_read");
            parsed += num(r, "lines_parsed");
            partial += num(r, "lines_partial");
            rejected += num(r, "lines_rejected");
            skipped += num(r, "lines_skipped");
        }
        return new ReportModel.Ingest(files.size(), read, parsed, partial, rejected, skipped, files);
    }

    private static List<ReportModel.OverviewRow> overview(SparkSession spark) {
        return triage(spark, TriageQuery.FINDINGS_OVERVIEW).stream().map(r -> new ReportModel.OverviewRow(
                str(r, "severity"), str(r, "rule"), num(r, "findings"), num(r, "entities"), num(r, "events"),
                instant(r, "first_seen"), instant(r, "last_seen"))).toList();
    }

    private static List<ReportModel.HourRow> timeline(SparkSession spark) {
        return triage(spark, TriageQuery.MAIL_TIMELINE).stream().filter(r -> r.getAs("hour") != null)
                .map(r -> new ReportModel.HourRow(instant(r, "hour"), num(r, "messages"), num(r, "abusive_messages"),
                        num(r, "rejects"), num(r, "deferred"))).toList();
    }

    private static List<ReportModel.OffenderRow> offenders(SparkSession spark) {
        return triage(spark, TriageQuery.TOP_OFFENDERS).stream().map(r -> new ReportModel.OffenderRow(
                str(r, "network"), str(r, "max_severity"), num(r, "findings"), str(r, "rules"), str(r, "country"),
                str(r, "asn"), num(r, "addresses"), num(r, "events"))).toList();
    }

    private static List<ReportModel.CountryRow> countries(SparkSession spark) {
        return triage(spark, TriageQuery.TOP_COUNTRIES).stream().map(r -> new ReportModel.CountryRow(
                str(r, "country"), num(r, "addresses"), num(r, "events"), num(r, "flagged_addresses"))).toList();
    }

    /** Rows of chain_hops grouped back into one chain per finding, hops in order. */
    private static List<ReportModel.Chain> chains(SparkSession spark) {
        Map<String, ReportModel.Chain> byId = new LinkedHashMap<>();
        Map<String, TreeMap<Long, String>> hops = new HashMap<>();
        for (Row r : triage(spark, TriageQuery.CHAIN_HOPS)) {
            String id = str(r, "finding_id");
            byId.computeIfAbsent(id, k -> new ReportModel.Chain(id, str(r, "rule"), str(r, "severity"),
                    str(r, "chain"), num(r, "messages"), new ArrayList<>()));
            hops.computeIfAbsent(id, k -> new TreeMap<>()).put(num(r, "hop"), str(r, "node"));
        }
        List<ReportModel.Chain> chains = new ArrayList<>();
        for (ReportModel.Chain c : byId.values()) {
            chains.add(new ReportModel.Chain(c.findingId(), c.rule(), c.severity(), c.chain(), c.messages(),
                    List.copyOf(hops.get(c.findingId()).values())));
        }
        return chains;
    }

    private static List<ReportModel.BlocklistRow> blocklist(SparkSession spark) {
        return spark.table(Tables.BLOCKLIST.name()).collectAsList().stream()
                .map(r -> new ReportModel.BlocklistRow(str(r, "network"), num(r, "address_count"), str(r, "reasons"),
                        str(r, "finding_ids"), str(r, "max_severity")))
                .sorted(Comparator.comparingInt((ReportModel.BlocklistRow b) -> severityRank(b.maxSeverity()))
                        .thenComparing(ReportModel.BlocklistRow::network))
                .toList();
    }

    /**
     * The top findings of every rule by score, rules in the overview's order (most severe first). Evidence pointers
     * are kept without text here; {@link #withEvidence} fills it in.
     */
    private static List<ReportModel.RuleSection> ruleSections(SparkSession spark,
                                                              List<ReportModel.OverviewRow> overview) {
        // most severe first, then by score: a rule's findings can differ in severity (proxy_smtp_tunnel)
        Column severityRank = when(col("severity").equalTo("critical"), 0).when(col("severity").equalTo("high"), 1)
                .when(col("severity").equalTo("medium"), 2).when(col("severity").equalTo("low"), 3).otherwise(4);
        WindowSpec byScore = Window.partitionBy("rule").orderBy(severityRank, col("score").desc_nulls_last(),
                col("first_seen"), col("finding_id"));
        Dataset<Row> top = spark.table(Tables.FINDINGS.name())
                .withColumn("rank_in_rule", row_number().over(byScore))
                .withColumn("rule_total", count(lit(1)).over(Window.partitionBy("rule")))
                .filter(col("rank_in_rule").leq(FINDINGS_PER_RULE))
                .orderBy("rule", "rank_in_rule");
        Map<String, List<ReportModel.Finding>> shown = new LinkedHashMap<>();
        Map<String, Long> totals = new HashMap<>();
        for (Row r : top.collectAsList()) {
            List<EvidenceLine> pointers = new ArrayList<>();
            List<Row> evidence = r.getList(r.fieldIndex("evidence"));
            long evidenceTotal = evidence == null ? 0 : evidence.size();
            if (evidence != null) {
                for (Row e : evidence.subList(0, Math.min(EVIDENCE_PER_FINDING, evidence.size()))) {
                    pointers.add(new EvidenceLine(str(e, "table"), str(e, "source_file"),
                            e.isNullAt(e.fieldIndex("source_line")) ? 0 : num(e, "source_line"),
                            EvidenceLine.Kind.UNAVAILABLE, null));
                }
            }
            String rule = str(r, "rule");
            totals.put(rule, num(r, "rule_total"));
            shown.computeIfAbsent(rule, k -> new ArrayList<>()).add(new ReportModel.Finding(str(r, "finding_id"),
                    str(r, "severity"), r.isNullAt(r.fieldIndex("score")) ? 0 : r.<Double>getAs("score"),
                    str(r, "entity_type"), str(r, "entity"), str(r, "country"), str(r, "asn"),
                    instant(r, "first_seen"), instant(r, "last_seen"), num(r, "event_count"), str(r, "summary"),
                    evidenceTotal, pointers));
        }
        List<String> order = new ArrayList<>();
        overview.forEach(o -> {
            if (!order.contains(o.rule())) {
                order.add(o.rule());
            }
        });
        shown.keySet().stream().filter(r -> !order.contains(r)).forEach(order::add);
        List<ReportModel.RuleSection> sections = new ArrayList<>();
        for (String rule : order) {
            if (shown.containsKey(rule)) {
                sections.add(new ReportModel.RuleSection(rule, totals.get(rule), shown.get(rule)));
            }
        }
        return sections;
    }

    /**
     * Fills in the evidence text: raw lines read once per file, up to {@link #EVIDENCE_TOTAL} in all; where a file
     * cannot be read, the normalized rows of triage query {@code finding_evidence}, for a few findings.
     */
    static List<ReportModel.RuleSection> withEvidence(SparkSession spark, List<ReportModel.RuleSection> sections,
                                                      EvidenceReader reader) {
        Map<String, NavigableSet<Long>> wanted = new TreeMap<>();
        int budget = EVIDENCE_TOTAL;
        for (ReportModel.RuleSection s : sections) {
            for (ReportModel.Finding f : s.shown()) {
                for (EvidenceLine e : f.evidence()) {
                    if (budget-- > 0 && e.sourceFile() != null) {
                        wanted.computeIfAbsent(e.sourceFile(), k -> new TreeSet<>()).add(e.sourceLine());
                    }
                }
            }
        }
        Map<String, EvidenceReader.FileLines> files = new HashMap<>();
        wanted.forEach((file, lines) -> files.put(file, reader.read(file, lines)));

        int fallbacks = NORMALIZED_FALLBACKS;
        budget = EVIDENCE_TOTAL;
        List<ReportModel.RuleSection> filled = new ArrayList<>();
        for (ReportModel.RuleSection s : sections) {
            List<ReportModel.Finding> findings = new ArrayList<>();
            for (ReportModel.Finding f : s.shown()) {
                List<EvidenceLine> lines = new ArrayList<>();
                Map<String, String> normalized = null;
                for (EvidenceLine e : f.evidence()) {
                    if (budget-- <= 0) {
                        break;
                    }
                    EvidenceReader.FileLines got = files.get(e.sourceFile());
                    String raw = got == null ? null : got.lines().get(e.sourceLine());
                    if (raw != null) {
                        lines.add(new EvidenceLine(e.table(), e.sourceFile(), e.sourceLine(), EvidenceLine.Kind.RAW,
                                raw));
                        continue;
                    }
                    if (normalized == null && spark != null && fallbacks > 0) {
                        fallbacks--;
                        normalized = normalizedEvidence(spark, f.findingId());
                    }
                    String row = normalized == null ? null : normalized.get(e.sourceFile() + "#" + e.sourceLine());
                    String why = got == null ? "source not readable"
                            : got.error().map(err -> "source not readable (" + err + ")")
                            .orElse("line not found in source");
                    lines.add(row != null
                            ? new EvidenceLine(e.table(), e.sourceFile(), e.sourceLine(), EvidenceLine.Kind.NORMALIZED,
                            row + "  [" + why + "; normalized row]")
                            : new EvidenceLine(e.table(), e.sourceFile(), e.sourceLine(),
                            EvidenceLine.Kind.UNAVAILABLE, why));
                }
                findings.add(new ReportModel.Finding(f.findingId(), f.severity(), f.score(), f.entityType(),
                        f.entity(), f.country(), f.asn(), f.firstSeen(), f.lastSeen(), f.eventCount(), f.summary(),
                        f.evidenceTotal(), lines));
            }
            filled.add(new ReportModel.RuleSection(s.rule(), s.total(), findings));
        }
        return filled;
    }

    /** The finding's evidence rows from triage query finding_evidence, keyed by file#line. */
    private static Map<String, String> normalizedEvidence(SparkSession spark, String findingId) {
        Map<String, String> rows = new HashMap<>();
        for (Row r : TriageQuery.FINDING_EVIDENCE.run(spark, Map.of("finding_id", findingId)).collectAsList()) {
            Instant ts = instant(r, "ts");
            rows.put(str(r, "source_file") + "#" + num(r, "source_line"),
                    (ts == null ? "" : ts + " ") + str(r, "detail"));
        }
        return rows;
    }

    static int severityRank(String severity) {
        int i = ReportModel.SEVERITIES.indexOf(severity);
        return i < 0 ? ReportModel.SEVERITIES.size() : i;
    }

    private static String str(Row r, String field) {
        Object v = r.get(r.fieldIndex(field));
        return v == null ? null : v.toString();
    }

    private static long num(Row r, String field) {
        Object v = r.get(r.fieldIndex(field));
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static Instant instant(Row r, String field) {
        return instant(r.get(r.fieldIndex(field)));
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Timestamp t) {
            return t.toInstant();
        }
        return null;
    }
}
