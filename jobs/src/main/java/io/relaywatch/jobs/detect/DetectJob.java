package io.relaywatch.jobs.detect;

import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.jobs.WarehouseCommit;
import io.relaywatch.schema.FindingColumn;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

/**
 * Detection: registers the warehouse tables and the site knowledge (local networks, MTAs, allow list) as SQL views
 * and functions, runs every {@link FindingRule}'s SQL with its thresholds, and writes {@code findings}. Rules are pure
 * SQL over the tables, so each is readable on its own and testable on small inline data.
 */
public final class DetectJob {

    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-z_]+)}");
    /**
     * {@code ${evidence:table[:alias]}}: the capped, sorted list of evidence pointers of a group's rows, gathered by
     * {@link EvidenceFirst} ({@code evidence_first}) in O(evidence_cap) memory per group.
     */
    private static final Pattern EVIDENCE = Pattern.compile("\\$\\{evidence:([a-z_]+)(?::([a-z]+))?}");
    /** Severity order for sorting, most severe first. */
    public static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low", "info");

    private DetectJob() {
    }

    /** Runs every rule over the registered views; returns the findings (also written when warehouse is non-null). */
    public static Dataset<Row> run(SparkSession spark, String warehouse, DetectConfig config) {
        try {
            // a writer: finishes (or undoes) what an interrupted run left, so it reads whole tables
            WarehouseCommit.recover(new org.apache.hadoop.fs.Path(warehouse)
                    .getFileSystem(spark.sparkContext().hadoopConfiguration()), warehouse);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the warehouse " + warehouse, e);
        }
        Warehouse.registerViews(spark, warehouse);
        // the three derived tables are written aside and swapped in together at the end: a crash leaves the previous
        // findings in place, never a half-written table
        String run = io.relaywatch.jobs.ingest.IngestOptions.newRunId(System.currentTimeMillis()) + "-detect";
        org.apache.hadoop.fs.Path runFolder = WarehouseCommit.runFolder(warehouse, run);
        Dataset<Row> findings = detect(spark, config);
        findings.write().parquet(new org.apache.hadoop.fs.Path(runFolder, Tables.FINDINGS.name()).toString());
        Dataset<Row> written = spark.read().schema(SparkSchemas.structType(Tables.FINDINGS))
                .parquet(new org.apache.hadoop.fs.Path(runFolder, Tables.FINDINGS.name()).toString());
        blocklist(spark, written, config).write()
                .parquet(new org.apache.hadoop.fs.Path(runFolder, Tables.BLOCKLIST.name()).toString());
        ipInfo(spark).write().parquet(new org.apache.hadoop.fs.Path(runFolder, Tables.IP_INFO.name()).toString());
        List<WarehouseCommit.Op> swaps = new ArrayList<>();
        for (var table : List.of(Tables.FINDINGS, Tables.BLOCKLIST, Tables.IP_INFO)) {
            swaps.add(WarehouseCommit.Op.swap(new org.apache.hadoop.fs.Path(runFolder, table.name()),
                    new org.apache.hadoop.fs.Path(Warehouse.tablePath(warehouse, table)),
                    new org.apache.hadoop.fs.Path(runFolder, "previous/" + table.name())));
        }
        try {
            WarehouseCommit.commit(runFolder.getFileSystem(spark.sparkContext().hadoopConfiguration()), runFolder,
                    swaps);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot commit the findings to " + warehouse, e);
        }
        return Warehouse.read(spark, warehouse, Tables.FINDINGS);
    }

    /** Every outside address of the event tables with its country, AS and network (uses detect()'s functions). */
    static Dataset<Row> ipInfo(SparkSession spark) {
        return spark.sql("WITH seen AS ("
                + " SELECT client_ip AS ip, 'smtp_events' AS t FROM smtp_events"
                + " UNION ALL SELECT relay_ip, 'smtp_events' FROM smtp_events"
                + " UNION ALL SELECT client_ip, 'http_requests' FROM http_requests"
                + " UNION ALL SELECT src_ip, 'firewall_events' FROM firewall_events"
                + " UNION ALL SELECT dst_ip, 'firewall_events' FROM firewall_events)"
                + " SELECT ip, country_of(ip) AS country, asn_of(ip) AS asn, subnet_of(ip) AS network,"
                + " concat_ws(',', array_sort(collect_set(t))) AS tables, count(*) AS events"
                + " FROM seen WHERE ip IS NOT NULL AND subnet_of(ip) IS NOT NULL AND NOT is_local(ip)"
                + " GROUP BY ip");
    }

    /** The blocklist for the findings: their ip and cidr entities at or above the configured severity. */
    public static Dataset<Row> blocklist(SparkSession spark, Dataset<Row> findings, DetectConfig config) {
        int cut = SEVERITIES.indexOf(config.blocklistMinSeverity);
        if (cut < 0) {
            throw new IllegalArgumentException("blocklist_min_severity must be one of " + SEVERITIES);
        }
        List<Blocklist.Source> sources = new ArrayList<>();
        for (Row r : findings.filter("entity_type IN ('ip', 'cidr')").collectAsList()) {
            if (SEVERITIES.indexOf(r.<String>getAs("severity")) <= cut) {
                sources.add(new Blocklist.Source(r.getAs("entity"), r.getAs("rule"), r.getAs("finding_id"),
                        r.getAs("severity")));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Blocklist.Entry e : Blocklist.build(sources, config.localNetworks(), config.allowed())) {
            rows.add(org.apache.spark.sql.RowFactory.create(e.network(), e.addressCount(),
                    String.join(",", e.reasons()), String.join(",", e.findingIds()), e.maxSeverity()));
        }
        return spark.createDataFrame(rows, SparkSchemas.structType(Tables.BLOCKLIST));
    }

    /** Runs every rule over the views already registered (smtp_events, http_requests, firewall_events). */
    public static Dataset<Row> detect(SparkSession spark, DetectConfig config) {
        registerFunctions(spark, config);
        // Exim's mainlog and other files without a host field: name the MTA after the file's folder (archives are
        // usually kept one folder per host), so that per-MTA rules still see one MTA per log. Not Exchange's logs:
        // their folders are the product's (SmtpSend, MessageTracking), not hosts; a file of them is one server's, so
        // a row that cannot name it (a send session refused at the banner, before our EHLO) takes the server the
        // file's other rows name. Files are few: that map travels to every task (a broadcast join).
        Dataset<Row> exchangeHosts = spark.sql("SELECT source_file AS host_file, max(mta_host) AS file_host "
                + "FROM smtp_events WHERE log_format LIKE 'exchange%' AND mta_host IS NOT NULL GROUP BY source_file");
        Dataset<Row> events = spark.table("smtp_events");
        events.join(org.apache.spark.sql.functions.broadcast(exchangeHosts),
                        events.col("source_file").equalTo(exchangeHosts.col("host_file")), "left")
                .withColumn("mta_host", org.apache.spark.sql.functions.when(col("log_format").startsWith("exchange"),
                        org.apache.spark.sql.functions.coalesce(col("mta_host"), col("file_host")))
                        .otherwise(org.apache.spark.sql.functions.coalesce(col("mta_host"),
                        org.apache.spark.sql.functions.regexp_extract(col("source_file"), "([^/]+)/[^/]+$", 1))))
                .drop("host_file", "file_host")
                .createOrReplaceTempView("smtp_events");
        spark.sql("SELECT DISTINCT relay_ip AS ip FROM smtp_events WHERE relay_ip IS NOT NULL AND is_local(relay_ip) "
                + "AND event = 'delivered'").createOrReplaceTempView("inferred_mtas");
        List<String> listed = new ArrayList<>(config.mtas);
        spark.createDataset(listed, org.apache.spark.sql.Encoders.STRING()).toDF("ip")
                .union(spark.table("inferred_mtas")).distinct().createOrReplaceTempView("mtas");
        registerLocalDomains(spark, config);
        Dataset<Row> all = null;
        for (FindingRule rule : FindingRule.values()) {
            Dataset<Row> found = spark.sql(sql(rule, config));
            all = all == null ? found : all.unionByName(found);
        }
        Column id = substring(sha2(concat_ws("|", col("rule"), col("entity"),
                date_format(col("first_seen"), "yyyy-MM-dd'T'HH:mm:ss.SSSSSS")), 256), 1, 16);
        Dataset<Row> withId = all.withColumn("finding_id", id).withColumn("country",
                org.apache.spark.sql.functions.when(col("entity_type").isin("ip", "cidr"),
                        org.apache.spark.sql.functions.callUDF("country_of", col("entity"))))
                .withColumn("asn", org.apache.spark.sql.functions.when(col("entity_type").isin("ip", "cidr"),
                        org.apache.spark.sql.functions.callUDF("asn_of", col("entity"))));
        List<Column> ordered = new ArrayList<>();
        for (var column : Tables.FINDINGS.columns()) {
            ordered.add(col(column.columnName()).cast(SparkSchemas.dataType(column.type())));
        }
        return withId.select(ordered.toArray(new Column[0]));
    }

    /**
     * Local domains: configured, plus the recipient domains our MTAs deliver into mailboxes (LMTP, local, virtual,
     * Exchange's store driver), plus the recipient domains Exchange accepted from anonymous sessions it did not let
     * relay (such a session can only send to the organization's accepted domains: others get 5.7.54 Unable to relay).
     * A small set, so it travels inside a function rather than as a join.
     */
    private static void registerLocalDomains(SparkSession spark, DetectConfig config) {
        java.util.Set<String> domains = new java.util.TreeSet<>();
        config.localDomains.forEach(d -> domains.add(d.toLowerCase(Locale.ROOT)));
        for (Row r : spark.sql("SELECT DISTINCT lower(substring_index(recipient, '@', -1)) FROM smtp_events "
                + "WHERE recipient LIKE '%@%' AND (event = 'delivered' AND (program RLIKE "
                + "'(?i)lmtp|postfix/local|postfix/virtual|storedriver|dovecot' OR relay_host RLIKE "
                + "'(?i)private/|dovecot') OR event = 'message_accepted' AND NOT relay_permitted AND account IS NULL)")
                .collectAsList()) {
            if (!r.isNullAt(0)) {
                domains.add(r.getString(0));
            }
        }
        spark.udf().register("is_local_domain", (UDF1<String, Boolean>) d -> d != null
                && domains.contains(d.toLowerCase(Locale.ROOT)), DataTypes.BooleanType);
    }

    private static void registerFunctions(SparkSession spark, DetectConfig config) {
        EvidenceFirst.register(spark, config.evidenceCap);
        LeastDistinct.register(spark);
        Networks local = config.localNetworks();
        Networks allowed = config.allowed();
        spark.udf().register("is_local", (UDF1<String, Boolean>) local::contains, DataTypes.BooleanType);
        spark.udf().register("is_allowed", (UDF1<String, Boolean>) allowed::contains, DataTypes.BooleanType);
        spark.udf().register("subnet_of", (UDF1<String, String>) Networks::subnetOf, DataTypes.StringType);
        GeoIp geo = GeoIp.open(config.geoipCountryDb);
        // the first address of a network stands for it: the /24s and /64s the rules build sit in one country
        spark.udf().register("country_of", (UDF1<String, String>) ip -> geo == null || ip == null ? null
                : geo.country(ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip), DataTypes.StringType);
        AsnRanges asns = AsnRanges.open(config.asnRangesDir);
        spark.udf().register("asn_of", (UDF1<String, String>) ip -> asns == null || ip == null ? null
                : asns.asn(ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip), DataTypes.StringType);
    }

    /** The rule's SQL with its thresholds filled in (numbers only, so a config file cannot inject SQL). */
    static String sql(FindingRule rule, DetectConfig config) {
        String text;
        try (InputStream in = DetectJob.class.getResourceAsStream(rule.resource())) {
            if (in == null) {
                throw new IllegalStateException("missing rule file " + rule.resource());
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher e = EVIDENCE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (e.find()) {
            String prefix = e.group(2) == null ? "" : e.group(2) + ".";
            // a bounded aggregate: the same pointers as slice(array_sort(collect_list(named_struct(...))), 1, cap),
            // holding at most cap of them per group (one entity with most of the traffic must not fill a task)
            e.appendReplacement(expanded, Matcher.quoteReplacement("evidence_first('" + e.group(1) + "', "
                    + prefix + "source_file, " + prefix + "source_line).pointers"));
        }
        e.appendTail(expanded);
        text = expanded.toString();
        Matcher m = PARAMETER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            double value;
            if (name.equals("evidence_cap")) {
                value = config.evidenceCap;
            } else {
                Double configured = config.thresholds.get(rule.id() + "." + name);
                Double fallback = rule.defaults().get(name);
                if (configured == null && fallback == null) {
                    throw new IllegalStateException(rule.id() + ": no default for ${" + name + "}");
                }
                value = configured != null ? configured : fallback;
            }
            m.appendReplacement(out, value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Unknown threshold keys in a config are mistakes: names them. */
    public static List<String> unknownThresholds(DetectConfig config) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Double> e : config.thresholds.entrySet()) {
            boolean known = false;
            for (FindingRule rule : FindingRule.values()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(e.getKey())
                        && rule.defaults().keySet().stream().anyMatch(p -> (rule.id() + "." + p).equals(e.getKey()))) {
                    known = true;
                }
            }
            if (!known) {
                unknown.add(e.getKey());
            }
        }
        return unknown;
    }
}
