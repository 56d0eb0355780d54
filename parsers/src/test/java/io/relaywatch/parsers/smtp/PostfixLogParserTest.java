package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.schema.SmtpEventColumn;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostfixLogParserTest {

    private static EventRecord one(LineParser p, String line) {
        ParseResult r = p.parse(line);
        assertEquals(ParseResult.Kind.PARSED, r.kind(), () -> String.valueOf(r.reason()));
        assertEquals(1, r.records().size());
        return r.records().get(0);
    }

    private static LineParser parser() {
        return new PostfixLogParser().open(ParseContext.forYear("t", 2026));
    }

    @Test
    void queueIds() {
        assertTrue(PostfixLogParser.isQueueId("3F2A81C0B4E"));
        assertTrue(PostfixLogParser.isQueueId("4Nf7Tq2Zx9z1Pq"));
        assertTrue(PostfixLogParser.isQueueId("44JCRG5tYPzCqt2"));
        assertFalse(PostfixLogParser.isQueueId("warning"));
        assertFalse(PostfixLogParser.isQueueId("NOQUEUE"));
        assertFalse(PostfixLogParser.isQueueId("statistics"));
        assertFalse(PostfixLogParser.isQueueId("connect from x"));
    }

    @Test
    void nextQueueIdAndCodeFromReplies() {
        Smtp.Reply sent = Smtp.reply("250 2.0.0 Ok: queued as 4Nf7Ts1Yy8z2Qs");
        assertEquals(250, sent.code);
        assertEquals("2.0.0", sent.dsn);
        assertEquals("4Nf7Ts1Yy8z2Qs", sent.nextQueueId);
        assertEquals("1sAbCi-000128-KL", Smtp.reply("250 OK id=1sAbCi-000128-KL").nextQueueId);
        assertEquals("4A97K7aH006105", Smtp.reply("250 2.0.0 4A97K7aH006105 Message accepted for delivery").nextQueueId);
        Smtp.Reply said = Smtp.reply("host mx.example[198.51.100.7] said: 550 5.7.1 <a@b>: Relay access denied"
                + " (in reply to RCPT TO command)");
        assertEquals(550, said.code);
        assertEquals("198.51.100.7", said.peer.ip);
        assertNull(said.nextQueueId);
        Smtp.Reply refused = Smtp.reply("connect to mx.example[203.0.113.9]:25: Connection refused");
        assertNull(refused.code);
        assertEquals(25, refused.peer.port);
        assertNull(Smtp.reply("9999 text").code);
    }

    @Test
    void deliveryWithQueuedAs() {
        EventRecord r = one(parser(), "Nov  9 07:13:12 mx1 postfix/smtp[5300]: 3F2A81C0B4E: to=<b@c.example>,"
                + " relay=mx.c.example[198.51.100.30]:25, delay=1.2, delays=0.1/0.01/0.5/0.59, dsn=2.0.0,"
                + " status=sent (250 2.0.0 Ok: queued as 9AB12C0D3E)");
        assertEquals("delivered", r.get(SmtpEventColumn.EVENT));
        assertEquals("9AB12C0D3E", r.get(SmtpEventColumn.NEXT_QUEUE_ID));
        assertEquals(250, r.get(SmtpEventColumn.SMTP_CODE));
        assertEquals(1.2, r.get(SmtpEventColumn.DELAY_S));
        assertEquals(25, r.get(SmtpEventColumn.RELAY_PORT));
    }

    @Test
    void unknownClientIsNullAndSessionIdNamesTheProcess() {
        EventRecord r = one(parser(), "Nov  9 07:12:01 mx1 postfix/submission/smtpd[4101]: connect from"
                + " unknown[203.0.113.45]");
        assertNull(r.get(SmtpEventColumn.CLIENT_HOST));
        assertEquals("mx1/postfix/submission/smtpd[4101]", r.get(SmtpEventColumn.SESSION_ID));
    }

    @Test
    void decemberToJanuaryRollsTheYear() {
        LineParser p = new PostfixLogParser().open(new ParseContext("t", ZoneId.of("UTC"), 2025, null));
        Instant dec = (Instant) one(p, "Dec 31 23:59:59 mx1 postfix/qmgr[1]: 3F2A81C0B4E: removed")
                .get(SmtpEventColumn.TS);
        Instant jan = (Instant) one(p, "Jan  1 00:00:01 mx1 postfix/qmgr[1]: 3F2A81C0B4F: removed")
                .get(SmtpEventColumn.TS);
        assertEquals(Instant.parse("2025-12-31T23:59:59Z"), dec);
        assertEquals(Instant.parse("2026-01-01T00:00:01Z"), jan);
    }

    @Test
    void singleDigitDayWithOneSpace() {
        EventRecord r = one(parser(), "Mar 7 02:09:33 mx1 postfix/smtpd[1]: connect from unknown[192.0.2.1]");
        assertEquals(Instant.parse("2026-03-07T02:09:33Z"), r.get(SmtpEventColumn.TS));
    }

    @Test
    void otherProgramsAndGarbageAreRejected() {
        assertEquals(ParseResult.Kind.REJECTED, parser().parse("Nov  9 07:12:05 mx1 kernel: eth0 up").kind());
        assertEquals(ParseResult.Kind.REJECTED, parser().parse("garbage").kind());
        assertEquals(ParseResult.Kind.REJECTED,
                parser().parse("Feb 30 07:12:06 mx1 postfix/smtpd[1]: connect from unknown[192.0.2.2]").kind());
    }

    @Test
    void componentIsInferredOnlyFromWordingThatIsPostfixAlone() {
        assertEquals("smtpd", PostfixLogParser.componentOf("connect from unknown[203.0.113.9]"));
        assertEquals("smtpd", PostfixLogParser.componentOf("NOQUEUE: lost connection after CONNECT from unknown[192.0.2.8]"));
        assertEquals("smtpd", PostfixLogParser.componentOf(
                "NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 <a@b.example>: Relay access denied;"
                        + " from=<c@d.example> to=<a@b.example> proto=ESMTP helo=<x>"));
        assertEquals("postscreen", PostfixLogParser.componentOf(
                "NOQUEUE: reject: RCPT from [192.0.2.100]:50011: 550 5.7.1 Service unavailable; from=<x@y.example>"));
        assertEquals("qmgr", PostfixLogParser.componentOf("1D8CC1CA0A7F: from=<a@b.example>, size=10, nrcpt=1 (queue active)"));
        assertEquals("qmgr", PostfixLogParser.componentOf("1D8CC1CA0A7F: removed"));
        assertEquals("cleanup", PostfixLogParser.componentOf("1D8CC1CA0A7F: message-id=<x@y.example>"));
        assertEquals("smtp", PostfixLogParser.componentOf("1D8CC1CA0A7F: to=<a@b.example>, relay=mx.b.example"
                + "[192.0.2.30]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)"));
        assertEquals("local", PostfixLogParser.componentOf("1D8CC1CA0A7F: to=<root@x.example>, relay=local, delay=0,"
                + " dsn=2.0.0, status=sent (delivered to mailbox)"));
        assertEquals("", PostfixLogParser.componentOf("1D8CC1CA0A7F: to=<a@b.example>, relay=none, delay=30,"
                + " dsn=4.4.1, status=deferred (connect to x[192.0.2.9]:25: Connection refused)"));
        // other software's words, and Postfix's words that are not Postfix's alone
        assertNull(PostfixLogParser.componentOf("warning: TLS library problem: error:0A000126"));
        assertNull(PostfixLogParser.componentOf("statistics: max connection rate 12/60s for (smtp:192.0.2.84)"));
        assertNull(PostfixLogParser.componentOf("connect from somewhere"));
        assertNull(PostfixLogParser.componentOf("removed"));
        assertNull(PostfixLogParser.componentOf("4A97U5aD007005: from=<a@b.example>, size=1, class=0, nrcpts=1,"
                + " relay=x [192.0.2.1]"));
        assertNull(PostfixLogParser.componentOf("1D8CC1CA0123: to=<a@b.example>, delay=00:00:01, mailer=esmtp,"
                + " relay=x. [192.0.2.30], dsn=2.0.0, stat=Sent"));
        assertNull(PostfixLogParser.componentOf("192.0.2.1 - - [10/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 1"));
    }

    @Test
    void linesWithoutSyslogHeaderHaveNoTimeAndSayWhy() {
        LineParser p = parser();
        ParseResult tagged = p.parse("postfix/smtpd[4101]: connect from unknown[203.0.113.9]");
        assertEquals("no syslog header: time unknown", tagged.reason());
        EventRecord r = tagged.records().get(0);
        assertNull(r.get(SmtpEventColumn.TS));
        assertNull(r.get(SmtpEventColumn.MTA_HOST));
        assertEquals("postfix/smtpd[4101]", r.get(SmtpEventColumn.SESSION_ID));
        ParseResult bare = p.parse("disconnect from unknown[203.0.113.9] ehlo=1 quit=1 commands=2");
        assertTrue(bare.isPartial());
        assertTrue(bare.reason().startsWith("no syslog header or program tag: time unknown"), bare.reason());
        EventRecord b = bare.records().get(0);
        assertNull(b.get(SmtpEventColumn.TS));
        assertNull(b.get(SmtpEventColumn.MTA_HOST));
        // no host and no pid: no session, rather than one session for every such line
        assertNull(b.get(SmtpEventColumn.SESSION_ID));
        assertEquals("postfix/smtpd", b.get(SmtpEventColumn.PROGRAM));
        assertEquals("disconnect", b.get(SmtpEventColumn.EVENT));
        assertEquals(ParseResult.Kind.REJECTED, p.parse("warning: TLS library problem: eof").kind());
        assertEquals("not a postfix line: program 'sshd'",
                p.parse("sshd[811]: Accepted publickey for admin from 192.0.2.10 port 50000 ssh2").reason());
    }

    @Test
    void programNamedPostfixAloneTakesItsComponentFromTheMessage() {
        LineParser p = parser();
        EventRecord rfc5424 = one(p, "<22>1 2026-11-10T10:00:05+01:00 mx1 postfix 4101 - - disconnect from"
                + " unknown[203.0.113.9] ehlo=1 commands=1");
        assertEquals("postfix/smtpd", rfc5424.get(SmtpEventColumn.PROGRAM));
        assertEquals("mx1/postfix/smtpd[4101]", rfc5424.get(SmtpEventColumn.SESSION_ID));
        assertEquals(Instant.parse("2026-11-10T09:00:05Z"), rfc5424.get(SmtpEventColumn.TS));
        EventRecord nested = one(p, "Nov 10 10:00:04 mx1 postfix[4120]: postfix/postlog: starting the Postfix mail"
                + " system");
        assertEquals("postfix/postlog", nested.get(SmtpEventColumn.PROGRAM));
        ParseResult nil = p.parse("<22>1 - mx1 postfix/qmgr 880 - - 1D8CC1CA0A7F: removed");
        assertEquals("no time in the syslog header", nil.reason());
    }
}
