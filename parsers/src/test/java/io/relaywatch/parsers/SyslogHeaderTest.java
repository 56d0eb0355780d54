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
