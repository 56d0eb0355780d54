package io.relaywatch.parsers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The header of a syslog line, as written by rsyslog, syslog-ng, BSD syslogd and journalctl, and as received from the
 * network:
 * <ul>
 * <li>{@code [<PRI>]Mmm dd HH:mm:ss[.frac] [YYYY] host tag[pid]: message} (BSD, RFC 3164; journalctl {@code -o short}
 * and {@code -o short-precise}); without the host ({@code Mmm dd HH:mm:ss tag[pid]: message}: journalctl
 * {@code --no-hostname}, what a program sends to {@code /dev/log});</li>
 * <li>an RFC 3339 timestamp instead ({@code 2026-11-09T06:25:01.123456+01:00 host tag[pid]: message}: rsyslog's
 * high-precision file format, syslog-ng's ISO dates, journalctl {@code -o short-iso} with {@code +0100} or
 * {@code +01:00});</li>
 * <li>journalctl {@code -o short-unix} ({@code 1794214862.004321 host tag[pid]: message}, seconds since the epoch) and
 * {@code -o short-full} ({@code Tue 2026-11-10 10:00:00 CET host tag[pid]: message});</li>
 * <li>RFC 5424 ({@code <PRI>1 timestamp host app procid msgid [structured-data] message}; version 0 as some senders
 * write it is read too);</li>
 * <li>any of these after the RFC 6587 octet count a TCP capture may keep ({@code 535 <14>1 ...}), and the BSD forms
 * after a space that some senders put behind the priority ({@code <12> Jul 14 ...}).</li>
 * </ul>
 * A line that has only the program tag ({@code [<PRI>]tag[pid]: message}) is read by {@link #tagOnly}.
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
    private static final String WEEKDAYS = "MonTueWedThuFriSatSun";
    /** The longest program tag {@link #tagOnly} takes: longer text before {@code ": "} is a message, not a tag. */
    private static final int MAX_TAG = 64;
    /**
     * Offsets of the zone abbreviations of {@code -o short-full} lines already read, by the file's zone and the
     * abbreviation: looking one up walks every zone name Java knows. Only what was found is kept: whether a known
     * zone calls itself so depends on the line's time, and one mangled line must not spoil the name for the rest.
     */
    private static final Map<String, ZoneOffset> ABBREVIATIONS = new ConcurrentHashMap<>();
    /** Abbreviations that name no zone Java knows, at any time. */
    private static final Set<String> UNKNOWN_ABBREVIATIONS = ConcurrentHashMap.newKeySet();
    /** Readers of zone names, by preferred zone: each builds its own tree of all zone names on first use. */
    private static final Map<ZoneId, DateTimeFormatter> ZONE_TEXT = new ConcurrentHashMap<>();
    /** Enough for every abbreviation and zone in use; beyond this, lookups are repeated rather than remembered. */
    private static final int MAX_CACHED = 256;
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);

    /**
     * Parses the header of {@code line}, or returns {@code null} if it does not start like a syslog line. A header whose
     * date cannot exist (Feb 30) also gives {@code null}.
     */
    public static SyslogHeader parse(String line, SyslogYear years, ZoneId zone) {
        int pos = skipPriority(line);
        if (pos > 0) {
            if (isRfc5424Version(line, pos)) {
                return rfc5424(line, pos + 2, zone);
            }
            if (pos < line.length() && line.charAt(pos) == ' ') {
                pos++; // "<12> Jul 14 ...": a space some senders put after the priority
            }
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
        } else if ((afterTs = epochEnd(line, pos)) > 0) {
            int dot = line.indexOf('.', pos);
            ts = Instant.ofEpochSecond(Long.parseLong(line, pos, dot, 10), fractionToNanos(line, dot + 1, afterTs));
        } else if (isWeekdayTimestamp(line, pos)) {
            int timeEnd = pos + 23;
            if (line.charAt(timeEnd) == '.') {
                timeEnd++;
                while (timeEnd < line.length() && isDigit(line.charAt(timeEnd))) {
                    timeEnd++;
                }
            }
            afterTs = timeEnd < line.length() && line.charAt(timeEnd) == ' ' ? line.indexOf(' ', timeEnd + 1) : -1;
            if (afterTs <= timeEnd + 1) {
                return null;
            }
            ts = shortFull(line, pos, timeEnd, afterTs, zone);
            if (ts == null) {
                return null;
            }
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
        if (line.charAt(hostEnd - 1) == ':' && hostEnd - 1 > hostStart) {
            // "Nov 10 10:00:00 postfix/smtpd[4101]: ...": no host (journalctl --no-hostname, a program's own
            // /dev/log record); host names never end in a colon, tags do
            return withTag(ts, "", line, hostStart);
        }
        String host = line.substring(hostStart, hostEnd);
        return withTag(ts, host, line, hostEnd + 1);
    }

    /**
     * A line without timestamp and host that still starts with its program tag, {@code postfix/smtpd[4101]: connect
     * from ...}: what a container's standard output, journald's {@code -o with-unit}/{@code -o cat} of several units,
     * or a collector that stripped the header leaves. The header has no timestamp and an empty host; {@code null} when
     * the line does not start with a tag (letters, digits and {@code _.-/@}, an optional {@code [pid]}, then
     * {@code ": "}). A priority before the tag ({@code <22>postfix/smtpd[4101]: ...}, as sent to {@code /dev/log} or
     * by a device that writes no timestamp) is skipped.
     */
    public static SyslogHeader tagOnly(String line) {
        int start = skipPriority(line);
        if (start > 0 && start < line.length() && line.charAt(start) == ' ') {
            start++; // "<15> openvpn[2499]: ..."
        }
        int colon = line.indexOf(": ", start);
        if (colon <= start || colon - start > MAX_TAG) {
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
        for (int i = start; i < end; i++) {
            char c = line.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-' || c == '/' || c == '@')) {
                return null;
            }
        }
        if (end == start) {
            return null;
        }
        return new SyslogHeader(null, "", line.substring(start, end), pid, line.substring(colon + 2));
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

    /**
     * Where the text after a {@code <PRI>} prefix starts (0 without one), also past the RFC 6587 octet count that a
     * capture of a TCP stream may keep before it ({@code 535 <14>1 ...}).
     */
    public static int skipPriority(String line) {
        int start = 0;
        int n = line.length();
        if (n > 4 && line.charAt(0) >= '1' && line.charAt(0) <= '9') {
            int i = 1;
            while (i < n && i < 7 && isDigit(line.charAt(i))) {
                i++;
            }
            if (i + 1 >= n || line.charAt(i) != ' ' || line.charAt(i + 1) != '<') {
                return 0;
            }
            start = i + 1;
        }
        if (n > start + 2 && line.charAt(start) == '<') {
            int close = line.indexOf('>', start);
            if (close > start + 1 && close <= start + 4) {
                for (int i = start + 1; i < close; i++) {
                    if (!isDigit(line.charAt(i))) {
                        return 0;
                    }
                }
                return close + 1;
            }
        }
        return 0;
    }

    /**
     * RFC 5424's VERSION and the space after it, followed by a timestamp or its {@code -}: version 1, and 0 as some
     * senders write it ({@code <6>0 2017-02-15T16:01:07.000+01:00 host app - - - msg}).
     */
    private static boolean isRfc5424Version(String line, int pos) {
        if (line.length() <= pos + 2 || line.charAt(pos + 1) != ' ') {
            return false;
        }
        char version = line.charAt(pos);
        char next = line.charAt(pos + 2);
        return (version == '1' || version == '0') && (isDigit(next) || next == '-');
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
            if (end < 0 && i == fields.length - 1 && pos < line.length()) {
                end = line.length(); // the line ends after MSGID: no structured data, no message
            }
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
        if (pos > line.length()) {
            return new SyslogHeader(ts, nil(fields[1]), nil(fields[2]), fields[3].equals("-") ? null : fields[3], "");
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

    /**
     * The end of journalctl's {@code -o short-unix} timestamp at {@code pos} ({@code 1794214862.004321}: seconds since
     * the epoch, 9 or 10 digits, and a fraction), or -1.
     */
    private static int epochEnd(String line, int pos) {
        int n = line.length();
        int i = pos;
        while (i < n && i - pos <= 10 && isDigit(line.charAt(i))) {
            i++;
        }
        if (i - pos < 9 || i - pos > 10 || i >= n || line.charAt(i) != '.') {
            return -1;
        }
        int fraction = ++i;
        while (i < n && i - fraction <= 9 && isDigit(line.charAt(i))) {
            i++;
        }
        return i > fraction && i - fraction <= 9 ? i : -1;
    }

    /** journalctl's {@code -o short-full} timestamp at {@code pos}: {@code Tue 2026-11-10 10:00:00[.frac] CET }. */
    private static boolean isWeekdayTimestamp(String line, int pos) {
        if (line.length() < pos + 26 || line.charAt(pos + 3) != ' ' || line.charAt(pos + 8) != '-'
                || line.charAt(pos + 11) != '-' || line.charAt(pos + 14) != ' ' || line.charAt(pos + 17) != ':'
                || line.charAt(pos + 20) != ':') {
            return false;
        }
        for (int i : new int[] {4, 5, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 22}) {
            if (!isDigit(line.charAt(pos + i))) {
                return false;
            }
        }
        int day = WEEKDAYS.indexOf(line.substring(pos, pos + 3));
        return day >= 0 && day % 3 == 0;
    }

    /**
     * The instant of a {@code -o short-full} timestamp: date and time from {@code pos} to {@code timeEnd}, the zone
     * from after it to {@code end}. The zone is an abbreviation of the writing machine's zone (strftime's {@code %Z}:
     * {@code CET}, {@code CEST}, {@code UTC}, or {@code +03} where the zone has no name). An abbreviation is read in
     * the file's zone when that zone uses it, else as the zone Java knows by that name, and only when that zone does
     * call itself so at that time; {@code null} when neither does ({@code --tz} names the zone that does).
     */
    private static Instant shortFull(String line, int pos, int timeEnd, int end, ZoneId zone) {
        int nanos = timeEnd > pos + 24 ? fractionToNanos(line, pos + 24, timeEnd) : 0;
        LocalDateTime local;
        try {
            local = LocalDateTime.of(Integer.parseInt(line, pos + 4, pos + 8, 10), twoDigits(line, pos + 9),
                    twoDigits(line, pos + 12), twoDigits(line, pos + 15), twoDigits(line, pos + 18),
                    twoDigits(line, pos + 21), nanos);
        } catch (DateTimeException e) {
            return null;
        }
        ZoneOffset offset = offsetOf(line.substring(timeEnd + 1, end), local, zone);
        return offset == null ? null : local.toInstant(offset);
    }

    private static ZoneOffset offsetOf(String name, LocalDateTime local, ZoneId zone) {
        if (name.equals("UTC") || name.equals("GMT") || name.equals("UCT") || name.equals("Z")) {
            return ZoneOffset.UTC;
        }
        char sign = name.charAt(0);
        if (sign == '+' || sign == '-') {
            return numericOffset(name);
        }
        String key = zone.getId() + ' ' + name;
        ZoneOffset offset = ABBREVIATIONS.get(key);
        if (offset != null || UNKNOWN_ABBREVIATIONS.contains(name)) {
            return offset;
        }
        offset = named(name, local, zone);
        if (offset == null) {
            ZoneId known;
            try {
                known = zoneText(zone).parse(name, ZoneId::from);
            } catch (DateTimeException e) {
                if (UNKNOWN_ABBREVIATIONS.size() < MAX_CACHED) {
                    UNKNOWN_ABBREVIATIONS.add(name);
                }
                return null;
            }
            offset = named(name, local, known);
        }
        if (offset != null && ABBREVIATIONS.size() < MAX_CACHED) {
            ABBREVIATIONS.put(key, offset);
        }
        return offset;
    }

    private static DateTimeFormatter zoneText(ZoneId preferred) {
        DateTimeFormatter f = ZONE_TEXT.get(preferred);
        if (f == null) {
            f = new DateTimeFormatterBuilder().appendZoneText(TextStyle.SHORT, Set.of(preferred))
                    .toFormatter(Locale.ROOT);
            if (ZONE_TEXT.size() < MAX_CACHED) {
                ZONE_TEXT.put(preferred, f);
            }
        }
        return f;
    }

    /** The offset {@code zone} has at {@code local} under the abbreviation {@code name}, or {@code null}. */
    private static ZoneOffset named(String name, LocalDateTime local, ZoneId zone) {
        for (ZoneOffset offset : zone.getRules().getValidOffsets(local)) {
            if (name.equals(ZONE_NAME.format(ZonedDateTime.ofLocal(local, zone, offset)))) {
                return offset;
            }
        }
        return null;
    }

    /** {@code +03}, {@code +0530}, {@code +05:30}, {@code -05}: an offset written as a zone name; else {@code null}. */
    private static ZoneOffset numericOffset(String name) {
        int n = name.length();
        boolean colon = n == 6 && name.charAt(3) == ':';
        if (!(n == 3 || n == 5 || colon)) {
            return null;
        }
        for (int i = 1; i < n; i++) {
            if (!(isDigit(name.charAt(i)) || (colon && i == 3))) {
                return null;
            }
        }
        int sign = name.charAt(0) == '-' ? -1 : 1;
        int minutes = n == 3 ? 0 : twoDigits(name, n - 2);
        try {
            return ZoneOffset.ofHoursMinutes(sign * twoDigits(name, 1), sign * minutes);
        } catch (DateTimeException e) {
            return null;
        }
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

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
