package io.relaywatch.jobs.detect;

import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sites with no Postfix at all, as Exchange writes its logs (UTF-8 byte-order mark, CRLF, W3C headers, sessions
 * interleaved): the stolen account, the open receive connector and what it causes (deferrals, backscatter, the
 * blocklist) are found from the Exchange 2019 receive, send and tracking logs and OWA's IIS log alone; the Small
 * Business Server 2003 open relay from its tracking log and IIS SMTP log alone. Ordinary users (one roaming), inbound
 * partner mail and a newsletter raise nothing high.
 */
class ExchangeLogsDetectionTest {

    @TempDir
    Path tmp;

    private static final Instant T0 = Instant.parse("2026-11-10T08:00:00Z");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String RECV_FIELDS = "#Fields: date-time,connector-id,session-id,sequence-number,"
            + "local-endpoint,remote-endpoint,event,data,context";
    private static final List<String> TRACKING_FIELDS = List.of("date-time", "client-ip", "client-hostname",
            "server-ip", "server-hostname", "source-context", "connector-id", "source", "event-id",
            "internal-message-id", "message-id", "network-message-id", "recipient-address", "recipient-status",
            "total-bytes", "recipient-count", "related-recipient-address", "reference", "message-subject",
            "sender-address", "return-path", "message-info", "directionality", "tenant-id", "original-client-ip",
            "original-server-ip", "custom-data", "transport-traffic-type", "log-id", "schema-version");

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static void write(Path file, List<String> lines, boolean bom) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder(bom ? "\uFEFF" : "");
        lines.forEach(l -> sb.append(l).append("\r\n"));
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** One receive session's lines, numbered, under {@code connector}. */
    private static final class Session {
        final List<String> lines;
        final String connector;
        final String id;
        final String remote;
        Instant t;
        int seq;

        Session(List<String> lines, String connector, String id, String remote, Instant start) {
            this.lines = lines;
            this.connector = connector;
            this.id = id;
            this.remote = remote;
            this.t = start;
        }

        Session line(String event, String data, String context) {
            lines.add(String.join(",", ISO.format(t), connector, id, Integer.toString(seq++), "10.10.0.30:25",
                    remote, event, csv(data), csv(context)));
            t = t.plusMillis(400);
            return this;
        }

        Session pause(long seconds) {
            t = t.plusSeconds(seconds);
            return this;
        }
    }

    /** A tracking line with the named fields set. */
    private static String tracking(Instant t, String... keyValues) {
        List<String> values = new ArrayList<>();
        for (String field : TRACKING_FIELDS) {
            String value = "";
            for (int i = 0; i < keyValues.length; i += 2) {
                if (keyValues[i].equals(field)) {
                    value = keyValues[i + 1];
                }
            }
            values.add(field.equals("date-time") ? ISO.format(t) : csv(value));
        }
        return String.join(",", values);
    }

    private List<Row> analyze(Path logs, String... config) throws IOException {
        Path out = tmp.resolve("out-" + logs.getFileName());
        List<String> args = new ArrayList<>(List.of("analyze", logs.toString(), "--out", out.toString()));
        if (config.length > 0) {
            Path file = tmp.resolve("detect-" + logs.getFileName() + ".json");
            Files.writeString(file, config[0]);
            args.addAll(List.of("--config", file.toString()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = RelayWatch.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        String summary = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, summary);
        String warehouse = out.resolve("warehouse").toString();
        Row accounting = Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.INGEST_FILES)
                .selectExpr("sum(lines_rejected)", "sum(lines_partial)").first();
        assertEquals(0L, accounting.getLong(0), summary);
        assertEquals(0L, accounting.getLong(1), summary);
        return Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.FINDINGS)
                .select("rule", "severity", "entity_type", "entity", "summary").collectAsList();
    }

    private static Row finding(List<Row> findings, String rule, String entity) {
        return findings.stream().filter(f -> f.getString(0).equals(rule) && f.getString(3).equals(entity))
                .findFirst().orElseThrow(() -> new AssertionError(rule + " " + entity + " not in " + findings));
    }

    private static void noSevereFinding(List<Row> findings, String entity) {
        for (Row f : findings) {
            boolean severe = f.getString(1).equals("high") || f.getString(1).equals("critical");
            assertTrue(!severe || !f.getString(3).equals(entity), "benign " + entity + ": " + f);
        }
    }

    @Test
    void exchange2019AloneShowsTheStolenAccountAndTheOpenConnector() throws IOException {
        Path logs = tmp.resolve("ex2019");
        List<String> recv = new ArrayList<>(List.of("#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
                "#Log-type: SMTP Receive Protocol Log", "#Date: 2026-11-10T08:00:00.000Z", RECV_FIELDS));
        List<String> trk = new ArrayList<>(List.of("#Software: Microsoft Exchange Server",
                "#Version: 15.02.1118.007", "#Log-type: Message Tracking Log", "#Date: 2026-11-10T08:00:00.000Z",
                "#Fields: " + String.join(",", TRACKING_FIELDS)));
        long internal = 237172389052000L;
        int sid = 0;
        // inbound partner mail on the default frontend connector: anonymous, no relay permission
        for (int i = 0; i < 30; i++) {
            Session s = new Session(recv, "EX01\\Default Frontend EX01", String.format("08DE1A2B%08X", sid++),
                    "192.0.2." + (40 + i % 3) + ":5" + (1000 + i), T0.plusSeconds(600L * i));
            long id = internal++;
            s.line("+", "", "").line(">", "220 ex01.contoso.example Microsoft ESMTP MAIL Service ready", "")
                    .line("<", "EHLO mx.partner.example", "").line(">", "250  ex01.contoso.example Hello", "")
                    .line("*", "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender "
                            + "AcceptRoutingHeaders", "Set Session Permissions")
                    .line("<", "MAIL FROM:<orders@partner.example>", "").line(">", "250 2.1.0 Sender OK", "")
                    .line("<", "RCPT TO:<user" + (i % 5) + "@contoso.example>", "")
                    .line(">", "250 2.1.5 Recipient OK", "").line("<", "BDAT 2048 LAST", "")
                    .line(">", "250 2.6.0 <p" + i + "@partner.example> [InternalId=" + id + ", Hostname="
                            + "EX01.contoso.example] 2048 bytes in 0.102, 20,077 KB/sec Queued mail for delivery", "")
                    .line("-", "", "Local");
            trk.add(tracking(s.t, "server-hostname", "EX01", "source", "STOREDRIVER", "event-id", "DELIVER",
                    "internal-message-id", Long.toString(id), "recipient-address", "user" + (i % 5)
                            + "@contoso.example", "sender-address", "orders@partner.example",
                    "directionality", "Incoming"));
        }
        // a roaming user on the client frontend connector from two home addresses, and the newsletter account
        for (int i = 0; i < 6; i++) {
            authenticatedSession(recv, String.format("08DE1A2B%08X", sid++), "216.160.83." + (56 + i % 2),
                    "CONTOSO\\tkoch", T0.plusSeconds(3600L * i), 1, internal++, "tkoch", 2, 5);
        }
        authenticatedSession(recv, String.format("08DE1A2B%08X", sid++), "10.10.5.60", "CONTOSO\\newsletter",
                T0.plusSeconds(7200), 1, internal++, "newsletter", 400, 5);
        // the stolen account: 14 addresses of one foreign /24, a new HELO each time, sessions of minutes
        for (int i = 0; i < 14; i++) {
            authenticatedSession(recv, String.format("08DE1A2B%08X", sid++), "175.16.199." + (10 + i),
                    "CONTOSO\\jdoe", T0.plusSeconds(40_000L + 700L * i), 6, internal, "jdoe", 3, 60);
            internal += 6;
        }
        // the open connector: anonymous outside clients allowed to relay, outside senders to outside recipients
        for (int i = 0; i < 40; i++) {
            Session s = new Session(recv, "EX01\\Anonymous Relay", String.format("08DE1A2B%08X", sid++),
                    "100.64.23." + (1 + i % 20) + ":4" + (1000 + i), T0.plusSeconds(20_000L + 300L * i));
            long id = internal++;
            s.line("+", "", "").line(">", "220 ex01.contoso.example Microsoft ESMTP MAIL Service ready", "")
                    .line("<", "EHLO spam" + i, "").line(">", "250  ex01.contoso.example Hello", "")
                    .line("*", "SMTPSubmit SMTPAcceptAnyRecipient SMTPAcceptAnySender "
                            + "SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders", "Set Session Permissions")
                    .line("<", "MAIL FROM:<promo" + i + "@forged-sender.example>", "")
                    .line(">", "250 2.1.0 Sender OK", "")
                    .line("<", "RCPT TO:<victim" + i + "@far" + (i % 25) + ".example>", "")
                    .line(">", "250 2.1.5 Recipient OK", "").line("<", "BDAT 900 LAST", "")
                    .line(">", "250 2.6.0 <s" + i + "@spam" + i + "> [InternalId=" + id + ", Hostname="
                            + "EX01.contoso.example] 900 bytes in 0.010, 90,000 KB/sec Queued mail for delivery", "")
                    .line("-", "", "Local");
            Instant later = s.t.plusSeconds(60);
            // the remote servers defer, then refuse citing a blocklist; the bounces go to the forged senders
            for (int k = 0; k < 2; k++) {
                trk.add(tracking(later.plusSeconds(900L * k), "server-hostname", "EX01", "source", "SMTP",
                        "event-id", "DEFER", "internal-message-id", Long.toString(id), "recipient-address",
                        "victim" + i + "@far" + (i % 25) + ".example", "recipient-status", "[{LED=421 4.7.0 Try "
                                + "again later};{MSG=};{FQDN=mx.far" + (i % 25) + ".example};{IP=203.0.113."
                                + (100 + i % 25) + "};{LRT=}]", "sender-address", "promo" + i
                                + "@forged-sender.example", "directionality", "Incoming"));
            }
            trk.add(tracking(later.plusSeconds(3600), "server-hostname", "EX01", "source", "SMTP", "event-id",
                    "FAIL", "internal-message-id", Long.toString(id), "recipient-address", "victim" + i + "@far"
                            + (i % 25) + ".example", "recipient-status", "[{LED=550 5.7.1 Service unavailable; "
                            + "Client host [198.51.100.9] blocked using zen.spamhaus.org};{MSG=};{FQDN=mx.far"
                            + (i % 25) + ".example};{IP=203.0.113." + (100 + i % 25) + "};{LRT=}]",
                    "sender-address", "promo" + i + "@forged-sender.example", "directionality", "Incoming"));
            long ndr = internal++;
            trk.add(tracking(later.plusSeconds(3601), "client-ip", "10.10.0.30", "client-hostname", "EX01",
                    "server-ip", "192.0.2.200", "server-hostname", "mx.forged-sender.example", "connector-id",
                    "Internet Mail", "source", "SMTP", "event-id", "SENDEXTERNAL", "internal-message-id",
                    Long.toString(ndr), "recipient-address", "promo" + i + "@forged-sender.example",
                    "recipient-status", "250 2.1.5 Ok", "return-path", "<>", "directionality", "Incoming"));
        }
        List<String> send = new ArrayList<>(List.of("#Software: Microsoft Exchange Server", "#Version: 15.0.0.0",
                "#Log-type: SMTP Send Protocol Log", "#Date: 2026-11-10T08:00:00.000Z", RECV_FIELDS));
        send.add(ISO.format(T0.plusSeconds(30_000)) + ",Internet Mail,08DE1C0000000001,0,10.10.0.30:10522,"
                + "203.0.113.25:25,+,,");
        send.add(ISO.format(T0.plusSeconds(30_000)) + ",Internet Mail,08DE1C0000000001,1,10.10.0.30:10522,"
                + "203.0.113.25:25,<,554 5.7.1 Service unavailable; Client host [198.51.100.9] blocked using "
                + "bl.spamcop.net,");
        List<String> iis = new ArrayList<>(List.of("#Software: Microsoft Internet Information Services 10.0",
                "#Version: 1.0", "#Date: 2026-11-10 00:00:00", "#Fields: date time s-ip cs-method cs-uri-stem "
                        + "cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus "
                        + "sc-win32-status time-taken"));
        DateTimeFormatter w3c = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        for (int i = 0; i < 30; i++) {
            // a password spray through OWA's forms logon (Exchange 2013+ logs the refused POST with LogoffReason)
            iis.add(w3c.format(T0.plusSeconds(5_000L + 20L * i)) + " 10.10.0.30 POST /owa/auth.owa "
                    + "&CorrelationID=<empty>;&cafeReqId=5f0c9a2e-0000-4000-8000-00000000" + (1000 + i)
                    + ";&LogoffReason=NoCookiesGetOrE14AuthPost&encoding=; 443 user" + i + "@contoso.example "
                    + "45.155.205.77 python-requests/2.31.0 - 302 0 0 15");
        }
        Path server = logs.resolve("EX01/TransportRoles/Logs");
        write(server.resolve("FrontEnd/ProtocolLog/SmtpReceive/RECV2026111008-1.LOG"), recv, true);
        write(server.resolve("FrontEnd/ProtocolLog/SmtpSend/SEND2026111008-1.LOG"), send, true);
        write(server.resolve("MessageTracking/MSGTRK2026111008-1.LOG"), trk, true);
        write(logs.resolve("EX01/inetpub/logs/LogFiles/W3SVC1/u_ex261110.log"), iis, false);

        List<Row> findings = analyze(logs, "{\"local_networks\": [\"10.10.0.0/16\"]}");
        assertTrue(finding(findings, "auth_account_abuse", "jdoe").getString(4).contains("14 outside addresses"),
                findings.toString());
        Row relay = finding(findings, "open_relay_accepted", "EX01");
        assertTrue(relay.getString(4).contains("relayed 40 messages"), relay.toString());
        finding(findings, "blacklisted_by_remote", "EX01");
        finding(findings, "backscatter", "EX01");
        finding(findings, "queue_backlog", "EX01");
        assertTrue(finding(findings, "auth_bruteforce", "45.155.205.77").getString(4).contains("30 web"),
                findings.toString());
        for (String benign : List.of("tkoch", "newsletter", "192.0.2.40", "192.0.2.0/24", "203.0.113.25",
                "203.0.113.0/24")) {
            noSevereFinding(findings, benign);
        }
        assertTrue(findings.stream().noneMatch(f -> f.getString(0).equals("auth_account_abuse")
                && !f.getString(3).equals("jdoe")), findings.toString());
    }

    /** A client frontend (587) session: AUTH as {@code logon}, {@code messages} messages, {@code seconds} long. */
    private static void authenticatedSession(List<String> recv, String id, String ip, String logon, Instant start,
                                             int messages, long firstInternal, String helo, int recipients,
                                             long seconds) {
        Session s = new Session(recv, "EX01\\Client Frontend EX01", id, ip + ":60123", start);
        s.line("+", "", "").line(">", "220 ex01.contoso.example Microsoft ESMTP MAIL Service ready", "")
                .line("<", "EHLO " + helo + id.substring(12), "").line(">", "250  ex01.contoso.example Hello", "")
                .line("<", "AUTH LOGIN", "").line(">", "334 <authentication response>", "")
                .line("*", "SMTPSubmit SMTPAcceptAnyRecipient SMTPAcceptAuthenticationFlag SMTPAcceptAnySender "
                        + "SMTPAcceptAuthoritativeDomainSender BypassAntiSpam AcceptRoutingHeaders",
                        "Set Session Permissions")
                .line("*", logon, "authenticated").line(">", "235 2.7.0 Authentication successful", "");
        String user = logon.substring(logon.indexOf('\\') + 1).toLowerCase(Locale.ROOT);
        for (int m = 0; m < messages; m++) {
            s.line("<", "MAIL FROM:<" + user + "@contoso.example>", "").line(">", "250 2.1.0 Sender OK", "");
            for (int r = 0; r < recipients; r++) {
                s.line("<", "RCPT TO:<r" + r + "@dest" + (m * 7 + r) % 97 + ".example>", "")
                        .line(">", "250 2.1.5 Recipient OK", "");
            }
            s.line("<", "DATA", "").line(">", "354 Start mail input; end with <CRLF>.<CRLF>", "")
                    .line(">", "250 2.6.0 <" + id + "." + m + "@contoso.example> [InternalId=" + (firstInternal + m)
                            + ", Hostname=EX01.contoso.example] 4000 bytes in 0.2, 20 KB/sec Queued mail for delivery",
                            "");
        }
        s.pause(seconds).line("-", "", "Local");
    }

    @Test
    void smallBusinessServer2003OpenRelayFromItsTrackingAndSmtpLogsAlone() throws IOException {
        Path logs = tmp.resolve("sbs2003");
        List<String> smtp = new ArrayList<>(List.of("#Software: Microsoft Internet Information Services 6.0",
                "#Version: 1.0", "#Date: 2026-11-10 00:00:00", "#Fields: date time c-ip cs-username s-sitename "
                        + "s-computername s-ip s-port cs-method cs-uri-stem cs-uri-query sc-status sc-win32-status "
                        + "sc-bytes cs-bytes time-taken cs-version cs-host cs(User-Agent) cs(Cookie) cs(Referer)"));
        List<String> trk = new ArrayList<>(List.of("# Message Tracking Log File",
                "# Exchange System Attendant Version 6.5.7638.1", "# " + String.join("\t", "Date", "Time",
                        "client-ip", "Client-hostname", "Partner-Name", "Server-hostname", "server-IP",
                        "Recipient-Address", "Event-ID", "MSGID", "Priority", "Recipient-Report-Status",
                        "total-bytes", "Number-Recipients", "Origination-Time", "Encryption", "service-Version",
                        "Linked-MSGID", "Message-Subject", "Sender-Address")));
        DateTimeFormatter w3c = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyy-M-d").withZone(ZoneOffset.UTC);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("H:mm:ss").withZone(ZoneOffset.UTC);
        for (int i = 0; i < 60; i++) {
            Instant t = T0.plusSeconds(120L * i);
            boolean spam = i % 2 == 0;
            String ip = spam ? "100.71.8." + (1 + i % 30) : "192.0.2.41";
            String sender = spam ? "winner" + i + "@lottery.example" : "dispatch@supplier.example";
            String rcpt = spam ? "target" + i + "@far" + (i % 20) + ".example" : "ceo@corp.example";
            String mid = (spam ? "S" : "P") + i + "@" + (spam ? "lottery.example" : "supplier.example");
            String helo = spam ? "host" + i : "mx.supplier.example";
            for (String[] cmd : List.of(new String[] {"EHLO", "+" + helo}, new String[] {"MAIL",
                    "+FROM:<" + sender + ">"}, new String[] {"RCPT", "+TO:<" + rcpt + ">"},
                    new String[] {"DATA", "<" + mid + ">"})) {
                smtp.add(w3c.format(t) + " " + ip + " " + helo + " SMTPSVC1 SBS 192.168.1.2 0 " + cmd[0] + " - "
                        + cmd[1] + " 250 0 40 20 0 SMTP - - - -");
            }
            String stamp = day.format(t) + "\t" + time.format(t) + " GMT";
            String rest = "\t0\t0\t2048\t1\t" + day.format(t) + " " + time.format(t) + " GMT\t0\tVersion: "
                    + "6.0.3790.3959\t-\tsubject\t" + sender + "\t-";
            trk.add(stamp + "\t" + ip + "\t" + helo + "\t-\tSBS\t192.168.1.2\t" + rcpt + "\t1019\t" + mid + rest);
            Instant out = t.plusSeconds(5);
            String outStamp = day.format(out) + "\t" + time.format(out) + " GMT";
            if (spam) {
                trk.add(outStamp + "\t203.0.113." + (100 + i % 20) + "\tmx.far" + (i % 20) + ".example\tmx.far"
                        + (i % 20) + ".example\tSBS\t192.168.1.2\t" + rcpt + "\t1031\t" + mid + rest);
            } else {
                trk.add(outStamp + "\t192.168.1.2\tSBS\t-\tSBS\t192.168.1.2\t" + rcpt + "\t1028\t" + mid + rest);
            }
        }
        write(logs.resolve("SBS/WINDOWS/system32/LogFiles/SMTPSVC1/ex261110.log"), smtp, false);
        write(logs.resolve("SBS/Exchsrvr/SBS.log/20261110.log"), trk, false);

        List<Row> findings = analyze(logs);
        Row relay = finding(findings, "open_relay_accepted", "SBS");
        assertTrue(relay.getString(4).contains("relayed 30 messages"), relay.toString());
        noSevereFinding(findings, "192.0.2.41");
    }
}
