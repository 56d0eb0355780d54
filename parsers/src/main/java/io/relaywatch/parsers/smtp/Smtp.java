package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.SmtpEventColumn;
import io.relaywatch.schema.Tables;

import java.time.ZoneId;

/**
 * Pieces shared by the MTA parsers: a lenient syslog header, {@code host[ip]:port} endpoints, SMTP replies (code,
 * enhanced status, "queued as" ids) and small column setters. Hand-written scanning, no regex: these run per line.
 */
final class Smtp {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private Smtp() {
    }

    // ---------------------------------------------------------------------------------------------------- records

    static EventRecord record(SmtpEvent event) {
        return new EventRecord(Tables.SMTP_EVENTS).set(SmtpEventColumn.EVENT, event.value());
    }

    /** Sets a column unless the value is null. */
    static void put(EventRecord r, SmtpEventColumn column, Object value) {
        if (value != null) {
            r.set(column, value);
        }
    }

    static void event(EventRecord r, SmtpEvent event) {
        r.set(SmtpEventColumn.EVENT, event.value());
    }

    // ------------------------------------------------------------------------------------------------ syslog header

    /**
     * {@link SyslogHeader#parse} plus two layouts seen in real logs: a single-digit day after one space
     * ({@code Mar 7 02:09:33}) and a {@code <facility.level>} word before the host ({@code Jun 17 14:37:39 <mail.notice>
     * host sm-mta[1]: ...}).
     */
    static SyslogHeader syslog(String line, SyslogYear years, ZoneId zone) {
        SyslogHeader h = SyslogHeader.parse(line, years, zone);
        if (h == null && line.length() > 14 && line.charAt(3) == ' ' && isDigit(line.charAt(4))
                && line.charAt(5) == ' ' && isDigit(line.charAt(6)) && isMonth(line, 0)) {
            h = SyslogHeader.parse(line.substring(0, 4) + ' ' + line.substring(4), years, zone);
        }
        if (h != null && h.program().isEmpty() && h.host().length() > 2 && h.host().charAt(0) == '<'
                && h.host().endsWith(">")) {
            String rest = h.message();
            int space = rest.indexOf(' ');
            if (space > 0) {
                SyslogHeader inner = withTag(h, rest.substring(0, space), rest, space + 1);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return h;
    }

    /** Splits {@code tag[pid]: message} starting at {@code from}; {@code null} if there is no tag. */
    static SyslogHeader withTag(SyslogHeader base, String host, String text, int from) {
        int colon = text.indexOf(": ", from);
        int space = text.indexOf(' ', from);
        if (colon <= from || (space >= 0 && space < colon)) {
            return null;
        }
        String tag = text.substring(from, colon);
        String pid = null;
        int bracket = tag.indexOf('[');
        if (bracket > 0 && tag.endsWith("]")) {
            pid = tag.substring(bracket + 1, tag.length() - 1);
            tag = tag.substring(0, bracket);
        }
        return new SyslogHeader(base == null ? null : base.timestamp(), host, tag, pid, text.substring(colon + 2));
    }

    static boolean isMonth(String s, int pos) {
        if (s.length() < pos + 3) {
            return false;
        }
        int i = MONTHS.indexOf(s.substring(pos, pos + 3));
        return i >= 0 && i % 3 == 0;
    }

    /** Why a line without a usable syslog header (and without a tag or message of the format) is not of it. */
    static String noHeader(String format, String line) {
        int pos = SyslogHeader.skipPriority(line);
        return isMonth(line, pos) || (line.length() > pos + 10 && isDigit(line.charAt(pos))
                && (line.charAt(pos + 4) == '-' || line.charAt(pos + 9) == '.' || line.charAt(pos + 10) == '.'))
                || (line.length() > pos + 8 && line.charAt(pos + 3) == ' ' && line.charAt(pos + 8) == '-')
                ? "not a " + format + " line: invalid syslog timestamp"
                : "not a " + format + " line: no syslog header";
    }

    /**
     * {@code host/program[pid]}; without a host (a line with no syslog header) {@code program[pid]}, and {@code null}
     * when there is neither host nor pid: every such line would share one session.
     */
    static String sessionId(SyslogHeader h) {
        if (h.host().isEmpty()) {
            return h.pid() == null ? null : h.program() + "[" + h.pid() + "]";
        }
        return h.pid() == null ? h.host() + "/" + h.program() : h.host() + "/" + h.program() + "[" + h.pid() + "]";
    }

    /** The note of a row whose line had no syslog header, so no time (and no host). */
    static final String NO_HEADER = "no syslog header: time unknown";

    /** The note of a row whose line had neither syslog header nor program tag (journalctl -o cat). */
    static final String NO_HEADER_NO_TAG = "no syslog header or program tag: time unknown, program inferred from"
            + " the message";

    /** The note of a row whose syslog header says it does not know the time (RFC 5424's {@code -}). */
    static final String NIL_TIME = "no time in the syslog header";

    /** {@code result} with {@code note} before its own partial-parse note, if it has rows; else {@code result}. */
    static ParseResult withNote(ParseResult result, String note) {
        if (note == null || result.kind() != ParseResult.Kind.PARSED) {
            return result;
        }
        return ParseResult.partial(result.records(), notes(note, result.reason()));
    }

    /** {@code note} and {@code more} joined, either may be null. */
    static String notes(String note, String more) {
        return note == null ? more : more == null ? note : note + "; " + more;
    }

    // ---------------------------------------------------------------------------------------------------- endpoints

    /** A peer as MTAs log it: {@code host[ip]}, {@code host[ip]:port}, {@code [ip]:port}, {@code host [ip]}. */
    static final class Endpoint {
        String host;
        String ip;
        Integer port;
        /** The bracket content when it is not an IP address (sockets, garbage); {@code null} otherwise. */
        String badAddress;
        /** The HELO name Exim logs in parentheses next to the peer, if any. */
        String helo;
        /** Index just after what was read. */
        int end;
    }

    /**
     * Reads {@code name[addr]} or {@code name[addr]:port} at {@code from} (Postfix style, no space before the bracket).
     * Returns {@code null} if there is no bracket before the next space.
     */
    static Endpoint bracketed(String s, int from) {
        int lb = s.indexOf('[', from);
        if (lb < 0) {
            return null;
        }
        int space = s.indexOf(' ', from);
        if (space >= 0 && space < lb) {
            return null;
        }
        int rb = s.indexOf(']', lb + 1);
        if (rb < 0) {
            return null;
        }
        Endpoint e = new Endpoint();
        e.host = lb > from ? s.substring(from, lb) : null;
        address(e, s.substring(lb + 1, rb));
        e.end = port(e, s, rb + 1);
        return e;
    }

    /** Reads an optional {@code :port} at {@code pos}; returns the index after it. */
    static int port(Endpoint e, String s, int pos) {
        if (pos < s.length() && s.charAt(pos) == ':') {
            int p = pos + 1;
            while (p < s.length() && isDigit(s.charAt(p)) && p - pos <= 5) {
                p++;
            }
            if (p > pos + 1) {
                e.port = Values.toPort(s.substring(pos + 1, p));
                return p;
            }
        }
        return pos;
    }

    static void address(Endpoint e, String addr) {
        String a = addr;
        if (a.regionMatches(true, 0, "IPv6:", 0, 5)) {
            a = a.substring(5);
        }
        if (Values.isIp(a)) {
            e.ip = a;
        } else if (!a.isEmpty()) {
            e.badAddress = addr;
        }
    }

    /** The first {@code host[ip]} after a {@code " from "}, or at the start of {@code s}; {@code null} if none. */
    static Endpoint findFrom(String s) {
        int i = s.indexOf(" from ");
        while (i >= 0) {
            Endpoint e = bracketed(s, i + 6);
            if (e != null && e.ip != null) {
                return e;
            }
            i = s.indexOf(" from ", i + 6);
        }
        Endpoint e = bracketed(s, 0);
        return e != null && e.ip != null ? e : null;
    }

    static String host(String name) {
        if (name == null || name.isEmpty() || name.equals("unknown")) {
            return null;
        }
        return name;
    }

    static void client(EventRecord r, Endpoint e) {
        if (e == null) {
            return;
        }
        put(r, SmtpEventColumn.CLIENT_HOST, host(e.host));
        put(r, SmtpEventColumn.CLIENT_IP, e.ip);
        put(r, SmtpEventColumn.CLIENT_PORT, e.port);
    }

    static void relay(EventRecord r, Endpoint e) {
        if (e == null) {
            return;
        }
        put(r, SmtpEventColumn.RELAY_HOST, host(e.host));
        put(r, SmtpEventColumn.RELAY_IP, e.ip);
        put(r, SmtpEventColumn.RELAY_PORT, e.port);
    }

    // ------------------------------------------------------------------------------------------------------ replies

    /** What an SMTP reply text tells: code, enhanced status, the id the peer gave the message, the peer. */
    static final class Reply {
        Integer code;
        String dsn;
        String nextQueueId;
        Endpoint peer;
        /** The text after the code and status at the start of the reply (the whole text if it has none). */
        String text;
    }

    /** Parses a reply such as {@code 550 5.7.1 <a@b>: Relay access denied} or a Postfix delivery remark. */
    static Reply reply(String text) {
        Reply r = new Reply();
        r.text = text;
        int pos = leadingCode(r, text, 0);
        if (r.code == null) {
            int said = text.indexOf(" said: ");
            int refused = said >= 0 ? -1 : text.indexOf(" refused to talk to me: ");
            if (said >= 0) {
                leadingCode(r, text, said + 7);
            } else if (refused >= 0) {
                leadingCode(r, text, refused + 24);
            }
            int hostAt = text.startsWith("host ") ? 5 : text.startsWith("connect to ") ? 11
                    : text.startsWith("lost connection with ") ? 21 : -1;
            if (hostAt > 0) {
                Endpoint e = bracketed(text, hostAt);
                if (e != null && (e.ip != null || e.badAddress != null)) {
                    r.peer = e;
                }
            }
        } else {
            r.text = text.substring(pos);
        }
        r.nextQueueId = nextQueueId(text);
        return r;
    }

    /** {@code code} if it is an SMTP reply code (2xx to 5xx), else {@code null}. */
    static Integer code(Integer code) {
        return code == null || code < 200 || code > 599 ? null : code;
    }

    /** Reads {@code NNN[ -]d.d.d } at {@code pos}; sets code/dsn; returns the index after them. */
    static int leadingCode(Reply r, String s, int pos) {
        int n = s.length();
        if (pos + 3 > n || !isDigit(s.charAt(pos)) || !isDigit(s.charAt(pos + 1)) || !isDigit(s.charAt(pos + 2))
                || s.charAt(pos) < '2' || s.charAt(pos) > '5') {
            return pos;
        }
        if (pos + 3 < n && s.charAt(pos + 3) != ' ' && s.charAt(pos + 3) != '-') {
            return pos;
        }
        r.code = (s.charAt(pos) - '0') * 100 + (s.charAt(pos + 1) - '0') * 10 + (s.charAt(pos + 2) - '0');
        int p = Math.min(n, pos + 4);
        int end = s.indexOf(' ', p);
        if (end < 0) {
            end = n;
        }
        if (end > p && isDsn(s, p, end)) {
            r.dsn = s.substring(p, end);
            p = Math.min(n, end + 1);
        }
        return p;
    }

    /** True for an enhanced status code {@code c.sss.ddd} in {@code s[from, to)}. */
    static boolean isDsn(String s, int from, int to) {
        if (to - from < 5 || to - from > 9) {
            return false;
        }
        char c = s.charAt(from);
        if ((c != '2' && c != '4' && c != '5') || s.charAt(from + 1) != '.') {
            return false;
        }
        int dots = 0;
        for (int i = from + 2; i < to; i++) {
            char ch = s.charAt(i);
            if (ch == '.') {
                if (s.charAt(i - 1) == '.') {
                    return false;
                }
                dots++;
            } else if (!isDigit(ch)) {
                return false;
            }
        }
        return dots == 1 && s.charAt(to - 1) != '.';
    }

    static boolean isDsn(String s) {
        return s != null && isDsn(s, 0, s.length());
    }

    /**
     * The id a receiving MTA gave the message, from its 250 reply: Postfix {@code queued as X}, Exim {@code id=X},
     * Sendmail {@code X Message accepted for delivery}, Exchange {@code [InternalId=X]}. {@code null} if the reply names
     * none.
     */
    static String nextQueueId(String text) {
        int i = text.indexOf("queued as ");
        if (i >= 0) {
            return word(text, i + 10, false);
        }
        // Exchange: "250 2.6.0 <id> [InternalId=4711, Hostname=...] Queued mail for delivery"
        i = text.indexOf("[InternalId=");
        if (i >= 0) {
            return word(text, i + 12, false);
        }
        i = text.indexOf(" id=");
        if (i >= 0 && (text.startsWith("250") || text.startsWith("OK"))) {
            return word(text, i + 4, true);
        }
        i = text.indexOf(" Message accepted for delivery");
        if (i > 0) {
            int start = text.lastIndexOf(' ', i - 1);
            String w = text.substring(start + 1, i);
            return w.length() >= 6 && isAlnum(w, false) ? w : null;
        }
        return null;
    }

    private static String word(String s, int from, boolean dashes) {
        int p = from;
        while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || (dashes && s.charAt(p) == '-'))) {
            p++;
        }
        return p > from ? s.substring(from, p) : null;
    }

    static boolean isAlnum(String s, boolean dashes) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(dashes && c == '-')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- small helpers

    /** An address as logged in angle brackets: {@code <a@b>} gives {@code a@b}, {@code <>} gives {@code ""}. */
    static String angle(String v) {
        if (v == null) {
            return null;
        }
        if (v.length() >= 2 && v.charAt(0) == '<' && v.charAt(v.length() - 1) == '>') {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** True if a client line is an HTTP request (a web proxy tunnelling to the MTA): {@code GET / HTTP/1.1}. */
    static boolean isHttpRequest(String s) {
        if (s == null) {
            return false;
        }
        String t = s.stripLeading();
        for (String m : HTTP_METHODS) {
            if (t.regionMatches(true, 0, m, 0, m.length())) {
                return true;
            }
        }
        return t.contains(" HTTP/1.") || t.startsWith("HTTP/");
    }

    private static final String[] HTTP_METHODS = {"GET ", "POST ", "HEAD ", "CONNECT ", "PUT ", "OPTIONS ",
            "DELETE ", "TRACE ", "PATCH "};

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Text after {@code prefix} up to the next {@code stop} (or the end); {@code null} if prefix is absent. */
    static String after(String s, String prefix, char stop) {
        int i = s.indexOf(prefix);
        if (i < 0) {
            return null;
        }
        int start = i + prefix.length();
        int end = s.indexOf(stop, start);
        return s.substring(start, end < 0 ? s.length() : end);
    }
}
