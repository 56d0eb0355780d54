package io.relaywatch.parsers;

import io.relaywatch.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inputs {@link ParserFuzzTest} found bugs with, kept as plain regression tests. */
class FuzzFindingsTest {

    private static List<ParseResult> parse(String format, String... lines) {
        LogParser parser = LogFormats.byName(format).orElseThrow();
        LineParser raw = parser.open(ParseContext.forYear("findings", 2026));
        FileParser file = new FileParser(parser, ParseContext.forYear("findings", 2026));
        long n = 0;
        List<ParseResult> results = new java.util.ArrayList<>();
        for (String line : lines) {
            raw.parse(line); // must not throw
            results.add(file.parse(line, ++n));
        }
        return results;
    }

    private static Object value(ParseResult result, String column) {
        TableSchema table = result.records().get(0).table();
        return result.records().get(0).get(table.column(column).orElseThrow());
    }

    @Test
    void zeekDuplicateFieldNamesDoNotIndexPastTheRecord() {
        List<ParseResult> r = parse("zeek_smtp", "#fields\tuid\tuid\trcptto", "1794258000.1\t");
        assertEquals(ParseResult.Kind.REJECTED, r.get(1).kind());
        r = parse("zeek_smtp", "#fields\tts\tuid\tuid\trcptto", "1794258000.1\tC1\tC1\ta@b.example");
        assertEquals(ParseResult.Kind.PARSED, r.get(1).kind());
        assertEquals("C1", value(r.get(1), "session_id"));
    }

    @Test
    void zeekEpochBeyondInstantRangeIsNoTime() {
        List<ParseResult> r = parse("zeek_smtp", "#fields\tts\tuid\trcptto",
                "9999999999999999999.123456\tC1\ta@b.example", "1e999\tC1\ta@b.example");
        assertTrue(r.get(1).isPartial());
        assertNull(value(r.get(1), "ts"));
        assertNull(value(r.get(2), "ts"));
    }

    @Test
    void numbersThatOverflowOrLeaveTheirRangeAreNull() {
        assertNull(Values.toLong("9999999999999999999"));
        assertNull(Values.toLong("9223372036854775808"));
        assertEquals(Long.MAX_VALUE, Values.toLong("9223372036854775807"));
        assertNull(Values.toPort("99999"));
        assertNull(Values.toPort("-1"));
        assertEquals(65535, Values.toPort("65535"));
        assertNull(Values.toCount("-1"));
        assertNull(Values.toStatus("99999"));
        // exim: "[192.0.2.17]:99999999999999999999" gave client_port 99999
        List<ParseResult> r = parse("exim",
                "2026-11-09 08:00:15 H=mta.example [192.0.2.17]:99999 sender verify fail for <x@mta.example>: x");
        assertNull(value(r.get(0), "client_port"));
    }

    @Test
    void ipv6NeedsAsciiHexAndAZone() {
        assertFalse(Values.isIp("::\uff11"));
        assertFalse(Values.isIp("\u0661\u0662:db8::5"));
        assertFalse(Values.isIp("fe80::1%"));
        assertFalse(Values.isIp("fe80::1%eth0\u0000"));
        assertFalse(Values.isIp(":001:db8::99"));
        assertFalse(Values.isIp("::ffff:%99.2.3.4"));
        assertTrue(Values.isIp("fe80::1%eth0"));
        assertTrue(Values.isIp("::ffff:1.2.3.4"));
        assertTrue(Values.isIp("::"));
    }

    @Test
    void timestampsOutsideTheYears1970To9999AreDropped() {
        List<ParseResult> r = parse("exchange_smtp_protocol",
                "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,"
                        + "context",
                "-2026-11-09T07:10:00.100Z,OWA\\Default Frontend OWA,08DC0A1B2C3D4E70,0,10.10.0.30:25,"
                        + "203.0.113.71:50123,+,,");
        assertTrue(r.get(1).isPartial(), r.get(1).toString());
        assertNull(value(r.get(1), "ts"));
        assertNull(value(r.get(1), "event_date"));
    }

    @Test
    void iisSmtpStatusThatIsNoReplyCodeIsNotOne() {
        List<ParseResult> r = parse("iis_smtp", "2026-11-12 07:15:01 10.10.0.50 app01.acme.example SMTPSVC1 "
                + "LEGACY-SMTP 10.10.0.40 0 EHLO - +app01.acme.example 22 0 253 22 0 SMTP - - - -");
        assertNull(value(r.get(0), "smtp_code"));
    }

    @Test
    void webClientIsAnAddressOrAHostName() {
        List<ParseResult> r = parse("access_log",
                "Googlebot/2.1 - - [09/Nov/2026:03:00:00 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
                "crawler.example - - [09/Nov/2026:03:00:00 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
        assertNull(value(r.get(0), "client_ip"));
        assertEquals("crawler.example", value(r.get(1), "client_ip"));
    }

    @Test
    void delaysBelowZeroAreNoDelays() {
        List<ParseResult> r = parse("postfix", "Nov  9 07:13:12 mx1 postfix/lmtp[5303]: 2B3C4D5E6F70: to=<a@b.example>,"
                + " relay=m[private/dovecot-lmtp], delay=-1.05, delays=0/0/0/0, dsn=2.0.0, status=sent (250 ok)");
        assertNull(value(r.get(0), "delay_s"));
        r = parse("sendmail", "Nov  9 07:20:02 mx2 sm-mta[6102]: 4A97K1aB006101: to=<a@b.example>,"
                + " delay=-1+00:00:01, mailer=esmtp, dsn=2.0.0, stat=Sent",
                "Nov  9 07:20:02 mx2 sm-mta[6102]: 4A97K1aB006101: to=<a@b.example>, delay=-1:00:01, mailer=esmtp,"
                        + " dsn=2.0.0, stat=Sent");
        assertNull(value(r.get(0), "delay_s"));
        assertNull(value(r.get(1), "delay_s"));
    }
}
