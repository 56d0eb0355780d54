package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format detection on files made only of lines without syslog header (journalctl {@code -o cat}, a container's
 * output): the MTA parsers read such lines by their wording, so a file of them must still be told apart, and text that
 * is no MTA's log must not start to look like one.
 */
class CollectorLinesDetectionTest {

    static final Set<String> MTAS = Set.of("postfix", "sendmail", "exim");

    static LogFormats.Detection detect(List<String> lines) {
        return LogFormats.detect(lines, ParseContext.forYear("sample", 2026));
    }

    static void assertDetected(String format, List<String> lines) {
        LogFormats.Detection d = detect(lines);
        assertTrue(d.found(), d.describe());
        assertEquals(format, d.parser().format(), d.describe());
    }

    static void assertNoMta(List<String> lines) {
        LogFormats.Detection d = detect(lines);
        assertFalse(d.found() && MTAS.contains(d.parser().format()), d.describe());
    }

    @Test
    void postfixMessagesWithoutTagAreDetectedAsPostfix() {
        assertDetected("postfix", List.of(
                "connect from unknown[203.0.113.70]",
                "warning: unknown[203.0.113.70]: SASL LOGIN authentication failed: authentication failure",
                "lost connection after AUTH from unknown[203.0.113.70]",
                "disconnect from unknown[203.0.113.70] ehlo=1 auth=0/1 rset=1 commands=2/3",
                "connect from dsl-9.isp.example[198.51.100.9]",
                "Anonymous TLS connection established from dsl-9.isp.example[198.51.100.9]: TLSv1.3 with cipher"
                        + " TLS_AES_256_GCM_SHA384 (256/256 bits)",
                "2B3C4D5E6F70: client=dsl-9.isp.example[198.51.100.9], sasl_method=LOGIN, sasl_username=a@shop.example",
                "2B3C4D5E6F70: message-id=<abc.123@shop.example>",
                "2B3C4D5E6F70: from=<a@shop.example>, size=5120, nrcpt=1 (queue active)",
                "2B3C4D5E6F70: to=<b@customer.example>, relay=mx.customer.example[192.0.2.30]:25, delay=1.2,"
                        + " delays=0.1/0.01/0.5/0.59, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9AB12C0D3E)",
                "2B3C4D5E6F70: removed",
                "disconnect from dsl-9.isp.example[198.51.100.9] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6",
                "warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading"));
    }

    @Test
    void postfixLinesWithTagOnlyAreDetectedAsPostfix() {
        assertDetected("postfix", List.of(
                "postfix/postlog: starting the Postfix mail system",
                "postfix/master[1]: daemon started -- version 3.7.11, configuration /etc/postfix",
                "postfix/smtpd[4104]: connect from unknown[192.0.2.50]",
                "postfix/smtpd[4104]: lost connection after CONNECT from unknown[192.0.2.50]",
                "postfix/smtpd[4104]: disconnect from unknown[192.0.2.50] commands=0/0"));
    }

    @Test
    void sendmailMessagesWithoutTagAreDetectedAsSendmail() {
        assertDetected("sendmail", List.of(
                "4AA9UBaL007015: from=<news@partner.example>, size=5120, class=0, nrcpts=1,"
                        + " msgid=<abc.123@partner.example>, proto=ESMTP, daemon=MTA, relay=mail.partner.example"
                        + " [198.51.100.20]",
                "4AA9UBaL007015: to=<ceo@shop.example>, delay=00:00:00, xdelay=00:00:00, mailer=local, pri=35120,"
                        + " dsn=2.0.0, stat=Sent",
                "STARTTLS=server, relay=mail.partner.example [198.51.100.20], version=TLSv1.3, verify=NO,"
                        + " cipher=TLS_AES_256_GCM_SHA384, bits=256/256",
                "4AA9UDaN007017: [203.0.113.42]: possible SMTP attack: command=AUTH, count=5",
                "4AA9UEaO007018: scanner.example [192.0.2.81] did not issue MAIL/EXPN/VRFY/ETRN during connection"
                        + " to MTA"));
    }

    @Test
    void eximMessagesWithoutTimestampOrTagAreDetectedAsExim() {
        assertDetected("exim", List.of(
                "SMTP connection from [203.0.113.10]:50001 I=[198.51.100.1]:25 (TCP/IP connection count = 1)",
                "1sAbCg-000126-GH <= news@partner.example H=mail.partner.example [198.51.100.20]:41234 P=esmtps"
                        + " S=5120 id=abc.123@partner.example",
                "1sAbCg-000126-GH => ceo <ceo@shop.example> R=local_user T=mail_spool",
                "1sAbCg-000126-GH Completed",
                "login authenticator failed for (ylmf-pc) [192.0.2.10]:50001: 535 Incorrect authentication data",
                "SMTP connection from (ylmf-pc) [192.0.2.10]:50001 I=[198.51.100.1]:25 lost"));
    }

    @Test
    void proseIsNoMtaLog() {
        assertNoMta(List.of(
                "Release notes",
                "",
                "The relay now removes stale entries. Clients connect from any address listed below;",
                "connect from the office network first, then from home.",
                "warning: this version changes the configuration format.",
                "Note: removed the old option; use the new one.",
                "Status: sent to review, delivered later.",
                "to=<someone> is how the address is written in the examples.",
                "See the manual for details: section 4."));
    }

    @Test
    void otherLogsAreNotTakenForAnMta() {
        List<String> access = List.of(
                "203.0.113.9 - - [10/Nov/2026:10:00:00 +0100] \"GET / HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0\"",
                "198.51.100.7 - - [10/Nov/2026:10:00:01 +0100] \"POST /login HTTP/1.1\" 302 0 \"-\" \"curl/8.0\"",
                "192.0.2.44 - - [10/Nov/2026:10:00:02 +0100] \"GET /connect from HTTP/1.1\" 404 12 \"-\" \"x\"");
        assertNoMta(access);
        assertDetected("access_log", access);
        assertNoMta(List.of(
                "Nov 10 10:00:00 host sshd[811]: Accepted publickey for admin from 192.0.2.10 port 50000 ssh2",
                "Nov 10 10:00:01 host CRON[900]: (root) CMD (run-parts /etc/cron.hourly)",
                "Nov 10 10:00:02 host systemd[1]: Started Session 7 of user admin.",
                "Nov 10 10:00:03 host app[77]: connect from unknown[203.0.113.9]",
                "sshd[811]: Connection closed by 192.0.2.10 port 50000",
                "kernel: e1000e: eth0 NIC Link is Up"));
        assertNoMta(List.of(
                "{\"log\":\"connect from unknown[203.0.113.9]\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-10T09:00:00Z\"}",
                "id,name,status",
                "1,alice,removed",
                "2,bob,sent"));
    }
}
