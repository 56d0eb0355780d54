package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SyslogHeaderTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static SyslogYear years(Integer forced, String fileDate, ZoneId zone) {
        return new ParseContext("f", zone, forced, fileDate == null ? null : Instant.parse(fileDate)).syslogYear();
    }

    @Test
    void bsdHeaderWithPaddedDayAndPid() {
        SyslogHeader h = SyslogHeader.parse("Nov  9 06:25:01 mx1 postfix/smtpd[1234]: connect from x[1.2.3.4]",
                years(2026, null, BERLIN), BERLIN);
        assertEquals(Instant.parse("2026-11-09T05:25:01Z"), h.timestamp());
        assertEquals("mx1", h.host());
        assertEquals("postfix/smtpd", h.program());
        assertEquals("1234", h.pid());
        assertEquals("connect from x[1.2.3.4]", h.message());
    }

    @Test
    void unpaddedDayIsAccepted() {
        SyslogHeader h = SyslogHeader.parse("Mar 7 02:09:33 mx1 sm-mta[1]: x", years(2026, null, ZoneOffset.UTC),
                ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-03-07T02:09:33Z"), h.timestamp());
        assertEquals("sm-mta", h.program());
    }

    @Test
    void priorityFractionAndNoPid() {
        SyslogHeader h = SyslogHeader.parse("<22>Nov 10 23:59:59.123456 gw kernel: [1.0] X: IN=eth0",
                years(2026, null, ZoneOffset.UTC), ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-10T23:59:59.123456Z"), h.timestamp());
        assertEquals("kernel", h.program());
        assertNull(h.pid());
        assertEquals("[1.0] X: IN=eth0", h.message());
    }

    @Test
    void rfc3339AndRfc5424Headers() {
        SyslogHeader iso = SyslogHeader.parse("2026-11-09T06:25:01.5+01:00 mx1 postfix/qmgr[7]: ABC: removed",
                years(null, null, ZoneOffset.UTC), ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-09T05:25:01.5Z"), iso.timestamp());
        assertEquals("postfix/qmgr", iso.program());
        SyslogHeader rfc5424 = SyslogHeader.parse("<134>1 2026-11-09T06:25:01Z fw filterlog 123 - - 5,,,1000,em0",
                years(null, null, ZoneOffset.UTC), ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-09T06:25:01Z"), rfc5424.timestamp());
        assertEquals("fw", rfc5424.host());
    }

    static SyslogHeader parse(String line, ZoneId zone) {
        return SyslogHeader.parse(line, years(2026, null, zone), zone);
    }

    @Test
    void priorityBeforeBsdHeaderWithOrWithoutSpace() {
        SyslogHeader h = parse("<22>Nov 10 10:00:00 mx1 postfix/smtpd[4101]: connect from x[192.0.2.1]", BERLIN);
        assertEquals(Instant.parse("2026-11-10T09:00:00Z"), h.timestamp());
        assertEquals("mx1", h.host());
        assertEquals("postfix/smtpd", h.program());
        SyslogHeader spaced = parse("<12> Jul 14 10:00:00 gw app[7]: m", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-07-14T10:00:00Z"), spaced.timestamp());
        assertEquals("gw", spaced.host());
        assertEquals("m", spaced.message());
    }

    @Test
    void bsdHeaderWithoutHostTakesTheTagFromTheHostsPlace() {
        // journalctl --no-hostname, or what a program sends to /dev/log
        SyslogHeader h = parse("Nov 10 10:00:00 postfix/smtpd[4101]: NOQUEUE: reject: RCPT from x", ZoneOffset.UTC);
        assertEquals("", h.host());
        assertEquals("postfix/smtpd", h.program());
        assertEquals("4101", h.pid());
        assertEquals("NOQUEUE: reject: RCPT from x", h.message());
        SyslogHeader pri = parse("<4>Nov 10 10:00:00 kernel: [1.0] IN=eth0", ZoneOffset.UTC);
        assertEquals("kernel", pri.program());
        assertEquals("[1.0] IN=eth0", pri.message());
    }

    @Test
    void rfc5424WithNilFieldsStructuredDataAndByteOrderMark() {
        SyslogHeader h = parse("<22>1 2026-11-10T10:00:00.123456+01:00 mx1 postfix/smtpd 4101 - - connect from x",
                ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-10T09:00:00.123456Z"), h.timestamp());
        assertEquals("postfix/smtpd", h.program());
        assertEquals("4101", h.pid());
        assertEquals("connect from x", h.message());
        SyslogHeader sd = parse("<22>1 2026-11-10T10:00:00Z mx1 app - ID7 [a@1 k=\"v\\\"]\"][b@2 x=\"]\"] \uFEFFtext",
                ZoneOffset.UTC);
        assertEquals("app", sd.program());
        assertNull(sd.pid());
        assertEquals("text", sd.message());
        SyslogHeader nil = parse("<128>1 2026-11-10T10:00:00Z host - - - - tralala", ZoneOffset.UTC);
        assertEquals("", nil.program());
        assertNull(nil.pid());
        assertEquals("tralala", nil.message());
        SyslogHeader noTime = parse("<14>1 - host app 1 - - m", ZoneOffset.UTC);
        assertNull(noTime.timestamp());
        assertEquals("host", noTime.host());
    }

    @Test
    void rfc5424EdgeCases() {
        // only the first run of elements is structured data: after a space the message starts, brackets and all
        SyslogHeader h = parse("<132>1 2026-11-10T10:00:00Z m evntslog - - [a@0 i=\"3\"] [b=\"x\"] msg",
                ZoneOffset.UTC);
        assertEquals("[b=\"x\"] msg", h.message());
        // structured data and no message at all (Juniper)
        SyslogHeader noMsg = parse("<14>1 2026-11-10T10:00:00Z fw01 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636 a=\"b\"]",
                ZoneOffset.UTC);
        assertEquals("fw01", noMsg.host());
        assertEquals("", noMsg.message());
        // the line ends after MSGID
        assertEquals("", parse("<14>1 2026-11-10T10:00:00Z host app - ID1", ZoneOffset.UTC).message());
        // version 0, as some senders write it
        SyslogHeader zero = parse("<6>0 2017-02-15T16:01:07.000+01:00 hostname test - - -  test 4", ZoneOffset.UTC);
        assertEquals(Instant.parse("2017-02-15T15:01:07Z"), zero.timestamp());
        assertEquals("test", zero.program());
        assertEquals(" test 4", zero.message());
        // an element that never closes, a bad timestamp: not RFC 5424
        assertNull(parse("<14>1 2026-11-10T10:00:00Z host app - - [a@1 k=\"v] m", ZoneOffset.UTC));
        assertNull(parse("<14>1 2026-13-10T10:00:00Z host app - - - m", ZoneOffset.UTC));
    }

    @Test
    void octetCountOfATcpCaptureIsSkipped() {
        SyslogHeader h = parse("535 <14>1 2020-03-27T09:57:41+01:00 PA-VM - - - - 1,2020/03/27 09:57:41,0153",
                ZoneOffset.UTC);
        assertEquals(Instant.parse("2020-03-27T08:57:41Z"), h.timestamp());
        assertEquals("PA-VM", h.host());
        assertEquals("1,2020/03/27 09:57:41,0153", h.message());
        assertEquals(3, SyslogHeader.skipPriority("<4>kernel: x"));
        assertEquals(8, SyslogHeader.skipPriority("535 <14>1 x"));
        assertEquals(0, SyslogHeader.skipPriority("535 14>1 x"));
        assertEquals(0, SyslogHeader.skipPriority("2026-11-10T10:00:00Z host x"));
    }

    @Test
    void journalctlTimestampForms() {
        // short-iso, before and after systemd wrote the offset's colon; short-iso-precise
        assertEquals(Instant.parse("2026-11-10T09:00:00Z"),
                parse("2026-11-10T10:00:00+0100 mx1 postfix/smtpd[4101]: m", ZoneOffset.UTC).timestamp());
        assertEquals(Instant.parse("2026-11-10T09:00:00.654321Z"),
                parse("2026-11-10T10:00:00.654321+01:00 mx1 postfix/smtpd[4101]: m", ZoneOffset.UTC).timestamp());
        // short-precise
        assertEquals(Instant.parse("2026-11-10T09:00:00.654321Z"),
                parse("Nov 10 10:00:00.654321 mx1 postfix/smtpd[4101]: m", BERLIN).timestamp());
        // short-unix: seconds since the epoch, in no zone
        SyslogHeader unix = parse("1794214800.004321 mx1 postfix/smtpd[4101]: m", BERLIN);
        assertEquals(Instant.parse("2026-11-09T09:00:00.004321Z"), unix.timestamp());
        assertEquals("mx1", unix.host());
        assertEquals("postfix/smtpd", unix.program());
    }

    @Test
    void journalctlShortFullReadsTheZoneAbbreviation() {
        String line = " mx1 postfix/smtpd[4101]: m";
        // the file's zone knows its own abbreviations, summer and winter
        assertEquals(Instant.parse("2026-11-10T09:00:00Z"), parse("Tue 2026-11-10 10:00:00 CET" + line, BERLIN)
                .timestamp());
        assertEquals(Instant.parse("2026-07-10T08:00:00Z"), parse("Fri 2026-07-10 10:00:00 CEST" + line, BERLIN)
                .timestamp());
        // in another file zone, the abbreviation is still read where Java knows it unambiguously
        assertEquals(Instant.parse("2026-07-10T08:00:00Z"),
                parse("Fri 2026-07-10 10:00:00 CEST" + line, ZoneOffset.UTC).timestamp());
        assertEquals(Instant.parse("2026-07-10T14:00:00Z"),
                parse("Fri 2026-07-10 10:00:00 EDT" + line, ZoneOffset.UTC).timestamp());
        assertEquals(Instant.parse("2026-07-10T09:00:00Z"),
                parse("Fri 2026-07-10 10:00:00 BST" + line, ZoneId.of("Europe/London")).timestamp());
        // UTC, numeric names of zones without abbreviation, a fraction
        assertEquals(Instant.parse("2026-07-10T10:00:00.500Z"),
                parse("Fri 2026-07-10 10:00:00.5 UTC" + line, BERLIN).timestamp());
        assertEquals(Instant.parse("2026-07-10T07:00:00Z"),
                parse("Fri 2026-07-10 10:00:00 +03" + line, BERLIN).timestamp());
        assertEquals(Instant.parse("2026-07-10T04:30:00Z"),
                parse("Fri 2026-07-10 10:00:00 +0530" + line, BERLIN).timestamp());
        SyslogHeader h = parse("Fri 2026-07-10 10:00:00 UTC" + line, BERLIN);
        assertEquals("mx1", h.host());
        assertEquals("4101", h.pid());
        // an abbreviation that is no zone's (or not that zone's at that time) is not guessed
        assertNull(parse("Fri 2026-07-10 10:00:00 XYZ" + line, ZoneOffset.UTC));
        assertNull(parse("Fri 2026-07-10 10:00:00 BST" + line, BERLIN));
        assertNull(parse("Fri 2026-02-30 10:00:00 UTC" + line, BERLIN));
        // a time that does not exist (the hour skipped in spring) does not spoil the name for the lines after it
        ZoneId vienna = ZoneId.of("Europe/Vienna");
        assertNull(parse("Sun 2026-03-29 02:30:00 CET" + line, vienna));
        assertEquals(Instant.parse("2026-03-29T00:30:00Z"), parse("Sun 2026-03-29 01:30:00 CET" + line, vienna)
                .timestamp());
    }

    @Test
    void tagOnlyLinesWithAndWithoutPriority() {
        SyslogHeader h = SyslogHeader.tagOnly("postfix/smtpd[4101]: connect from unknown[203.0.113.9]");
        assertNull(h.timestamp());
        assertEquals("", h.host());
        assertEquals("postfix/smtpd", h.program());
        assertEquals("4101", h.pid());
        assertEquals("connect from unknown[203.0.113.9]", h.message());
        SyslogHeader pri = SyslogHeader.tagOnly("<22>postfix/smtpd[4101]: connect from x");
        assertEquals("postfix/smtpd", pri.program());
        assertEquals("openvpn", SyslogHeader.tagOnly("<15> openvpn[2499]: PTHREAD support initialized").program());
        assertNull(SyslogHeader.tagOnly("connect from unknown[203.0.113.9]"));
        assertNull(SyslogHeader.tagOnly("Nov 10 10:00:00 mx1 postfix/smtpd[4101]: x"));
        assertNull(SyslogHeader.tagOnly(": x"));
        assertNull(SyslogHeader.tagOnly("<22>: x"));
    }

    @Test
    void notSyslogOrImpossibleDateGivesNull() {
        SyslogYear y = years(2026, null, ZoneOffset.UTC);
        assertNull(SyslogHeader.parse("hello world", y, ZoneOffset.UTC));
        assertNull(SyslogHeader.parse("Feb 30 10:00:00 mx1 postfix/smtpd[1]: x", y, ZoneOffset.UTC));
        assertNull(SyslogHeader.parse("Nov  9 06:25:01", y, ZoneOffset.UTC));
    }

    @Test
    void yearRollsOverFromDecemberToJanuary() {
        SyslogYear y = years(2026, null, ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-12-31T23:59:00Z"), y.resolve(12, 31, 23, 59, 0, 0));
        assertEquals(Instant.parse("2027-01-01T00:01:00Z"), y.resolve(1, 1, 0, 1, 0, 0));
        // a straggler from December after the rollover keeps the old year
        assertEquals(Instant.parse("2026-12-31T23:59:59Z"), y.resolve(12, 31, 23, 59, 59, 0));
        assertEquals(Instant.parse("2027-01-01T00:02:00Z"), y.resolve(1, 1, 0, 2, 0, 0));
    }

    @Test
    void yearComesFromTheFileDateWhenNotGiven() {
        // a file written on 2 Jan 2027 that starts on 30 Dec: the first lines are from 2026
        SyslogYear y = years(null, "2027-01-02T06:00:00Z", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-12-30T10:00:00Z"), y.resolve(12, 30, 10, 0, 0, 0));
        assertEquals(Instant.parse("2027-01-01T10:00:00Z"), y.resolve(1, 1, 10, 0, 0, 0));
        SyslogYear same = years(null, "2026-11-16T06:00:00Z", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-09T10:00:00Z"), same.resolve(11, 9, 10, 0, 0, 0));
    }

    @Test
    void zoneAppliesIncludingDaylightSavingTime() {
        SyslogYear y = years(2026, null, BERLIN);
        assertEquals(Instant.parse("2026-07-01T10:00:00Z"), y.resolve(7, 1, 12, 0, 0, 0));
        assertEquals(Instant.parse("2026-11-01T11:00:00Z"), y.resolve(11, 1, 12, 0, 0, 0));
    }
}
