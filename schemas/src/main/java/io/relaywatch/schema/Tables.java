package io.relaywatch.schema;

import java.util.List;

/** The tables of the relaywatch warehouse. Each is declared here once; the jobs, SQL DDL and docs derive from these. */
public final class Tables {

    public static final TableSchema HTTP_REQUESTS = TableSchema.of("http_requests",
            "one request in a web server or proxy access log", HttpRequestColumn.class, HttpRequestColumn.EVENT_DATE);

    public static final TableSchema SMTP_EVENTS = TableSchema.of("smtp_events",
            "one MTA log event (one row per recipient where a line names several)", SmtpEventColumn.class,
            SmtpEventColumn.EVENT_DATE);

    public static final TableSchema FIREWALL_EVENTS = TableSchema.of("firewall_events",
            "one connection or packet decision of a firewall", FirewallEventColumn.class,
            FirewallEventColumn.EVENT_DATE);

    public static final TableSchema REJECTED_LINES = TableSchema.of("rejected_lines",
            "one input line no parser took, or took only in part, with the reason", RejectedLineColumn.class, null);

    public static final TableSchema INGEST_FILES = TableSchema.of("ingest_files",
            "one input file of an ingest run with its line accounting", IngestFileColumn.class, null);

    public static final TableSchema FINDINGS = TableSchema.of("findings",
            "one detection rule firing on one entity, with the evidence lines", FindingColumn.class, null);

    public static final TableSchema BLOCKLIST = TableSchema.of("blocklist",
            "one network to block, covering outside sources of high and critical findings", BlocklistColumn.class,
            null);

    public static final TableSchema IP_INFO = TableSchema.of("ip_info",
            "one outside address seen in the logs, with country, autonomous system and network", IpInfoColumn.class,
            null);

    /** The three event tables that parsers fill. */
    public static final List<TableSchema> EVENT_TABLES = List.of(HTTP_REQUESTS, SMTP_EVENTS, FIREWALL_EVENTS);

    /** Every table of the warehouse. */
    public static final List<TableSchema> ALL = List.of(HTTP_REQUESTS, SMTP_EVENTS, FIREWALL_EVENTS, REJECTED_LINES,
            INGEST_FILES, FINDINGS, BLOCKLIST, IP_INFO);

    /** The tables an ingest run writes (findings are written by detection). */
    public static final List<TableSchema> INGESTED = List.of(HTTP_REQUESTS, SMTP_EVENTS, FIREWALL_EVENTS,
            REJECTED_LINES, INGEST_FILES);

    private Tables() {
    }

    public static TableSchema byName(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table named " + name));
    }
}
