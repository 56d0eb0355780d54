package io.relaywatch.jobs.detect;

import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.parsers.EventRecord;
import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.relaywatch.schema.FirewallEventColumn.ACTION;
import static io.relaywatch.schema.FirewallEventColumn.DST_IP;
import static io.relaywatch.schema.FirewallEventColumn.DST_PORT;
import static io.relaywatch.schema.FirewallEventColumn.SRC_IP;
import static io.relaywatch.schema.HttpRequestColumn.IS_ABSOLUTE_URL;
import static io.relaywatch.schema.HttpRequestColumn.METHOD;
import static io.relaywatch.schema.HttpRequestColumn.STATUS;
import static io.relaywatch.schema.HttpRequestColumn.URL_PORT;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NEXT_QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.TS;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_IP;
import static io.relaywatch.schema.SmtpEventColumn.SASL_USERNAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule on small inline tables: the attack fires with the right entity and severity, the benign twin does not. */
class DetectRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-10T20:00:00Z");

    /** Named fixture builder: rows of one table, each made from column/value pairs. */
    static final class Fixture {
        final TableSchema table;
        final List<Row> rows = new ArrayList<>();

        Fixture(TableSchema table) {
            this.table = table;
        }

        Fixture add(Object... columnValuePairs) {
            EventRecord record = new EventRecord(table);
            for (int i = 0; i < columnValuePairs.length; i += 2) {
                record.set((Column) columnValuePairs[i], columnValuePairs[i + 1]);
            }
            Column ts = table.column("ts").orElseThrow();
            if (record.get(ts) == null) {
                record.set(ts, T0.plusSeconds(rows.size()));
            }
            record.set(table.column("event_date").orElseThrow(),
                    LocalDate.ofInstant((Instant) record.get(ts), ZoneOffset.UTC));
            record.set(table.column("source_file").orElseThrow(), "file:/test/" + table.name());
            record.set(table.column("source_line").orElseThrow(), (long) rows.size() + 1);
            io.relaywatch.parsers.Accounts.filler(table).fill(record); // as ingest derives it
            rows.add(RowFactory.create(record.values().clone()));
            return this;
        }

        void register(SparkSession spark) {
            spark.createDataFrame(rows, SparkSchemas.structType(table)).createOrReplaceTempView(table.name());
        }
    }

    static SparkSession spark() {
        return SparkTestSupport.spark();
    }

    /** Registers the given fixtures (others empty) and returns the findings as rule -> rows. */
    static List<Row> detect(DetectConfig config, Fixture... fixtures) {
        for (TableSchema t : Tables.EVENT_TABLES) {
            new Fixture(t).register(spark());
        }
        for (Fixture f : fixtures) {
            f.register(spark());
        }
        return DetectJob.detect(spark(), config).collectAsList();
    }

    static List<Row> of(List<Row> findings, String rule) {
        return findings.stream().filter(r -> rule.equals(r.getAs("rule"))).toList();
    }

    static Row only(List<Row> findings, String rule, String entity) {
        List<Row> matching = of(findings, rule).stream().filter(r -> entity.equals(r.getAs("entity"))).toList();
        assertEquals(1, matching.size(), rule + " " + entity + " in " + findings);
        return matching.get(0);
    }

    @Test
    void proxyProbesAndSmtpTunnels() {
        Fixture web = new Fixture(Tables.HTTP_REQUESTS)
                .add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "203.0.113.7", METHOD, "GET",
                        IS_ABSOLUTE_URL, true, URL_PORT, 80, STATUS, 404)
                .add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "203.0.113.8", METHOD, "POST",
                        IS_ABSOLUTE_URL, true, URL_PORT, 25, STATUS, 200)
                .add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "203.0.113.9", METHOD, "GET",
                        IS_ABSOLUTE_URL, false, STATUS, 200);
        List<Row> findings = detect(DetectConfig.defaults(), web);
        Row probe = only(findings, "proxy_probe", "203.0.113.7");
        assertEquals("low", probe.getAs("severity"));
        Row tunnel = only(findings, "proxy_smtp_tunnel", "203.0.113.8");
        assertEquals("critical", tunnel.getAs("severity"));
        assertEquals(1, tunnel.<scala.collection.Seq<?>>getAs("evidence").size());
        assertTrue(of(findings, "proxy_probe").stream().noneMatch(r -> "203.0.113.9".equals(r.getAs("entity"))),
                "an origin-form request is not a probe");
    }

    @Test
    void forwardProxyLogsAreNotProxyProbes() {
        Fixture squid = new Fixture(Tables.HTTP_REQUESTS)
                .add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "10.10.5.21", METHOD, "CONNECT",
                        IS_ABSOLUTE_URL, true, URL_PORT, 443, STATUS, 200,
                        io.relaywatch.schema.HttpRequestColumn.LOG_FORMAT, "squid");
        assertEquals(List.of(), detect(DetectConfig.defaults(), squid));
    }

    @Test
    void httpOnTheSmtpPortFromALocalPeerIsHigh() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "non_smtp_command", CLIENT_IP, "127.0.0.1", MTA_HOST, "www",
                        REASON, "POST http://127.0.0.1:25/ HTTP/1.1")
                .add(EVENT, "non_smtp_command", CLIENT_IP, "198.51.100.99", MTA_HOST, "mx1", REASON, "GET / HTTP/1.1")
                .add(EVENT, "connect", CLIENT_IP, "198.51.100.98", MTA_HOST, "mx1");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        assertEquals("high", only(findings, "mta_non_smtp_command", "127.0.0.1").getAs("severity"));
        assertEquals("medium", only(findings, "mta_non_smtp_command", "198.51.100.99").getAs("severity"));
        assertEquals(2, of(findings, "mta_non_smtp_command").size());
    }

    @Test
    void relayProbesPerAddressAndPerNetwork() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int host = 1; host <= 4; host++) {
            for (int i = 0; i < 2; i++) {
                mail.add(EVENT, "reject", CLIENT_IP, "45.155.205." + host, REASON,
                        "554 5.7.1 <x@y.example>: Relay access denied");
            }
        }
        mail.add(EVENT, "reject", CLIENT_IP, "203.0.113.50", REASON, "550 5.1.1 User unknown")
                .add(EVENT, "reject", CLIENT_IP, "203.0.113.50", REASON, "550 5.1.1 User unknown")
                .add(EVENT, "reject", CLIENT_IP, "10.10.5.3", REASON, "Relay access denied")
                .add(EVENT, "reject", CLIENT_IP, "10.10.5.3", REASON, "Relay access denied");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        Row net = only(findings, "relay_probe", "45.155.205.0/24");
        assertEquals("cidr", net.getAs("entity_type"));
        assertEquals(8L, net.<Long>getAs("event_count"));
        only(findings, "relay_probe", "45.155.205.1");
        assertTrue(of(findings, "relay_probe").stream().noneMatch(r -> r.<String>getAs("entity").startsWith("203.")
                || r.<String>getAs("entity").startsWith("10.")), "user-unknown rejects and local clients are not relay probes");
    }

    @Test
    void authBruteforceByAddressAndByUser() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 6; i++) {
            mail.add(EVENT, "auth_failure", CLIENT_IP, "198.51.100.66", SASL_USERNAME, "admin" + i);
        }
        for (int i = 1; i <= 3; i++) {
            mail.add(EVENT, "auth_failure", CLIENT_IP, "192.0.2." + i, SASL_USERNAME, "jmeier");
        }
        mail.add(EVENT, "auth_failure", CLIENT_IP, "203.0.113.4", SASL_USERNAME, "tkoch")
                .add(EVENT, "auth_success", CLIENT_IP, "203.0.113.4", SASL_USERNAME, "tkoch");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        assertEquals("medium", only(findings, "auth_bruteforce", "198.51.100.66").getAs("severity"));
        assertEquals("user", only(findings, "auth_bruteforce", "jmeier").getAs("entity_type"));
        assertTrue(of(findings, "auth_bruteforce").stream().noneMatch(r -> "tkoch".equals(r.getAs("entity"))
                || "203.0.113.4".equals(r.getAs("entity"))), "one typo is not brute force");
    }

    @Test
    void heloRotationPerAddressAndNetworkButNotStableNames() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 12; i++) {
            mail.add(EVENT, "transaction", CLIENT_IP, "175.16.199." + (i % 4 + 1), HELO, "host" + i + ".example");
        }
        for (int i = 0; i < 30; i++) {
            mail.add(EVENT, "transaction", CLIENT_IP, "192.0.2.33", HELO, "mail.partner.example");
        }
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        assertEquals("high", only(findings, "helo_rotation", "175.16.199.0/24").getAs("severity"));
        assertTrue(of(findings, "helo_rotation").stream().noneMatch(r -> r.<String>getAs("entity").startsWith("192.0.2")));
    }

    @Test
    void outboundSmtpFromNonMtasButNotFromMtas() {
        Fixture fw = new Fixture(Tables.FIREWALL_EVENTS);
        for (int i = 1; i <= 4; i++) {
            fw.add(SRC_IP, "10.10.5.23", DST_IP, "203.0.113." + i, DST_PORT, 25, ACTION, "allow");
            fw.add(SRC_IP, "192.168.50.25", DST_IP, "203.0.113." + i, DST_PORT, 25, ACTION, "allow");
            fw.add(SRC_IP, "10.10.5.40", DST_IP, "203.0.113." + i, DST_PORT, 443, ACTION, "allow");
        }
        // mx1 is inferred as an MTA because another MTA delivers to it
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "delivered", MTA_HOST, "www", RELAY_IP, "192.168.50.25");
        List<Row> findings = detect(DetectConfig.defaults(), fw, mail);
        assertEquals("high", only(findings, "outbound_smtp_non_mta", "10.10.5.23").getAs("severity"));
        assertEquals(1, of(findings, "outbound_smtp_non_mta").size());
    }

    @Test
    void blacklistingIsReadFromRemoteRefusalsOnly() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "bounced", MTA_HOST, "mx1", RELAY_IP, "203.0.113.120",
                        REASON, "host mx.a.example[203.0.113.120] said: 550 5.7.1 Service unavailable; Client host "
                                + "[198.51.100.25] blocked using zen.spamhaus.org")
                // our own DNSBL check rejecting a client is not us being listed
                .add(EVENT, "reject", MTA_HOST, "mx1", CLIENT_IP, "192.0.2.9",
                        REASON, "554 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        Row listed = only(findings, "blacklisted_by_remote", "mx1");
        assertEquals(1L, listed.<Long>getAs("event_count"));
        assertTrue(listed.<String>getAs("summary").contains("spamhaus"), listed.toString());
    }

    @Test
    void thresholdsAndAllowListComeFromTheConfig() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 6; i++) {
            mail.add(EVENT, "auth_failure", CLIENT_IP, "198.51.100.66", SASL_USERNAME, "admin");
        }
        DetectConfig strict = DetectConfig.defaults();
        strict.thresholds = Map.of("auth_bruteforce.min_failures", 10.0);
        assertTrue(of(detect(strict, mail), "auth_bruteforce").isEmpty());
        DetectConfig allowed = DetectConfig.defaults();
        allowed.allowList = List.of("198.51.100.0/24");
        assertTrue(of(detect(allowed, mail), "auth_bruteforce").isEmpty());
        assertEquals(1, of(detect(DetectConfig.defaults(), mail), "auth_bruteforce").size());
        DetectConfig typo = DetectConfig.defaults();
        typo.thresholds = Map.of("auth_bruteforce.min_failure", 1.0);
        assertEquals(List.of("auth_bruteforce.min_failure"), DetectJob.unknownThresholds(typo));
    }

    /** A message through one MTA: accepted from a client, delivered to each recipient. */
    static void message(Fixture mail, String mta, String queueId, String client, String user, String sender,
                        String... recipients) {
        mail.add(EVENT, "message_accepted", MTA_HOST, mta, QUEUE_ID, queueId, CLIENT_IP, client,
                SASL_USERNAME, user);
        mail.add(EVENT, "message_queued", MTA_HOST, mta, QUEUE_ID, queueId, SENDER, sender);
        for (String r : recipients) {
            mail.add(EVENT, "delivered", MTA_HOST, mta, QUEUE_ID, queueId, RECIPIENT, r, PROGRAM,
                    r.endsWith("@acme.example") ? "postfix/lmtp" : "postfix/smtp");
        }
    }

    @Test
    void openRelayIsUnauthenticatedOutsideToOutside() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        message(mail, "branch", "Q1", "100.64.23.5", null, "spam@forged.example", "victim@far.example");
        message(mail, "mx1", "Q2", "192.0.2.33", null, "orders@partner.example", "sales@acme.example");
        message(mail, "mx1", "Q3", "203.0.113.9", "swolf", "swolf@acme.example", "buyer@customer.example");
        message(mail, "mx1", "Q4", "10.10.5.30", null, "printer@acme.example", "x@customer.example");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        Row relay = only(findings, "open_relay_accepted", "branch");
        assertEquals("high", relay.getAs("severity"));
        assertEquals(1, of(findings, "open_relay_accepted").size(),
                "inbound mail, authenticated submission and local clients are not relaying");
    }

    @Test
    void exchangeRelaysWhenAnAnonymousSessionMayRelayNotWhenItOriginatesOrAuthenticated() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                // the organization's accepted domain: what an anonymous session without relay permission could reach
                .add(EVENT, "message_accepted", MTA_HOST, "EX01", QUEUE_ID, "1", CLIENT_IP, "192.0.2.41",
                        SENDER, "a@partner.example", RECIPIENT, "user@contoso.example",
                        io.relaywatch.schema.SmtpEventColumn.RELAY_PERMITTED, false)
                // an anonymous outside session on a connector that lets it relay: queued for an outside domain
                .add(EVENT, "message_accepted", MTA_HOST, "EX01", QUEUE_ID, "2", CLIENT_IP, "100.64.23.5",
                        SENDER, "spam@forged.example", RECIPIENT, "victim@far.example",
                        io.relaywatch.schema.SmtpEventColumn.RELAY_PERMITTED, true);
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        assertEquals(1L, only(findings, "open_relay_accepted", "EX01").<Long>getAs("event_count"));

        Fixture benign = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "message_accepted", MTA_HOST, "EX01", QUEUE_ID, "1", CLIENT_IP, "192.0.2.41",
                        SENDER, "a@partner.example", RECIPIENT, "user@contoso.example",
                        io.relaywatch.schema.SmtpEventColumn.RELAY_PERMITTED, false)
                // message tracking says it originated in the organization (a mailbox or authenticated client)
                .add(EVENT, "message_accepted", MTA_HOST, "EX01", QUEUE_ID, "3", CLIENT_IP, "203.0.113.9",
                        SENDER, "private@freemail.example",
                        io.relaywatch.schema.SmtpEventColumn.DIRECTION, "Originating")
                .add(EVENT, "delivered", MTA_HOST, "EX01", QUEUE_ID, "3", RECIPIENT, "friend@far.example")
                // an address that authenticated at that MTA that day (Exchange 2003 tracking names no user)
                .add(EVENT, "auth_success", MTA_HOST, "SBS", CLIENT_IP, "198.51.100.70")
                .add(EVENT, "message_accepted", MTA_HOST, "SBS", QUEUE_ID, "m4@x", CLIENT_IP, "198.51.100.70",
                        SENDER, "me@home.example")
                .add(EVENT, "delivered", MTA_HOST, "SBS", QUEUE_ID, "m4@x", RECIPIENT, "friend@far.example");
        assertTrue(of(detect(DetectConfig.defaults(), benign), "open_relay_accepted").isEmpty());
    }

    @Test
    void oneMessageCountsOnceThoughExchangeLogsItPerRecipientInTwoLogs() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 12; i++) {
            for (String recipient : List.of("a@far.example", "b@far.example")) {
                for (String format : List.of("exchange_smtp_protocol", "exchange_tracking")) {
                    mail.add(EVENT, "message_accepted", MTA_HOST, "EX01", QUEUE_ID, "1000" + i,
                            CLIENT_IP, "175.16.199." + i, SASL_USERNAME, "CONTOSO\\JDoe", RECIPIENT, recipient,
                            io.relaywatch.schema.SmtpEventColumn.LOG_FORMAT, format);
                }
            }
        }
        Row abuse = only(detect(DetectConfig.defaults(), mail), "auth_account_abuse", "jdoe");
        assertEquals(12L, abuse.<Long>getAs("event_count"), abuse.toString());
    }

    @Test
    void webLogonFailuresCountBesideSmtpAuth() {
        Fixture web = new Fixture(Tables.HTTP_REQUESTS);
        for (int i = 0; i < 4; i++) {
            web.add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "45.155.205.77",
                    io.relaywatch.schema.HttpRequestColumn.USER_NAME, "user" + i + "@contoso.example",
                    io.relaywatch.schema.HttpRequestColumn.AUTH_RESULT, "failure");
        }
        // an Exchange 2007/2010 refused forms logon names no user: it still counts for the address
        web.add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "45.155.205.77",
                io.relaywatch.schema.HttpRequestColumn.AUTH_RESULT, "failure");
        web.add(io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "203.0.113.4",
                io.relaywatch.schema.HttpRequestColumn.USER_NAME, "tkoch",
                io.relaywatch.schema.HttpRequestColumn.AUTH_RESULT, "success");
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "auth_failure", CLIENT_IP, "45.155.205.77", SASL_USERNAME, "CONTOSO\\user1");
        Row spray = only(detect(DetectConfig.defaults(), web, mail), "auth_bruteforce", "45.155.205.77");
        assertEquals(6L, spray.<Long>getAs("event_count"));
        assertTrue(spray.<String>getAs("summary").contains("(1 SMTP AUTH, 5 web), trying 4 user name(s)"),
                spray.toString());
    }

    @Test
    void hopChainsJoinThroughQueuedAsAndFlagOutsideOrigins() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 12; i++) {
            mail.add(EVENT, "message_accepted", MTA_HOST, "branch", QUEUE_ID, "B" + i, CLIENT_IP, "100.64.23." + i);
            mail.add(EVENT, "delivered", MTA_HOST, "branch", QUEUE_ID, "B" + i, NEXT_QUEUE_ID, "M" + i,
                    RECIPIENT, "v@far.example");
            mail.add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "M" + i, CLIENT_IP, "203.0.113.60");
        }
        mail.add(EVENT, "message_accepted", MTA_HOST, "www", QUEUE_ID, "W1", CLIENT_IP, "127.0.0.1")
                .add(EVENT, "delivered", MTA_HOST, "www", QUEUE_ID, "W1", NEXT_QUEUE_ID, "M99", RECIPIENT, "a@b.example")
                .add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "M99", CLIENT_IP, "192.168.50.80");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        Row chain = only(findings, "mta_hop_chain", "branch -> mx1");
        assertEquals("high", chain.getAs("severity"));
        assertEquals(12L, chain.<Long>getAs("event_count"));
        assertEquals("info", only(findings, "mta_hop_chain", "www -> mx1").getAs("severity"));
    }

    @Test
    void hopsWithoutQueuedAsIdsAreJoinedByMessageId() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "message_accepted", MTA_HOST, "exchange", QUEUE_ID, "X1", CLIENT_IP, "10.10.5.21",
                        io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID, "m1@acme.example")
                .add(EVENT, "delivered", MTA_HOST, "exchange", QUEUE_ID, "X1", RECIPIENT, "a@far.example",
                        io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID, "m1@acme.example")
                .add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "P1", CLIENT_IP, "10.10.0.30")
                .add(EVENT, "message_queued", MTA_HOST, "mx1", QUEUE_ID, "P1",
                        io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID, "m1@acme.example")
                // the same Message-ID seen at an MTA that received it directly, not as a hop: no second chain
                .add(EVENT, "message_accepted", MTA_HOST, "archive", QUEUE_ID, "A1", CLIENT_IP, "10.10.0.9",
                        io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID, "m2@acme.example");
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        assertEquals(1L, only(findings, "mta_hop_chain", "exchange -> mx1").<Long>getAs("event_count"));
        assertEquals(1, of(findings, "mta_hop_chain").size());
    }

    @Test
    void queueBacklogAndBackscatter() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 60; i++) {
            mail.add(EVENT, "deferred", MTA_HOST, "mx1", QUEUE_ID, "D" + i, RECIPIENT, "u@dom" + (i % 30) + ".example");
            mail.add(EVENT, "message_queued", MTA_HOST, "mx1", QUEUE_ID, "N" + i, SENDER, "");
            mail.add(EVENT, "bounced", MTA_HOST, "mx1", QUEUE_ID, "N" + i, RECIPIENT, "forged" + i + "@else.example");
        }
        for (int i = 0; i < 60; i++) {
            mail.add(EVENT, "deferred", MTA_HOST, "quiet", QUEUE_ID, "E" + i, RECIPIENT, "u@one.example");
        }
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        only(findings, "queue_backlog", "mx1");
        assertEquals(1, of(findings, "queue_backlog").size(), "deferrals at one domain are an outage, not a backlog");
        assertEquals(60L, only(findings, "backscatter", "mx1").<Long>getAs("event_count"));
    }

    @Test
    void accountAbuseFromManyOutsideAddressesButNotATraveller() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 12; i++) {
            mail.add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "S" + i, CLIENT_IP, "175.16.199." + i,
                    SASL_USERNAME, "jmeier");
        }
        mail.add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "T1", CLIENT_IP, "216.160.83.56",
                SASL_USERNAME, "tkoch");
        for (int i = 0; i < 5; i++) {
            mail.add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "T" + (i + 2), CLIENT_IP, "10.10.5.31",
                    SASL_USERNAME, "tkoch", TS, T0.plusSeconds(3600L * i));
        }
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        Row abuse = only(findings, "auth_account_abuse", "jmeier");
        assertTrue(abuse.<String>getAs("summary").contains("12 outside addresses"), abuse.toString());
        assertTrue(of(findings, "auth_account_abuse").stream().noneMatch(r -> "tkoch".equals(r.getAs("entity"))));
    }

    /** One SMTP session of {@code seconds}: connect, one authenticated message, disconnect. */
    static void session(Fixture mail, String user, String id, Instant start, long seconds) {
        mail.add(TS, start, EVENT, "connect", MTA_HOST, "mx1", io.relaywatch.schema.SmtpEventColumn.SESSION_ID, id,
                CLIENT_IP, "10.10.5.30");
        mail.add(TS, start.plusSeconds(1), EVENT, "message_accepted", MTA_HOST, "mx1",
                io.relaywatch.schema.SmtpEventColumn.SESSION_ID, id, QUEUE_ID, id + start.getEpochSecond(),
                CLIENT_IP, "10.10.5.30", SASL_USERNAME, user);
        mail.add(TS, start.plusSeconds(seconds), EVENT, "disconnect", MTA_HOST, "mx1",
                io.relaywatch.schema.SmtpEventColumn.SESSION_ID, id, CLIENT_IP, "10.10.5.30");
    }

    @Test
    void longSessionsOfOneAccountAreAbuse() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 3; i++) {
            session(mail, "hoarder", "mx1/smtpd[100]", T0.plusSeconds(1000L * i), 400);
            session(mail, "normal", "mx1/smtpd[200]", T0.plusSeconds(1000L * i), 4);
        }
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        Row abuse = only(findings, "auth_account_abuse", "hoarder");
        assertTrue(abuse.<String>getAs("summary").contains("3 sessions lasted 120 s or more"), abuse.toString());
        assertTrue(of(findings, "auth_account_abuse").stream().noneMatch(r -> "normal".equals(r.getAs("entity"))));
    }

    @Test
    void floodFromOneSubnetButNotFromFewPartners() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 10; i++) {
            mail.add(EVENT, "connect", MTA_HOST, "mx1", CLIENT_IP, "45.155.205." + i);
        }
        for (int i = 0; i < 50; i++) {
            mail.add(EVENT, "connect", MTA_HOST, "mx1", CLIENT_IP, "192.0.2." + (i % 5));
        }
        List<Row> findings = detect(DetectConfig.defaults(), mail);
        only(findings, "smtp_flood_subnet", "45.155.205.0/24");
        assertEquals(1, of(findings, "smtp_flood_subnet").size());
    }

    @Test
    void webToSmtpChainAndProxyConfirmation() {
        Fixture web = new Fixture(Tables.HTTP_REQUESTS);
        Fixture mail = new Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 6; i++) {
            Instant t = T0.plusSeconds(60L * i);
            web.add(io.relaywatch.schema.HttpRequestColumn.TS, t, io.relaywatch.schema.HttpRequestColumn.SERVER,
                    "www.acme.example", io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "185.220.101." + i,
                    METHOD, "POST", IS_ABSOLUTE_URL, true, URL_PORT, 25, STATUS, 200,
                    io.relaywatch.schema.HttpRequestColumn.URL_HOST, "127.0.0.1");
            mail.add(TS, t.plusSeconds(2), EVENT, "message_accepted", MTA_HOST, "www", QUEUE_ID, "W" + i,
                    CLIENT_IP, "127.0.0.1");
            mail.add(TS, t.plusSeconds(3), EVENT, "delivered", MTA_HOST, "www", QUEUE_ID, "W" + i,
                    RECIPIENT, "v@far" + i + ".example", io.relaywatch.schema.SmtpEventColumn.RELAY_HOST, "mx1");
        }
        // a contact form on another web host, hours away from any proxy request: no chain there
        mail.add(TS, T0.plusSeconds(7200), EVENT, "message_accepted", MTA_HOST, "shop", QUEUE_ID, "S1",
                CLIENT_IP, "127.0.0.1");
        List<Row> findings = detect(DetectConfig.defaults(), web, mail);
        Row chain = only(findings, "web_to_smtp_chain", "185.220.101.0/24 -> www (web) -> www (MTA)");
        assertEquals(6L, chain.<Long>getAs("event_count"));
        assertTrue(chain.<String>getAs("summary").contains("to 6 recipient domains"), chain.toString());
        assertEquals("critical", only(findings, "proxy_confirmed", "www").getAs("severity"));
        assertEquals(1, of(findings, "web_to_smtp_chain").size());
    }

    @Test
    void aProxyIsConfirmedByTheConnectionItOpened() {
        Fixture web = new Fixture(Tables.HTTP_REQUESTS)
                .add(io.relaywatch.schema.HttpRequestColumn.SERVER, "www.acme.example",
                        io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "185.220.101.9", METHOD, "CONNECT",
                        IS_ABSOLUTE_URL, true, io.relaywatch.schema.HttpRequestColumn.URL_HOST, "203.0.113.25",
                        URL_PORT, 25, STATUS, 200)
                .add(io.relaywatch.schema.HttpRequestColumn.SERVER, "www.acme.example",
                        io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "185.220.101.10", METHOD, "GET",
                        IS_ABSOLUTE_URL, true, io.relaywatch.schema.HttpRequestColumn.URL_HOST, "news.example",
                        URL_PORT, 80, STATUS, 200);
        Fixture fw = new Fixture(Tables.FIREWALL_EVENTS)
                .add(io.relaywatch.schema.FirewallEventColumn.TS, T0.plusSeconds(1), SRC_IP, "192.168.50.80",
                        DST_IP, "203.0.113.25", DST_PORT, 25, ACTION, "allow")
                // LAN browsing right after the GET is no proof: the target was a name on port 80
                .add(io.relaywatch.schema.FirewallEventColumn.TS, T0.plusSeconds(2), SRC_IP, "10.10.5.40",
                        DST_IP, "203.0.113.80", DST_PORT, 80, ACTION, "allow");
        List<Row> findings = detect(DetectConfig.defaults(), web, fw);
        Row confirmed = only(findings, "proxy_confirmed", "www");
        assertEquals(1L, confirmed.<Long>getAs("event_count"));
    }

    @Test
    void aTwoHundredAloneDoesNotConfirmAProxy() {
        Fixture web = new Fixture(Tables.HTTP_REQUESTS)
                .add(io.relaywatch.schema.HttpRequestColumn.SERVER, "www.acme.example",
                        io.relaywatch.schema.HttpRequestColumn.CLIENT_IP, "185.220.101.9", METHOD, "GET",
                        IS_ABSOLUTE_URL, true, URL_PORT, 25, STATUS, 200);
        List<Row> findings = detect(DetectConfig.defaults(), web);
        assertTrue(of(findings, "proxy_confirmed").isEmpty());
        assertTrue(of(findings, "web_to_smtp_chain").isEmpty());
        assertEquals("critical", only(findings, "proxy_smtp_tunnel", "185.220.101.9").getAs("severity"));
    }

    @Test
    void findingIdsAreStable() {
        Fixture mail = new Fixture(Tables.SMTP_EVENTS)
                .add(EVENT, "non_smtp_command", CLIENT_IP, "198.51.100.99", MTA_HOST, "mx1", REASON, "GET /");
        String first = detect(DetectConfig.defaults(), mail).get(0).getAs("finding_id");
        String second = detect(DetectConfig.defaults(), mail).get(0).getAs("finding_id");
        assertEquals(first, second);
        assertEquals(16, first.length());
    }
}
