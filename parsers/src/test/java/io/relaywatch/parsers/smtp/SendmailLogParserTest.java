package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.schema.SmtpEventColumn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendmailLogParserTest {

    private static LineParser parser() {
        return new SendmailLogParser().open(ParseContext.forYear("t", 2026));
    }

    @Test
    void oneRowPerRecipient() {
        ParseResult r = parser().parse("Nov  9 07:20:02 mx2 sm-mta[6102]: 4A97K1aB006101: to=<a@c.example>,"
                + "<b@c.example>,c@d.example, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=1,"
                + " relay=mx.c.example. [198.51.100.30], dsn=2.0.0, stat=Sent (Ok: queued as 9AB12C0D3E)");
        List<EventRecord> rows = r.records();
        assertEquals(3, rows.size());
        assertEquals(List.of("a@c.example", "b@c.example", "c@d.example"),
                rows.stream().map(x -> x.get(SmtpEventColumn.RECIPIENT)).toList());
        for (EventRecord row : rows) {
            assertEquals("delivered", row.get(SmtpEventColumn.EVENT));
            assertEquals("9AB12C0D3E", row.get(SmtpEventColumn.NEXT_QUEUE_ID));
            assertEquals("mx.c.example", row.get(SmtpEventColumn.RELAY_HOST));
        }
    }

    @Test
    void injectedRelayInAuthFailureIsIgnored() {
        EventRecord r = parser().parse("Feb 25 04:02:28 mx2 sendmail[1]: 06I02CNi016765: AUTH failure (LOGIN):"
                + " authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=x,"
                + " relay=[192.0.2.100], relay=[192.0.2.4] (may be forged)").records().get(0);
        assertEquals("192.0.2.4", r.get(SmtpEventColumn.CLIENT_IP));
        assertEquals("x, relay=[192.0.2.100]", r.get(SmtpEventColumn.SASL_USERNAME));
        assertEquals("LOGIN", r.get(SmtpEventColumn.SASL_METHOD));
    }

    @Test
    void fromLineRelayIsTheClient() {
        EventRecord r = parser().parse("Nov  9 07:20:01 mx2 sm-mta[6101]: 4A97K1aB006101: from=<s@shop.example>,"
                + " size=3120, class=0, nrcpts=2, msgid=<m@x>, proto=ESMTP, daemon=MTA,"
                + " relay=ws1.shop.example [IPv6:2001:db8::12] (may be forged)").records().get(0);
        assertEquals("message_accepted", r.get(SmtpEventColumn.EVENT));
        assertEquals("2001:db8::12", r.get(SmtpEventColumn.CLIENT_IP));
        assertEquals("ws1.shop.example", r.get(SmtpEventColumn.CLIENT_HOST));
        assertNull(r.get(SmtpEventColumn.RELAY_IP));
    }

    @Test
    void queueIdsAndDelays() {
        assertTrue(SendmailLogParser.isQueueId("s1GNXHYB005133"));
        assertTrue(SendmailLogParser.isQueueId("xA32R2PQ3529566"));
        assertFalse(SendmailLogParser.isQueueId("ruleset=check"));
        assertEquals(93784.0, SendmailLogParser.delay("1+02:03:04"));
        assertEquals(61.0, SendmailLogParser.delay("00:01:01"));
        assertNull(SendmailLogParser.delay("soon"));
    }

    @Test
    void facilityLevelBeforeHost() {
        EventRecord r = parser().parse("Jul 31 13:03:43 <mail.notice> mx2 sm-mta[24291]: 56VFYCxS024291: lost input"
                + " channel from mail.example [198.51.100.20] to MTA-v4 after rcpt").records().get(0);
        assertEquals("mx2", r.get(SmtpEventColumn.MTA_HOST));
        assertEquals("lost_connection", r.get(SmtpEventColumn.EVENT));
        assertEquals("198.51.100.20", r.get(SmtpEventColumn.CLIENT_IP));
    }
}
