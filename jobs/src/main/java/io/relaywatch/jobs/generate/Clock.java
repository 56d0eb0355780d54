package io.relaywatch.jobs.generate;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Renders timestamps of the generated period (UTC) without java.time or String.format per line: the date parts of
 * every day are built once, the time of day is appended digit by digit.
 */
final class Clock {

    static final long DAY = 86_400_000L;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    final long startMs;
    private final String[] syslogDay;
    private final String[] isoDay;
    private final String[] clfDay;
    private final String[] zeekOpen;
    private final String[] rfcDay;
    private final String[] usDay;
    private final String[] plainDay;

    Clock(LocalDate start, int days) {
        this.startMs = start.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        int n = days + 3;
        syslogDay = new String[n];
        isoDay = new String[n];
        clfDay = new String[n];
        zeekOpen = new String[n];
        rfcDay = new String[n];
        usDay = new String[n];
        plainDay = new String[n];
        for (int d = 0; d < n; d++) {
            LocalDate date = start.plusDays(d);
            String mon = MONTHS[date.getMonthValue() - 1];
            int dom = date.getDayOfMonth();
            syslogDay[d] = mon + (dom < 10 ? "  " : " ") + dom + " ";
            isoDay[d] = date.toString();
            clfDay[d] = (dom < 10 ? "0" : "") + dom + "/" + mon + "/" + date.getYear() + ":";
            zeekOpen[d] = date.toString() + "-";
            String dow = date.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ROOT);
            rfcDay[d] = dow + ", " + dom + " " + mon + " " + date.getYear() + " ";
            int month = date.getMonthValue();
            usDay[d] = (month < 10 ? "0" : "") + month + "/" + (dom < 10 ? "0" : "") + dom + "/" + date.getYear() + " ";
            plainDay[d] = date.getYear() + "-" + month + "-" + dom;
        }
    }

    /** {@code 2026-11-09T00:11:40.123Z} (Exchange's logs). */
    void isoMillis(StringBuilder b, long ms) {
        b.append(isoDay[day(ms)]).append('T');
        hms(b, ms, ':');
        b.append('.');
        pad(b, Math.floorMod(ms, 1000L), 3);
        b.append('Z');
    }

    /** {@code Mon, 9 Nov 2026 00:11:40 +0000} (SMTP banners). */
    void rfc(StringBuilder b, long ms) {
        b.append(rfcDay[day(ms)]);
        hms(b, ms, ':');
        b.append(" +0000");
    }

    /** {@code 11/09/2026 00:11:40} (Exchange's last-retry times, en-US). */
    void us(StringBuilder b, long ms) {
        b.append(usDay[day(ms)]);
        hms(b, ms, ':');
    }

    /** {@code 2026-11-9} (Exchange 2000/2003 tracking dates, not padded). */
    String plainDate(long ms) {
        return plainDay[day(ms)];
    }

    /** {@code 0:58:14 GMT} (Exchange 2000/2003 tracking times: the hour not padded). */
    void gmt(StringBuilder b, long ms) {
        int sod = (int) ((ms / 1000) % 86400);
        b.append(sod / 3600).append(':');
        two(b, sod / 60 % 60);
        b.append(':');
        two(b, sod % 60);
        b.append(" GMT");
    }

    /** The date of {@code ms} as {@code yyyyMMdd}, and its hour as {@code HH} when {@code hour}. */
    String compact(long ms, boolean hour) {
        String date = isoDay[day(ms)].replace("-", "");
        if (!hour) {
            return date;
        }
        StringBuilder b = new StringBuilder(date);
        two(b, (int) ((ms / 3_600_000L) % 24));
        return b.toString();
    }

    /** The date {@code days} after the start as {@code yyyyMMdd} (rotated log files carry it in their names). */
    String compactDate(int days) {
        return isoDay[days].replace("-", "");
    }

    private int day(long ms) {
        return (int) ((ms - startMs) / DAY);
    }

    /** {@code Nov  9 00:11:40} */
    void syslog(StringBuilder b, long ms) {
        b.append(syslogDay[day(ms)]);
        hms(b, ms, ':');
    }

    /** {@code 2026-11-09 00:11:40} */
    void iso(StringBuilder b, long ms) {
        b.append(isoDay[day(ms)]).append(' ');
        hms(b, ms, ':');
    }

    /** {@code [09/Nov/2026:00:11:40 +0000]} */
    void clf(StringBuilder b, long ms) {
        b.append('[').append(clfDay[day(ms)]);
        hms(b, ms, ':');
        b.append(" +0000]");
    }

    /** Zeek's {@code #open}/{@code #close} stamp: {@code 2026-11-09-00-00-00}. */
    String zeekStamp(long ms) {
        StringBuilder b = new StringBuilder(zeekOpen[day(ms)]);
        hms(b, ms, '-');
        return b.toString();
    }

    /** Epoch seconds with six decimals (Zeek). */
    static void epochMicros(StringBuilder b, long ms, int extraMicros) {
        b.append(ms / 1000).append('.');
        pad(b, (int) (ms % 1000) * 1000 + extraMicros, 6);
    }

    static void hms(StringBuilder b, long ms, char sep) {
        int sod = (int) ((ms / 1000) % 86400);
        two(b, sod / 3600);
        b.append(sep);
        two(b, sod / 60 % 60);
        b.append(sep);
        two(b, sod % 60);
    }

    static void two(StringBuilder b, int v) {
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** {@code v} zero-padded to {@code width} digits. */
    static void pad(StringBuilder b, long v, int width) {
        long limit = 1;
        for (int i = 1; i < width; i++) {
            limit *= 10;
            if (v < limit) {
                b.append('0');
            }
        }
        b.append(v);
    }

    /** A number given in hundredths as {@code 1.23}; in tenths as {@code 1.2} when {@code decimals} is 1. */
    static void decimal(StringBuilder b, int scaled, int decimals) {
        int div = decimals == 1 ? 10 : 100;
        b.append(scaled / div).append('.');
        pad(b, scaled % div, decimals);
    }
}
