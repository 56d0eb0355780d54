package io.relaywatch.parsers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The header of a syslog line, as written by rsyslog, syslog-ng and BSD syslogd:
 * {@code [<PRI>]Mmm dd HH:mm:ss[.frac] [YYYY] host tag[pid]: message}, with an RFC 3339 timestamp
 * ({@code 2026-11-09T06:25:01.123456+01:00 host tag[pid]: message}: rsyslog's high-precision file format), or RFC 5424
 * ({@code <PRI>1 timestamp host app procid msgid [structured-data] message}).
 * Parsed by hand rather than by regex: this runs once per line of every syslog-based format.
 *
 * @param timestamp when the line was logged; {@code null} only when the line says it does not know (RFC 5424's
 *                  {@code -}) or has no header at all ({@link #tagOnly})
 * @param host      the host field
 * @param program   the tag without pid and colon (postfix/smtpd, kernel, %ASA-6-302013, ...); may be empty
 * @param pid       the pid in brackets, or {@code null}
 * @param message   everything after {@code tag: }
 */
public record SyslogHeader(Instant timestamp, String host, String program, String pid, String message) {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * Parses the header of {@code line}, or returns {@code null} if it does not start like a syslog line. A header whose
     * date cannot exist (Feb 30) also gives {@code null}.
     */
    public static SyslogHeader parse(String line, SyslogYear years, ZoneId zone) {
        int pos = skipPriority(line);
        if (pos > 0 && line.startsWith("1 ", pos)) {
            return rfc5424(line, pos + 2, zone);
        }
        if (isUnpaddedDay(line, pos)) {
            // "Mar 7 02:09:33": some syslog daemons do not pad the day; pad it so one reader serves both
            line = line.substring(0, pos + 4) + ' ' + line.substring(pos + 4);
        }
        Instant ts;
        int afterTs;
        if (isBsdTimestamp(line, pos)) {
            int month = MONTHS.indexOf(line.substring(pos, pos + 3)) / 3 + 1;
            int day = digit(line, pos + 4) * 10 + digit(line, pos + 5);
            if (line.charAt(pos + 4) == ' ') {
                day = digit(line, pos + 5);
            }
            int hour = twoDigits(line, pos + 7);
            int minute = twoDigits(line, pos + 10);
            int second = twoDigits(line, pos + 13);
            afterTs = pos + 15;
            int nanos = 0;
            if (afterTs < line.length() && line.charAt(afterTs) == '.') {
                int start = ++afterTs;
                while (afterTs < line.length() && Character.isDigit(line.charAt(afterTs))) {
                    afterTs++;
                }
                nanos = fractionToNanos(line, start, afterTs);
            }
            Integer explicitYear = yearToken(line, afterTs);
            if (explicitYear != null) {
                afterTs += 5;
                try {
                    ts = LocalDateTime.of(explicitYear, month, day, hour, minute, second, nanos).atZone(zone)
                            .toInstant();
                } catch (DateTimeException e) {
                    return null;
                }
            } else {
                ts = years.resolve(month, day, hour, minute, second, nanos);
            }
            if (ts == null) {
                return null;
            }
        } else if (isIsoTimestamp(line, pos)) {
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                return null;
            }
            ts = parseIso(line.substring(pos, end), zone);
            if (ts == null) {
                return null;
            }
            afterTs = end;
        } else {
            return null;
        }
        if (afterTs >= line.length() || line.charAt(afterTs) != ' ') {
            return null;
        }
        int hostStart = afterTs + 1;
        int hostEnd = line.indexOf(' ', hostStart);
        if (hostEnd <= hostStart) {
            return null;
        }
        String host = line.substring(hostStart, hostEnd);
        return withTag(ts, host, line, hostEnd + 1);
    }

    /**
     * A line without timestamp and host that still starts with its program tag, {@code postfix/smtpd[4101]: connect
     * from ...}: what a container's standard output, journald's {@code -o with-unit}/{@code -o cat} of several units,
     * or a collector that stripped the header leaves. The header has no timestamp and an empty host; {@code null} when
     * the line does not start with a tag (letters, digits and {@code _.-/@}, an optional {@code [pid]}, then
     * {@code ": "}).
     */
    public static SyslogHeader tagOnly(String line) {
        int colon = line.indexOf(": ");
        if (colon <= 0 || colon > 64) {
            return null;
        }
        int end = colon;
        String pid = null;
        if (line.charAt(colon - 1) == ']') {
            int bracket = line.lastIndexOf('[', colon);
            if (bracket <= 0) {
                return null;
            }
            pid = line.substring(bracket + 1, colon - 1);
            for (int i = 0; i < pid.length(); i++) {
                if (!Character.isDigit(pid.charAt(i))) {
                    return null;
                }
            }
            end = bracket;
        }
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-' || c == '/' || c == '@')) {
                return null;
            }
        }
        return new SyslogHeader(null, "", line.substring(0, end), pid, line.substring(colon + 2));
    }

    private static SyslogHeader withTag(Instant ts, String host, String line, int tagStart) {
        int colon = line.indexOf(": ", tagStart);
        int space = line.indexOf(' ', tagStart);
        if (colon < 0 || (space >= 0 && space < colon)) {
            // no "tag:" before the first space: the message starts right after the host
            if (line.endsWith(":") && space < 0) {
                colon = line.length() - 1;
            } else {
                return new SyslogHeader(ts, host, "", null, line.substring(Math.min(tagStart, line.length())));
            }
        }
        String tag = line.substring(tagStart, colon);
        String pid = null;
        int bracket = tag.indexOf('[');
        if (bracket > 0 && tag.endsWith("]")) {
            pid = tag.substring(bracket + 1, tag.length() - 1);
            tag = tag.substring(0, bracket);
        }
        String message = colon + 2 <= line.length() ? line.substring(colon + 2) : "";
        return new SyslogHeader(ts, host, tag, pid, message);
    }

    /** Where the text after a {@code <PRI>} prefix starts (0 without one). */
    private static int skipPriority(String line) {
        if (line.length() > 2 && line.charAt(0) == '<') {
            int close = line.indexOf('>');
            if (close > 1 && close <= 4) {
                for (int i = 1; i < close; i++) {
                    if (!Character.isDigit(line.charAt(i))) {
                        return 0;
                    }
                }
                return close + 1;
            }
        }
        return 0;
    }

    /**
     * The rest of an RFC 5424 header from {@code pos} (after {@code <PRI>1 }): {@code TIMESTAMP HOSTNAME APP-NAME PROCID
     * MSGID STRUCTURED-DATA [MSG]}, each field {@code -} when absent (a {@code -} timestamp gives a header without
     * one); the structured data ({@code [id k="v" ...]...}, with {@code \]} and {@code \"} escaped inside values) is
     * skipped, and a byte-order mark opening MSG (RFC 5424 allows one) is dropped.
     */
    private static SyslogHeader rfc5424(String line, int pos, ZoneId zone) {
        String[] fields = new String[5];
        for (int i = 0; i < fields.length; i++) {
            int end = line.indexOf(' ', pos);
            if (end <= pos) {
                return null;
            }
            fields[i] = line.substring(pos, end);
            pos = end + 1;
        }
        Instant ts = null;
        if (!fields[0].equals("-")) {
            ts = parseIso(fields[0], zone);
            if (ts == null) {
                return null;
            }
        }
        if (pos >= line.length()) {
            return null;
        }
        if (line.charAt(pos) == '-') {
            pos++;
        } else if (line.charAt(pos) == '[') {
            boolean quoted = false;
            while (pos < line.length() && line.charAt(pos) == '[') {
                int i = pos + 1;
                for (; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        quoted = !quoted;
                    } else if (c == ']' && !quoted) {
                        break;
                    }
                }
                if (i >= line.length()) {
                    return null; // an element that never closes: not RFC 5424
                }
                pos = i + 1;
            }
        } else {
            return null;
        }
        String message = pos < line.length() && line.charAt(pos) == ' ' ? line.substring(pos + 1) : "";
        if (!message.isEmpty() && message.charAt(0) == '\uFEFF') {
            message = message.substring(1);
        }
        return new SyslogHeader(ts, nil(fields[1]), nil(fields[2]), fields[3].equals("-") ? null : fields[3],
                message);
    }

    private static String nil(String field) {
        return field.equals("-") ? "" : field;
    }

    private static boolean isUnpaddedDay(String line, int pos) {
        return line.length() > pos + 6 && line.charAt(pos + 3) == ' ' && Character.isDigit(line.charAt(pos + 4))
                && line.charAt(pos + 5) == ' ' && Character.isLetter(line.charAt(pos));
    }

    private static boolean isBsdTimestamp(String line, int pos) {
        if (line.length() < pos + 15) {
            return false;
        }
        String month = line.substring(pos, pos + 3);
        if (month.indexOf(' ') >= 0 || MONTHS.indexOf(month) % 3 != 0) {
            return false;
        }
        char d1 = line.charAt(pos + 4);
        return line.charAt(pos + 3) == ' ' && (d1 == ' ' || Character.isDigit(d1))
                && Character.isDigit(line.charAt(pos + 5)) && line.charAt(pos + 6) == ' '
                && line.charAt(pos + 9) == ':' && line.charAt(pos + 12) == ':'
                && Character.isDigit(line.charAt(pos + 7)) && Character.isDigit(line.charAt(pos + 8))
                && Character.isDigit(line.charAt(pos + 10)) && Character.isDigit(line.charAt(pos + 11))
                && Character.isDigit(line.charAt(pos + 13)) && Character.isDigit(line.charAt(pos + 14));
    }

    private static Integer yearToken(String line, int pos) {
        // "Nov 09 2026 06:25:01" is the ASA "logging timestamp" style: a year after the day is handled by callers that
        // need it; here only "Mmm dd HH:mm:ss YYYY host" (year after the time) is recognized.
        if (line.length() >= pos + 6 && line.charAt(pos) == ' ' && line.charAt(pos + 5) == ' ') {
            for (int i = pos + 1; i < pos + 5; i++) {
                if (!Character.isDigit(line.charAt(i))) {
                    return null;
                }
            }
            int y = Integer.parseInt(line, pos + 1, pos + 5, 10);
            return y >= 1990 && y <= 2100 ? y : null;
        }
        return null;
    }

    private static boolean isIsoTimestamp(String line, int pos) {
        return line.length() >= pos + 19 && Character.isDigit(line.charAt(pos)) && line.charAt(pos + 4) == '-'
                && line.charAt(pos + 7) == '-' && line.charAt(pos + 10) == 'T' && line.charAt(pos + 13) == ':';
    }

    /**
     * Parses an RFC 3339 timestamp; one without an offset is read in {@code zone}; an offset without its colon
     * ({@code +0100}, as journalctl's short-iso writes) is read too. Returns {@code null} if invalid.
     */
    public static Instant parseIso(String text, ZoneId zone) {
        int n = text.length();
        if (n > 5 && (text.charAt(n - 5) == '+' || text.charAt(n - 5) == '-') && Character.isDigit(text.charAt(n - 4))
                && Character.isDigit(text.charAt(n - 1)) && text.indexOf('T') > 0 && text.indexOf(':', n - 5) < 0) {
            text = text.substring(0, n - 2) + ":" + text.substring(n - 2);
        }
        try {
            if (text.endsWith("Z") || hasOffset(text)) {
                return OffsetDateTime.parse(text).toInstant();
            }
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean hasOffset(String text) {
        int t = text.indexOf('T');
        return t > 0 && (text.indexOf('+', t) > 0 || text.indexOf('-', t) > 0);
    }

    private static int digit(String s, int i) {
        return s.charAt(i) - '0';
    }

    private static int twoDigits(String s, int i) {
        return digit(s, i) * 10 + digit(s, i + 1);
    }

    /** Nanoseconds of a decimal fraction written as the digits {@code s[start, end)}. */
    public static int fractionToNanos(String s, int start, int end) {
        int nanos = 0;
        int digits = 0;
        for (int i = start; i < end && digits < 9; i++, digits++) {
            nanos = nanos * 10 + digit(s, i);
        }
        for (; digits < 9; digits++) {
            nanos *= 10;
        }
        return nanos;
    }
}
