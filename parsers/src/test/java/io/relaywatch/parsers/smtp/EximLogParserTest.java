package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.schema.SmtpEventColumn;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EximLogParserTest {

    private static LineParser parser(String zone) {
        return new EximLogParser().open(new ParseContext("t", ZoneId.of(zone), 2026, null));
    }

    @Test
    void zoneLessTimesUseTheContextZoneUnlessAnOffsetIsLogged() {
        LineParser p = parser("Europe/Berlin");
        Instant local = (Instant) p.parse("2026-11-09 07:12:03 1sAbCd-000123-AB Completed").records().get(0)
                .get(SmtpEventColumn.TS);
        Instant offset = (Instant) p.parse("2026-11-09 07:12:03 -0500 1sAbCd-000123-AB Completed").records()
                .get(0).get(SmtpEventColumn.TS);
        assertEquals(Instant.parse("2026-11-09T06:12:03Z"), local);
        assertEquals(Instant.parse("2026-11-09T12:12:03Z"), offset);
    }

    @Test
    void messageIdsOldAndNew() {
        assertTrue(EximLogParser.isMessageId("1ahr79-0006jK-G9", 0, 16));
        assertTrue(EximLogParser.isMessageId("1rKMyT-00000007zSJ-2Hwp", 0, 23));
        assertFalse(EximLogParser.isMessageId("dovecot_login_xx", 0, 16));
    }

    @Test
    void arrivalGivesOneRowPerRecipient() {
        List<EventRecord> rows = parser("UTC").parse("2026-11-09 07:12:01 1sAbCd-000123-AB <= s@shop.example"
                + " H=ws1.shop.example (ws1) [198.51.100.12]:51234 P=esmtpa A=login:s@shop.example S=10"
                + " T=\"a \\\"b\\\" c\" for x@c.example y@c.example").records();
        assertEquals(2, rows.size());
        assertEquals("y@c.example", rows.get(1).get(SmtpEventColumn.RECIPIENT));
        assertEquals("a \"b\" c", rows.get(0).get(SmtpEventColumn.SUBJECT));
        assertEquals("s@shop.example", rows.get(0).get(SmtpEventColumn.SASL_USERNAME));
        assertEquals("ws1", rows.get(0).get(SmtpEventColumn.HELO));
    }

    @Test
    void injectedHostInProtocolErrorIsIgnored() {
        EventRecord r = parser("UTC").parse("2017-11-28 14:14:32 SMTP protocol error in \"aUtH lOgIn\" H=(test)"
                + " [8.8.8.8]\" H=(roxzgj) [192.0.2.6] AUTH command used when not advertised").records().get(0);
        assertEquals("192.0.2.6", r.get(SmtpEventColumn.CLIENT_IP));
    }

    @Test
    void durations() {
        assertEquals(162.0, EximLogParser.duration("2m42s"));
        assertEquals(0.349, EximLogParser.duration("0.349s"));
        assertEquals(90000.0, EximLogParser.duration("1d1h"));
        assertNull(EximLogParser.duration("x"));
    }

    @Test
    void w3cLinesAreNotExim() {
        assertEquals(ParseResult.Kind.REJECTED, parser("UTC").parse("2026-11-09 07:12:05 192.0.2.1 GET /index.html"
                + " - 80 - 198.51.100.7 Mozilla/5.0 200 0 0 12").kind());
    }

    @Test
    void messagesWithoutTimestampOrTagAreEximsOnlyByItsOwnWording() {
        assertTrue(EximLogParser.isEximMessage("1sAbCg-000126-GH Completed"));
        assertTrue(EximLogParser.isEximMessage("1r6Bwm-000000002h3-2n4V <= a@b.example H=(x) [192.0.2.1] P=esmtp"));
        assertTrue(EximLogParser.isEximMessage("[5130] 1sAbCh-000127-IJ <= a@b.example"));
        assertTrue(EximLogParser.isEximMessage("SMTP connection from [192.0.2.10]:50001 (TCP/IP connection count = 1)"));
        assertTrue(EximLogParser.isEximMessage("plain_server authenticator failed for ([192.0.2.17]) [192.0.2.27]: 535"
                + " Incorrect authentication data"));
        assertTrue(EximLogParser.isEximMessage("H=(x) [203.0.113.78]:3755 F=<a@b.example> rejected RCPT <c@d.example>:"
                + " relay not permitted"));
        assertFalse(EximLogParser.isEximMessage("H=[not an address] rejected"));
        assertFalse(EximLogParser.isEximMessage("connect from unknown[203.0.113.9]"));
        assertFalse(EximLogParser.isEximMessage("the login authenticator failed for me"));
        assertFalse(EximLogParser.isEximMessage("Completed"));
    }

    @Test
    void linesWithoutSyslogHeaderTakeEximsOwnTimeOrHaveNone() {
        LineParser p = parser("Europe/Berlin");
        ParseResult dated = p.parse("exim[5127]: 2026-11-10 10:00:10 1sAbCf-000125-EF <= <> U=Debian-exim P=local");
        assertNull(dated.reason());
        assertEquals(Instant.parse("2026-11-10T09:00:10Z"), dated.records().get(0).get(SmtpEventColumn.TS));
        ParseResult tagged = p.parse("exim[5126]: 1sAbCe-000124-CD Completed");
        assertEquals("no syslog header: time unknown", tagged.reason());
        assertEquals("exim[5126]", tagged.records().get(0).get(SmtpEventColumn.SESSION_ID));
        ParseResult bare = p.parse("1sAbCg-000126-GH <= news@partner.example H=mail.partner.example"
                + " [198.51.100.20]:41234 P=esmtps S=5120 for a@b.example c@d.example");
        assertTrue(bare.reason().startsWith("no syslog header or program tag: time unknown"), bare.reason());
        assertEquals(2, bare.records().size());
        for (EventRecord r : bare.records()) {
            assertNull(r.get(SmtpEventColumn.TS));
            assertNull(r.get(SmtpEventColumn.MTA_HOST));
            assertEquals("exim", r.get(SmtpEventColumn.PROGRAM));
        }
        assertEquals(ParseResult.Kind.REJECTED, p.parse("connect from unknown[203.0.113.9]").kind());
    }
}
