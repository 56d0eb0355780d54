package io.relaywatch.jobs;

import io.relaywatch.parsers.LogFormats;
import io.relaywatch.parsers.LogParser;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled sample-logs/ through the main job, as README command 1 runs it: every file is read as its format with
 * nothing rejected, every supported format is covered, and the abuse stories are in the tables for the detections.
 */
public class SampleLogsTest {

    /** Each sample file's expected format, by path below sample-logs/. */
    public static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("asa/asa.log-20261116", "cisco_asa"),
            Map.entry("branch-fw/filterlog-20261116", "pf_filterlog"),
            Map.entry("branch-mx/mainlog-20261116", "exim"),
            Map.entry("fortigate/fgt-traffic.log-20261116", "fortigate"),
            Map.entry("legacy-sendmail/maillog-20261116", "sendmail"),
            Map.entry("legacy-smtp/ex261112.log", "iis_smtp"),
            Map.entry("legacy-smtp/LEGACY-SMTP.log/20261112.log", "exchange2003_tracking"),
            Map.entry("mx1/kern.log-20261116", "iptables"),
            Map.entry("mx1/mail.log-20261109.gz", "postfix"),
            Map.entry("mx1/mail.log-20261116", "postfix"),
            Map.entry("owa/MSGTRK20261110-1.LOG", "exchange_tracking"),
            Map.entry("owa/MSGTRK_noheader.LOG", "exchange_tracking"),
            Map.entry("owa/RECV20261110-1.LOG", "exchange_smtp_protocol"),
            Map.entry("owa/u_ex261110.log", "iis_w3c"),
            Map.entry("paloalto/pan-traffic.csv-20261116", "paloalto"),
            Map.entry("proxy/access.log-20261116", "squid"),
            Map.entry("sensor/smtp.log", "zeek_smtp"),
            Map.entry("ws-finance-07/pfirewall.log", "windows_firewall"),
            Map.entry("www/access.log-20261116", "access_log"),
            Map.entry("www/mail.log-20261116", "postfix"),
            Map.entry("www/other_vhosts_access.log-20261109.gz", "access_log"));

    static String warehouse;
    static String summary;
    static int exitCode;

    @BeforeAll
    static void analyzeSamples() {
        SampleWarehouse.Analysis analysis = SampleWarehouse.get();
        warehouse = analysis.warehouse();
        summary = analysis.summary();
        exitCode = analysis.exitCode();
    }

    static List<Row> files() {
        return Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES).collectAsList();
    }

    static String relative(String uri) {
        return uri.substring(uri.indexOf("sample-logs/") + "sample-logs/".length());
    }

    @Test
    void everySampleFileIsReadAsItsFormatWithNothingRejected() {
        assertEquals(0, exitCode, summary);
        Map<String, String> actual = files().stream().collect(Collectors.toMap(
                r -> relative(r.getAs("source_file")), r -> r.getAs("log_format")));
        assertEquals(EXPECTED, actual, summary);
        for (Row file : files()) {
            String name = relative(file.getAs("source_file"));
            assertEquals(0L, file.<Long>getAs("lines_rejected"), name);
            assertEquals(0L, file.<Long>getAs("lines_partial"), name);
            assertNull(file.getAs("file_error"), name);
        }
        assertTrue(summary.contains("lines read = parsed + rejected + skipped for every file"), summary);
    }

    @Test
    void samplesCoverEveryFormat() {
        Set<String> all = LogFormats.all().stream().map(LogParser::format).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(all, new TreeSet<>(EXPECTED.values()));
    }

    private static long count(String sql) {
        Warehouse.registerViews(SparkTestSupport.spark(), warehouse);
        Dataset<Row> rows = SparkTestSupport.spark().sql(sql);
        return rows.first().getLong(0);
    }

    @Test
    void stolenPasswordStoryIsInTheTables() {
        // jmeier authenticating from many addresses of one foreign /24, each with its own HELO (seen by Zeek)
        assertTrue(count("SELECT count(DISTINCT client_ip) FROM smtp_events WHERE sasl_username = 'jmeier' "
                + "AND client_ip LIKE '175.16.199.%'") >= 30);
        assertTrue(count("SELECT count(DISTINCT helo) FROM smtp_events WHERE log_format = 'zeek_smtp' "
                + "AND client_ip LIKE '175.16.199.%'") >= 30);
        // all of it at night, in UTC: Wed 22:00 to Thu 05:00 Berlin time
        assertEquals(0, count("SELECT count(*) FROM smtp_events WHERE sasl_username = 'jmeier' "
                + "AND client_ip LIKE '175.16.199.%' AND (ts < TIMESTAMP '2026-11-11 21:00:00' "
                + "OR ts > TIMESTAMP '2026-11-12 04:30:00')"));
    }

    @Test
    void openRelayStoryChainsAcrossMtas() {
        // branch-mx accepts from the ISP range without auth and hands over to mx1: the 'queued as' ids meet
        long chained = count("SELECT count(DISTINCT b.next_queue_id) FROM smtp_events b JOIN smtp_events m "
                + "ON b.next_queue_id = m.queue_id WHERE b.log_format = 'exim' AND m.log_format = 'postfix' "
                + "AND m.mta_host = 'mx1' AND m.client_ip = '203.0.113.60'");
        assertTrue(chained > 300, "chained hops: " + chained);
        assertTrue(count("SELECT count(*) FROM smtp_events WHERE mta_host = 'mx1' AND event = 'bounced' "
                + "AND reason LIKE '%spamhaus%'") > 0);
    }

    @Test
    void proxyTunnelStorySpansWebAndMail() {
        assertTrue(count("SELECT count(*) FROM http_requests WHERE method = 'POST' AND is_absolute_url "
                + "AND url_port = 25 AND status = 200") > 500);
        assertTrue(count("SELECT count(*) FROM smtp_events WHERE event = 'non_smtp_command' "
                + "AND mta_host = 'www'") > 0);
        assertTrue(count("SELECT count(*) FROM http_requests WHERE method = 'CONNECT' AND url_port = 25") > 0);
    }

    static List<Row> findings(String rule) {
        Warehouse.registerViews(SparkTestSupport.spark(), warehouse);
        return SparkTestSupport.spark().sql("SELECT * FROM findings WHERE rule = '" + rule + "'").collectAsList();
    }

    static Row finding(String rule, String entity) {
        return findings(rule).stream().filter(r -> entity.equals(r.getAs("entity"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " finding for " + entity + "\n" + summary));
    }

    @Test
    void theStoriesAreFoundWithTheRightRuleAndEntity() {
        Row foreignBlock = finding("helo_rotation", "175.16.199.0/24");
        assertEquals("high", foreignBlock.getAs("severity"));
        if (io.relaywatch.jobs.detect.GeoIp.open(null) != null) {
            assertEquals("CN", foreignBlock.getAs("country"));
            assertTrue(finding("auth_account_abuse", "jmeier").<String>getAs("summary").contains("countries: CN"));
        }
        assertEquals("high", finding("relay_probe", "45.155.205.0/24").getAs("severity"));
        assertEquals("high", finding("mta_non_smtp_command", "127.0.0.1").getAs("severity"));
        assertEquals("high", finding("outbound_smtp_non_mta", "10.10.5.23").getAs("severity"));
        assertEquals("high", finding("blacklisted_by_remote", "mx1").getAs("severity"));
        assertTrue(findings("proxy_smtp_tunnel").stream().anyMatch(r -> "critical".equals(r.getAs("severity"))
                && r.<String>getAs("entity").startsWith("185.220.101.")), summary);
        assertEquals("critical", finding("auth_account_abuse", "jmeier").getAs("severity"));
        assertEquals("critical", finding("open_relay_accepted", "branch-mx").getAs("severity"));
        assertEquals("high", finding("mta_hop_chain", "branch-mx -> mx1").getAs("severity"));
        assertEquals("high", finding("smtp_flood_subnet", "175.16.199.0/24").getAs("severity"));
        finding("backscatter", "mx1");
        assertEquals("critical", finding("proxy_confirmed", "www").getAs("severity"));
        assertEquals("critical", finding("web_to_smtp_chain", "185.220.101.0/24 -> www (web) -> www (MTA)")
                .getAs("severity"));
        finding("queue_backlog", "mx1");
        // every finding points back to raw lines
        assertEquals(0, count("SELECT count(*) FROM findings WHERE size(evidence) = 0"));
    }

    @Test
    void blocklistCarriesTheAttackNetworksAndNothingOfOurs() {
        Warehouse.registerViews(SparkTestSupport.spark(), warehouse);
        List<String> networks = SparkTestSupport.spark().sql("SELECT network FROM blocklist").collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        assertTrue(networks.containsAll(List.of("175.16.199.0/24", "45.155.205.0/24", "100.64.23.0/24")), networks.toString());
        assertTrue(networks.stream().noneMatch(n -> n.startsWith("10.") || n.startsWith("192.168.")
                || n.startsWith("127.") || n.startsWith("192.0.2.") || n.startsWith("216.160.83.")), networks.toString());
    }

    @Test
    void everyOutsideAddressIsEnriched() {
        assertEquals(0, count("SELECT count(*) FROM ip_info WHERE ip LIKE '10.%' OR ip LIKE '192.168.%' "
                + "OR ip LIKE '127.%'"));
        assertTrue(count("SELECT count(*) FROM ip_info WHERE ip LIKE '175.16.199.%' AND network = '175.16.199.0/24'")
                >= 30);
        if (io.relaywatch.jobs.detect.GeoIp.open(null) != null) {
            assertEquals(0, count("SELECT count(*) FROM ip_info WHERE ip LIKE '175.16.199.%' AND country <> 'CN'"));
            assertEquals(0, count("SELECT count(*) FROM ip_info WHERE ip LIKE '100.64.%' AND country <> 'cgnat'"));
        }
        if (io.relaywatch.jobs.detect.AsnRanges.open(null) != null) {
            assertEquals(0, count("SELECT count(*) FROM ip_info WHERE ip LIKE '175.16.199.%' "
                    + "AND NOT asn LIKE 'AS4837 %'"));
        }
    }

    @Test
    void benignTrafficRaisesNoHighFinding() {
        // the partners, the LAN (but the infected host), the traveller, the newsletter account, Google's crawler
        assertEquals(0, count("SELECT count(*) FROM findings WHERE severity IN ('high', 'critical') AND ("
                + "entity LIKE '192.0.2.%' OR (entity LIKE '10.%' AND entity <> '10.10.5.23') "
                + "OR entity LIKE '192.168.%' OR entity IN ('216.160.83.56', 'tkoch', 'newsletter', "
                + "'66.249.66.0/24') OR entity LIKE '66.249.%')"));
    }

    @Test
    void infectedHostIsVisibleInEveryFirewall() {
        // the perimeter ASA, the FortiGate, the Palo Alto and the workstation's own Windows Firewall
        assertEquals(4, count("SELECT count(DISTINCT log_format) FROM firewall_events WHERE src_ip = '10.10.5.23' "
                + "AND dst_port = 25 AND log_format IN ('cisco_asa', 'fortigate', 'paloalto', 'windows_firewall')"));
    }
}
