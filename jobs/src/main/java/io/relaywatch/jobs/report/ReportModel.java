package io.relaywatch.jobs.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the report shows, as plain values gathered from the warehouse: {@link HtmlReport} renders it without
 * Spark, so the page (and its escaping) can be tested with hand-made values.
 */
public record ReportModel(String warehouse, Instant generatedAt, Instant dataFrom, Instant dataTo, Ingest ingest,
                          Map<String, Long> findingsBySeverity, List<OverviewRow> overview, List<HourRow> timeline,
                          List<OffenderRow> offenders, List<CountryRow> countries, List<Chain> chains,
                          List<RuleSection> rules, List<BlocklistRow> blocklist) {

    /** The severities, most severe first: the order of every severity listing. */
    public static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

    /** Line accounting summed over {@code ingest_files}, and the files themselves. */
    public record Ingest(long files, long linesRead, long linesParsed, long linesPartial, long linesRejected,
                         long linesSkipped, List<IngestFile> perFile) {
    }

    public record IngestFile(String sourceFile, String logFormat, long linesRead, long linesParsed,
                             long linesRejected, String fileError) {
    }

    /** A row of triage query {@code findings_overview}. */
    public record OverviewRow(String severity, String rule, long findings, long entities, long events,
                              Instant firstSeen, Instant lastSeen) {
    }

    /** A row of triage query {@code mail_timeline}. */
    public record HourRow(Instant hour, long messages, long abusiveMessages, long rejects, long deferred) {
    }

    /** A row of triage query {@code top_offenders}. */
    public record OffenderRow(String network, String maxSeverity, long findings, String rules, String country,
                              String asn, long addresses, long events) {
    }

    /** A row of triage query {@code top_countries}. */
    public record CountryRow(String country, long addresses, long events, long flaggedAddresses) {
    }

    /** One chain finding from triage query {@code chain_hops}: its nodes in hop order. */
    public record Chain(String findingId, String rule, String severity, String chain, long messages,
                        List<String> nodes) {
    }

    /** The findings of one rule: the first {@code shown} by score, and how many there are in all. */
    public record RuleSection(String rule, long total, List<Finding> shown) {
    }

    public record Finding(String findingId, String severity, double score, String entityType, String entity,
                          String country, String asn, Instant firstSeen, Instant lastSeen, long eventCount,
                          String summary, long evidenceTotal, List<EvidenceLine> evidence) {
    }

    /** One evidence pointer and what the report could find for it. */
    public record EvidenceLine(String table, String sourceFile, long sourceLine, Kind kind, String text) {

        public enum Kind {
            /** The raw line read from the source file. */
            RAW,
            /** The source was not readable; the normalized row from {@code finding_evidence}. */
            NORMALIZED,
            /** Neither the file nor a normalized row was available. */
            UNAVAILABLE
        }
    }

    /** A row of the {@code blocklist} table. */
    public record BlocklistRow(String network, long addressCount, String reasons, String findingIds,
                               String maxSeverity) {
    }
}
