package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class W3cFieldsAndCsvTest {

    @Test
    void tabSeparatedValuesKeepTheirSpacesAndTheLogsOwnHeaderNamesTheFields() {
        W3cFields fields = W3cFields.tabSeparated(List.of("date", "time", "subject"));
        List<String> values = fields.split("2003-8-12\t0:58:14 GMT\t [List] Re: a, b \t-");
        assertEquals(List.of("2003-8-12", "0:58:14 GMT", "[List] Re: a, b", "-"), values);
        assertEquals("[List] Re: a, b", fields.get(values, "subject"));
        assertFalse(fields.fromHeader());
        fields.useHeader(List.of("Subject ", " Date"));
        assertTrue(fields.fromHeader());
        assertEquals(List.of("Subject", "Date"), fields.fields());
        assertEquals("0:58:14 GMT", fields.get(fields.split("x\t0:58:14 GMT"), "date"));
    }

    @Test
    void fieldsDirectiveReplacesTheDefaultAndCanChangeMidFile() {
        W3cFields w3c = new W3cFields(List.of("date", "time", "c-ip"), false);
        assertFalse(w3c.fromHeader());
        assertEquals("W3C directive #Software", w3c.directive("#Software: Microsoft Internet Information Services 10.0"));
        assertEquals("W3C directive #Date", w3c.directive("#Date: 2026-11-10 00:00:01"));
        assertEquals(LocalDate.of(2026, 11, 10), w3c.directiveDate());
        w3c.directive("#Fields: time cs-method c-ip");
        assertTrue(w3c.fromHeader());
        List<String> values = w3c.split("08:00:00  GET   192.0.2.1");
        assertEquals(List.of("08:00:00", "GET", "192.0.2.1"), values);
        assertEquals("192.0.2.1", w3c.get(values, "c-ip"));
        assertNull(w3c.get(values, "date"));
        assertNull(w3c.directive("2026-11-10 08:00:00 GET"));
        w3c.directive("#Fields: date time c-ip cs(User-Agent)");
        List<String> quoted = w3c.split("2026-11-10 08:00:00 \"192.0.2.2\" \"Mozilla/5.0 (X11)\"");
        assertEquals("Mozilla/5.0 (X11)", w3c.get(quoted, "cs(user-agent)"));
        assertNull(w3c.countMismatch(quoted));
        assertEquals("W3C record has 2 values but #Fields names 4", w3c.countMismatch(List.of("a", "b")));
    }

    @Test
    void csvModeKeepsQuotedCommasAndDoubledQuotes() {
        assertEquals(List.of("a", "b, c", "say \"hi\"", ""), Csv.split("a,\"b, c\",\"say \"\"hi\"\"\",", 0, ','));
        assertEquals(List.of("x", "unterminated, rest"), Csv.split("x,\"unterminated, rest", 0, ','));
        W3cFields exchange = new W3cFields(List.of("date-time", "event-id"), true);
        exchange.directive("#Fields: date-time,client-ip,event-id");
        assertEquals("RECEIVE", exchange.get(exchange.split("2026-11-10T08:00:00.000Z,,RECEIVE"), "event-id"));
    }

    @Test
    void w3cTimeUsesTheDirectiveDateWhenTheRecordHasNone() {
        assertEquals(Instant.parse("2026-11-10T08:01:02Z"),
                W3cTime.of(null, "08:01:02", LocalDate.of(2026, 11, 10), ZoneId.of("UTC")));
        assertNull(W3cTime.of(null, "08:01:02", null, ZoneId.of("UTC")));
        assertNull(W3cTime.of("2026-13-01", "08:01:02", null, ZoneId.of("UTC")));
    }

    @Test
    void clfTimeWithAndWithoutOffset() {
        assertEquals(Instant.parse("2026-11-09T09:01:02Z"), ClfTime.parse("09/Nov/2026:10:01:02 +0100", 0));
        assertEquals(Instant.parse("2026-11-09T15:31:02Z"), ClfTime.parse("09/Nov/2026:10:01:02 -0530", 0));
        assertNull(ClfTime.parse("09/Foo/2026:10:01:02 +0100", 0));
        assertNull(ClfTime.parse("31/Nov/2026:10:01:02 +0100", 0));
        assertNull(ClfTime.parse("29/Feb/2026:10:01:02 +0100", 0));
        assertEquals(Instant.parse("2024-02-29T10:01:02Z"), ClfTime.parse("29/Feb/2024:10:01:02 +0000", 0));
        assertNull(ClfTime.parse("09/Nov/2026:24:01:02 +0100", 0));
        assertNull(ClfTime.parse("09/Nov/2026:10:01:02 +0160", 0));
        assertNull(ClfTime.parse("09/Nov/2026:10-01:02 +0100", 0));
        assertEquals(Instant.parse("2026-11-09T09:01:02Z"),
                ClfTime.parseLocal("09/Nov/2026:10:01:02", 0, ZoneId.of("Europe/Berlin")));
    }

    /** The arithmetic day count agrees with java.time for every day of every month of years 0 to 9999, and refuses
     * exactly the dates java.time refuses (day 29 to 31 of short months, 29 February of common years). */
    @Test
    void clfDayCountAgreesWithJavaTimeOverTenThousandYears() {
        for (int year = 0; year <= 9999; year++) {
            for (int month = 1; month <= 12; month++) {
                for (int day = 1; day <= 31; day++) {
                    long expected;
                    try {
                        expected = LocalDate.of(year, month, day).toEpochDay();
                    } catch (java.time.DateTimeException e) {
                        expected = Long.MIN_VALUE;
                    }
                    if (expected != ClfTime.epochDay(year, month, day)) {
                        assertEquals(expected, ClfTime.epochDay(year, month, day), year + "-" + month + "-" + day);
                    }
                }
            }
        }
    }
}
