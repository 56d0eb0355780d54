package io.relaywatch.jobs.detect;

import io.relaywatch.jobs.BlocklistExport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlocklistTest {

    static final Networks LOCAL = DetectConfig.defaults().localNetworks();
    static final Networks NONE = new Networks(List.of());

    static List<String> networks(List<Blocklist.Entry> entries) {
        return entries.stream().map(Blocklist.Entry::network).toList();
    }

    static Blocklist.Source ip(String entity) {
        return new Blocklist.Source(entity, "rule_" + entity.length(), "id-" + entity, "high");
    }

    @Test
    void adjacentAddressesMergeIntoTheFewestCoveringBlocks() {
        List<Blocklist.Entry> entries = Blocklist.build(List.of(ip("203.0.113.4"), ip("203.0.113.5"),
                ip("203.0.113.6"), ip("203.0.113.7"), ip("203.0.113.8"), ip("198.51.100.0/25"),
                ip("198.51.100.128/25")), LOCAL, NONE);
        assertEquals(List.of("198.51.100.0/24", "203.0.113.4/30", "203.0.113.8/32"), networks(entries));
        assertEquals(256L, entries.get(0).addressCount());
        assertEquals(Set.of("id-198.51.100.0/25", "id-198.51.100.128/25"), entries.get(0).findingIds());
    }

    @Test
    void containedSourcesAreAbsorbed() {
        assertEquals(List.of("175.16.199.0/24"), networks(Blocklist.build(List.of(ip("175.16.199.23"),
                ip("175.16.199.0/24"), ip("175.16.199.77")), LOCAL, NONE)));
    }

    @Test
    void localAndAllowListedNetworksAreNeverListed() {
        Networks allowed = new Networks(List.of("192.0.2.33"));
        List<Blocklist.Entry> entries = Blocklist.build(List.of(ip("127.0.0.1"), ip("10.10.5.23"),
                ip("192.168.0.0/16"), ip("192.0.2.0/24"), ip("192.0.2.34"), ip("8.0.0.0/6")), LOCAL, allowed);
        // 192.0.2.0/24 holds an allow-listed partner and 8.0.0.0/6 overlaps 10.0.0.0/8: both dropped whole
        assertEquals(List.of("192.0.2.34/32"), networks(entries));
    }

    @Test
    void ipv6SourcesAndHostNamesAreHandled() {
        List<Blocklist.Entry> entries = Blocklist.build(List.of(ip("2001:db8::1"), ip("2001:db8::/64"),
                ip("mail.example.com")), LOCAL, NONE);
        assertEquals(List.of("2001:db8::/64"), networks(entries));
    }

    @Test
    void cidrCoverOfAnArbitraryRange() {
        assertEquals(List.of("0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/32"),
                Blocklist.cidrs(BigInteger.ONE, BigInteger.valueOf(4), 32));
    }

    @Test
    void exportsNameTheNetworkAndKeepReasonsInComments() throws Exception {
        var schema = io.relaywatch.jobs.SparkSchemas.structType(io.relaywatch.schema.Tables.BLOCKLIST);
        List<Row> rows = List.of(
                new GenericRowWithSchema(new Object[]{"175.16.199.0/24", 256L, "helo_rotation,smtp_flood_subnet",
                        "abc", "high"}, schema),
                new GenericRowWithSchema(new Object[]{"2001:db8::/64", 1L, "=cmd", "def", "critical"}, schema));
        assertTrue(export(rows, BlocklistExport.Format.POSTFIX).contains("175.16.199.0/24\tREJECT listed by relaywatch"));
        String iptables = export(rows, BlocklistExport.Format.IPTABLES);
        assertTrue(iptables.contains("iptables -A RELAYWATCH -s 175.16.199.0/24 -j DROP"), iptables);
        assertTrue(iptables.contains("ip6tables -A RELAYWATCH -s 2001:db8::/64 -j DROP"), iptables);
        assertTrue(export(rows, BlocklistExport.Format.NGINX).contains("deny 175.16.199.0/24;"));
        String csv = export(rows, BlocklistExport.Format.CSV);
        assertTrue(csv.startsWith("network,address_count,max_severity,reasons,finding_ids"), csv);
        assertTrue(csv.contains("'=cmd"), "formula-looking cells are neutralized: " + csv);
    }

    static String export(List<Row> rows, BlocklistExport.Format format) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BlocklistExport.write(rows, format, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
