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

    @Test
    void messagesWithoutTagAreSendmailsOnlyByItsOwnWording() {
        assertTrue(SendmailLogParser.isSendmailMessage("4AA9UBaL007015: from=<a@b.example>, size=5120, class=0,"
                + " nrcpts=1, proto=ESMTP, daemon=MTA, relay=x.example [198.51.100.20]"));
        assertTrue(SendmailLogParser.isSendmailMessage("4AA9UBaL007015: to=<a@b.example>, delay=00:00:00,"
                + " mailer=local, pri=35120, dsn=2.0.0, stat=Sent"));
        assertTrue(SendmailLogParser.isSendmailMessage("ruleset=check_relay, arg1=bot.example, arg2=192.0.2.79,"
                + " relay=bot.example [192.0.2.79], reject=421 4.3.2 Connection rate limit exceeded."));
        assertTrue(SendmailLogParser.isSendmailMessage("4AA9UDaN007017: [203.0.113.42]: possible SMTP attack:"
                + " command=AUTH, count=5"));
        // Postfix's queue manager and delivery lines, whose ids can look like Sendmail's
        assertFalse(SendmailLogParser.isSendmailMessage("1D8CC1CA0123: from=<a@b.example>, size=2145, nrcpt=1"
                + " (queue active)"));
        assertFalse(SendmailLogParser.isSendmailMessage("1D8CC1CA0123: to=<a@b.example>, relay=x[192.0.2.30]:25,"
                + " delay=1.2, delays=0.1/0.01/0.5/0.59, dsn=2.0.0, status=sent (250 ok)"));
        assertFalse(SendmailLogParser.isSendmailMessage("DSN: User unknown"));
        assertFalse(SendmailLogParser.isSendmailMessage("4AA9UHaS007021: something sendmail never said"));
        assertFalse(SendmailLogParser.isSendmailMessage("connect from unknown[203.0.113.9]"));
    }

    @Test
    void linesWithoutSyslogHeaderHaveNoTimeAndSayWhy() {
        LineParser p = parser();
        ParseResult tagged = p.parse("sm-mta[7014]: 4AA9UAaK007014: <ghost@shop.example>... User unknown");
        assertEquals("no syslog header: time unknown", tagged.reason());
        assertNull(tagged.records().get(0).get(SmtpEventColumn.TS));
        assertEquals("sm-mta[7014]", tagged.records().get(0).get(SmtpEventColumn.SESSION_ID));
        ParseResult bare = p.parse("4AA9UBaL007015: to=<ceo@shop.example>, delay=00:00:00, mailer=local,"
                + " pri=35120, dsn=2.0.0, stat=Sent");
        assertTrue(bare.reason().startsWith("no syslog header or program tag: time unknown"), bare.reason());
        EventRecord r = bare.records().get(0);
        assertNull(r.get(SmtpEventColumn.TS));
        assertNull(r.get(SmtpEventColumn.MTA_HOST));
        assertNull(r.get(SmtpEventColumn.SESSION_ID));
        assertEquals("delivered", r.get(SmtpEventColumn.EVENT));
        assertEquals(ParseResult.Kind.REJECTED, p.parse("4AA9UHaS007021: something sendmail never said").kind());
    }
}
