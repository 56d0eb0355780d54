package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.Tables;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.relaywatch.parsers.smtp.Smtp.put;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_HOST;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.DELAY_S;
import static io.relaywatch.schema.SmtpEventColumn.DSN;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NEXT_QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.NRCPT;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.PROTO;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_HOST;
import static io.relaywatch.schema.SmtpEventColumn.SASL_METHOD;
import static io.relaywatch.schema.SmtpEventColumn.SASL_USERNAME;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SESSION_ID;
import static io.relaywatch.schema.SmtpEventColumn.SIZE;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.STATUS;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Sendmail syslog lines (programs {@code sendmail}, {@code sm-mta}, {@code sm-msp-queue} and other {@code sm-*} process
 * titles): {@code from=} (message accepted; its {@code relay=} is the client), {@code to=} (delivery, one row per
 * recipient; its {@code relay=} is the next hop), {@code ruleset=} rejects, AUTH success and failure, DSNs and session
 * ends. Lines without syslog header are read too, with the program tag or, where the wording is Sendmail's alone,
 * without it ({@code journalctl -o cat}); those rows have no time and say so in their note.
 */
public final class SendmailLogParser extends NamedLogParser {

    public SendmailLogParser() {
        super("sendmail", Tables.SMTP_EVENTS,
                "Sendmail MTA syslog lines (sendmail, sm-mta, sm-msp-queue)");
    }

    @Override
    public boolean splittable() {
        return true; // the syslog year is the only state carried from line to line
    }

    @Override
    public LineParser open(ParseContext context) {
        SyslogYear years = context.syslogYear();
        ZoneId zone = context.zone();
        return line -> parse(line, years, zone);
    }

    static boolean isSendmail(String program) {
        return program.equals("sendmail") || program.startsWith("sm-") || program.startsWith("sendmail-");
    }

    /** A Sendmail queue id: 8 letters/digits (date, time, sequence) then the pid's digits ({@code s1GNXHYB005133}). */
    static boolean isQueueId(String s) {
        int n = s.length();
        if (n < 12 || n > 22) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (i >= 8 ? !digit : !(digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    static ParseResult parse(String line, SyslogYear years, ZoneId zone) {
        SyslogHeader h = Smtp.syslog(line, years, zone);
        if (h != null) {
            if (!isSendmail(h.program())) {
                return ParseResult.rejected("not a sendmail line: program '" + h.program() + "'");
            }
            return parse(h, h.timestamp() == null ? Smtp.NIL_TIME : null);
        }
        // no syslog header: a container's output, journalctl -o cat, a collector that kept only the message
        SyslogHeader t = SyslogHeader.tagOnly(line);
        if (t != null && isSendmail(t.program())) {
            return parse(t, Smtp.NO_HEADER);
        }
        if (t != null && t.pid() != null) {
            return ParseResult.rejected("not a sendmail line: program '" + t.program() + "'");
        }
        int start = SyslogHeader.skipPriority(line);
        String message = start == 0 ? line : line.substring(start);
        if (!isSendmailMessage(message)) {
            return ParseResult.rejected(Smtp.noHeader("sendmail", line));
        }
        return parse(new SyslogHeader(null, "", "sendmail", null, message), Smtp.NO_HEADER_NO_TAG);
    }

    /**
     * Whether a message that lost its program tag ({@code journalctl -o cat}) is Sendmail's, by wording no other MTA
     * uses: {@code from=} with {@code class=}/{@code nrcpts=}, {@code to=} with {@code stat=}/{@code mailer=}
     * (Postfix writes {@code nrcpt=} and {@code status=}), {@code ruleset=}, {@code AUTH=}, {@code STARTTLS=}, the
     * session-end and attack phrases and the daemon's start; after a queue id also DSNs, {@code <rcpt>... } refusals,
     * {@code collect:} and {@code host [ip]: ...} remarks.
     */
    static boolean isSendmailMessage(String message) {
        String body = message;
        boolean queued = false;
        int colon = message.indexOf(": ");
        if (colon >= 12 && colon <= 22 && isQueueId(message.substring(0, colon))) {
            queued = true;
            body = message.substring(colon + 2);
        }
        if (body.startsWith("from=")) {
            return body.contains(", class=") || body.contains(", nrcpts=");
        }
        if (body.startsWith("to=")) {
            return body.contains(", stat=") || body.contains(", mailer=");
        }
        if (body.startsWith("ruleset=") || body.startsWith("AUTH=") || body.startsWith("AUTH failure (")
                || body.startsWith("STARTTLS=") || body.startsWith("milter=")
                || body.startsWith("lost input channel from ") || body.startsWith("timeout waiting for input from ")
                || body.startsWith("rejecting commands from ") || body.contains(" did not issue MAIL/EXPN/VRFY/ETRN")
                || body.contains("]: possible SMTP attack: command=")
                || (body.startsWith("starting daemon (") && body.contains("): "))) {
            return true;
        }
        if (!queued) {
            return false;
        }
        int next = body.indexOf(": ");
        return body.startsWith("DSN: ") || body.startsWith("return to sender: ")
                || body.startsWith("postmaster notify: ") || body.startsWith("sender notify: ")
                || body.startsWith("collect: ") || body.startsWith("SYSERR") || body.startsWith("Milter")
                || (body.startsWith("<") && body.contains(">... "))
                || (next >= 12 && next <= 22 && isQueueId(body.substring(0, next)))
                || (next > 0 && body.charAt(next - 1) == ']' && body.lastIndexOf('[', next) >= 0);
    }

    /** One line whose header (possibly without time or host) is read; {@code headerNote} says what it lacked. */
    private static ParseResult parse(SyslogHeader h, String headerNote) {
        EventRecord r = Smtp.record(SmtpEvent.OTHER);
        r.set(TS, h.timestamp());
        put(r, MTA_HOST, Values.orNull(h.host()));
        r.set(PROGRAM, h.program());
        put(r, SESSION_ID, Smtp.sessionId(h));
        String body = h.message();
        int colon = body.indexOf(": ");
        if (colon > 0 && isQueueId(body.substring(0, colon))) {
            r.set(QUEUE_ID, body.substring(0, colon));
            body = body.substring(colon + 2);
            colon = body.indexOf(": ");
            if (colon > 0 && isQueueId(body.substring(0, colon))) {
                // "qid: newqid: DSN: ..." -- the bounce's own queue id
                r.set(NEXT_QUEUE_ID, body.substring(0, colon));
                body = body.substring(colon + 2);
            }
        }
        List<String> notes = new ArrayList<>(1);
        List<EventRecord> rows = dispatch(r, body, notes);
        String note = Smtp.notes(headerNote, notes.isEmpty() ? null : String.join("; ", notes));
        return note == null ? ParseResult.parsed(rows) : ParseResult.partial(rows, note);
    }

    private static List<EventRecord> dispatch(EventRecord r, String body, List<String> notes) {
        if (body.startsWith("from=")) {
            Map<String, String> f = fields(body);
            Smtp.event(r, SmtpEvent.MESSAGE_ACCEPTED);
            put(r, SENDER, Smtp.angle(f.get("from")));
            put(r, SIZE, Values.toCount(f.get("size")));
            put(r, NRCPT, Values.toIntCount(f.get("nrcpts")));
            put(r, MESSAGE_ID, Values.orNull(Smtp.angle(f.get("msgid"))));
            put(r, PROTO, Values.orNull(f.get("proto")));
            client(r, f.get("relay"), notes);
            return List.of(r);
        }
        if (body.startsWith("to=")) {
            return delivery(r, fields(body), notes);
        }
        if (body.startsWith("ruleset=")) {
            Map<String, String> f = fields(body);
            String ruleset = f.get("ruleset");
            String arg1 = f.get("arg1");
            if ("check_rcpt".equals(ruleset)) {
                put(r, RECIPIENT, Smtp.angle(arg1));
            } else if ("check_mail".equals(ruleset)) {
                put(r, SENDER, Smtp.angle(arg1));
            }
            client(r, f.get("relay"), notes);
            if ("check_relay".equals(ruleset) && r.get(CLIENT_IP) == null && Values.isIp(f.get("arg2"))) {
                r.set(CLIENT_IP, f.get("arg2"));
            }
            rejectReply(r, f, body);
            return List.of(r);
        }
        if (body.startsWith("AUTH=")) {
            Map<String, String> f = fields(body);
            boolean server = "server".equals(f.get("AUTH"));
            Smtp.event(r, server ? SmtpEvent.AUTH_SUCCESS : SmtpEvent.OTHER);
            put(r, SASL_USERNAME, Values.orNull(f.get("authid")));
            put(r, SASL_METHOD, Values.orNull(f.get("mech")));
            if (server) {
                client(r, f.get("relay"), notes);
            } else {
                relay(r, f.get("relay"), notes);
                r.set(REASON, body);
            }
            return List.of(r);
        }
        if (body.startsWith("AUTH failure (")) {
            return authFailure(r, body, notes);
        }
        if (body.startsWith("STARTTLS=") || body.startsWith("milter=") || body.startsWith("Milter")) {
            Map<String, String> f = fields(body);
            if (body.startsWith("STARTTLS=client")) {
                relay(r, f.get("relay"), notes);
            } else {
                client(r, f.get("relay"), notes);
            }
            if (f.containsKey("reject")) {
                rejectReply(r, f, body);
            } else {
                r.set(REASON, body);
            }
            return List.of(r);
        }
        if (body.startsWith("DSN: ") || body.startsWith("return to sender: ")
                || body.startsWith("postmaster notify: ") || body.startsWith("sender notify: ")) {
            Smtp.event(r, SmtpEvent.BOUNCE_NOTIFICATION);
            r.set(REASON, body);
            return List.of(r);
        }
        if (body.startsWith("<")) {
            // "<user@x>... User unknown": a recipient refused
            int dots = body.indexOf(">... ");
            if (dots > 0) {
                Smtp.event(r, SmtpEvent.REJECT);
                r.set(RECIPIENT, body.substring(1, dots));
                r.set(REASON, body.substring(dots + 5));
                return List.of(r);
            }
        }
        if (body.startsWith("lost input channel from ") || body.startsWith("timeout waiting for input from ")) {
            Smtp.event(r, SmtpEvent.LOST_CONNECTION);
            int from = body.indexOf(" from ");
            sessionEnd(r, body, from + 6, notes);
            r.set(REASON, body);
            return List.of(r);
        }
        if (body.startsWith("rejecting commands from ")) {
            Smtp.event(r, SmtpEvent.REJECT);
            sessionEnd(r, body, 24, notes);
            r.set(REASON, body);
            return List.of(r);
        }
        if (body.startsWith("collect: ")) {
            if (body.contains("premature EOM") || body.contains("I/O error") || body.contains("timeout")) {
                Smtp.event(r, SmtpEvent.LOST_CONNECTION);
            }
            int from = body.indexOf(" from ");
            if (from > 0) {
                sessionEnd(r, body, from + 6, notes);
            }
            String sender = Smtp.after(body, ", from=", ',');
            put(r, SENDER, Smtp.angle(sender));
            r.set(REASON, body);
            return List.of(r);
        }
        int didNot = body.indexOf(" did not issue MAIL/EXPN/VRFY/ETRN");
        if (didNot > 0) {
            Smtp.event(r, SmtpEvent.DISCONNECT);
            client(r, body.substring(0, didNot), notes);
            r.set(REASON, body.substring(didNot + 1));
            return List.of(r);
        }
        if (body.startsWith("SYSERR")) {
            Smtp.event(r, SmtpEvent.WARNING);
            r.set(REASON, body);
            return List.of(r);
        }
        // "[ip]: text", "host [ip]: text", "host [ip] (may be forged): text"
        int close = body.indexOf("]: ");
        int forged = body.indexOf("] (may be forged): ");
        int end = forged > 0 && (close < 0 || forged < close) ? forged + 1 : close > 0 ? close + 1 : -1;
        int lb = end > 0 ? body.lastIndexOf('[', end) : -1;
        if (lb >= 0 && (lb < 2 || body.lastIndexOf(' ', lb - 2) < 0)) {
            String peer = body.substring(0, end);
            String text = body.substring(body.indexOf(": ", end) + 2);
            client(r, peer, notes);
            r.set(REASON, text);
            if (text.startsWith("possible SMTP attack: command=AUTH")) {
                Smtp.event(r, SmtpEvent.AUTH_FAILURE);
            } else if (text.endsWith("[rejected]")) {
                Smtp.event(r, SmtpEvent.REJECT);
            }
            return List.of(r);
        }
        r.set(REASON, body);
        return List.of(r);
    }

    /** {@code AUTH failure (LOGIN): <sasl text>, user=<u>, relay=<client>}; the last relay= is Sendmail's own. */
    private static List<EventRecord> authFailure(EventRecord r, String body, List<String> notes) {
        Smtp.event(r, SmtpEvent.AUTH_FAILURE);
        int close = body.indexOf("): ", 14);
        if (close < 0) {
            r.set(REASON, body);
            notes.add("unreadable AUTH failure line");
            return List.of(r);
        }
        put(r, SASL_METHOD, Values.orNull(body.substring(14, close)));
        String rest = body.substring(close + 3);
        int relay = rest.lastIndexOf(", relay=");
        if (relay >= 0) {
            client(r, rest.substring(relay + 8), notes);
            rest = rest.substring(0, relay);
        }
        int user = rest.indexOf(", user=");
        if (user >= 0) {
            put(r, SASL_USERNAME, Values.orNull(rest.substring(user + 7)));
            rest = rest.substring(0, user);
        }
        r.set(REASON, rest);
        return List.of(r);
    }

    /** {@code to=<a>,<b>, delay=.., mailer=.., relay=.., dsn=.., stat=..}: one row per recipient. */
    private static List<EventRecord> delivery(EventRecord r, Map<String, String> f, List<String> notes) {
        put(r, DSN, Values.orNull(f.get("dsn")));
        put(r, DELAY_S, delay(f.get("delay")));
        relay(r, f.get("relay"), notes);
        String stat = f.get("stat");
        if (stat != null) {
            stat(r, stat);
        } else {
            notes.add("no stat in delivery line");
        }
        List<String> recipients = recipients(f.get("to"));
        if (recipients.size() <= 1) {
            put(r, RECIPIENT, recipients.isEmpty() ? null : recipients.get(0));
            return List.of(r);
        }
        List<EventRecord> rows = new ArrayList<>(recipients.size());
        for (String rcpt : recipients) {
            EventRecord row = r.copy();
            row.set(RECIPIENT, rcpt);
            rows.add(row);
        }
        return rows;
    }

    private static void stat(EventRecord r, String stat) {
        int paren = stat.indexOf(" (");
        int colon = stat.indexOf(": ");
        int cut = paren < 0 ? colon : colon < 0 ? paren : Math.min(paren, colon);
        String status = cut < 0 ? stat : stat.substring(0, cut);
        String text = cut < 0 ? null : stat.substring(cut + 2);
        if (text != null && cut == paren && text.endsWith(")")) {
            text = text.substring(0, text.length() - 1);
        }
        r.set(STATUS, status);
        Smtp.event(r, switch (status) {
            case "Sent" -> SmtpEvent.DELIVERED;
            case "Deferred" -> SmtpEvent.DEFERRED;
            case "queued" -> SmtpEvent.MESSAGE_QUEUED;
            default -> SmtpEvent.BOUNCED;
        });
        if (text != null) {
            Smtp.Reply reply = Smtp.reply(text);
            put(r, SMTP_CODE, reply.code);
            put(r, NEXT_QUEUE_ID, reply.nextQueueId);
            r.set(REASON, text);
        } else if (!status.equals("Sent") && !status.equals("Deferred") && !status.equals("queued")) {
            Smtp.Reply reply = Smtp.reply(stat);
            put(r, SMTP_CODE, reply.code);
            r.set(REASON, stat);
        }
    }

    private static void rejectReply(EventRecord r, Map<String, String> f, String body) {
        String reject = f.get("reject");
        if (reject == null) {
            r.set(REASON, body);
            return;
        }
        Smtp.event(r, SmtpEvent.REJECT);
        Smtp.Reply reply = Smtp.reply(reject);
        put(r, SMTP_CODE, reply.code);
        put(r, DSN, reply.dsn);
        r.set(REASON, reply.text);
    }

    /** {@code host [ip] ...} at {@code from}, up to the word "to"/"due"/"during" that ends the peer. */
    private static void sessionEnd(EventRecord r, String body, int from, List<String> notes) {
        int rb = body.indexOf(']', from);
        if (rb > 0) {
            client(r, body.substring(from, rb + 1).trim(), notes);
        } else {
            int space = body.indexOf(' ', from);
            put(r, CLIENT_HOST, Values.orNull(body.substring(from, space < 0 ? body.length() : space)));
        }
    }

    // -------------------------------------------------------------------------------------------------- helpers

    /**
     * Splits {@code key=value, key=value, ...}. A value runs to the next {@code ", "} that is followed by
     * {@code key=}; {@code stat=} and {@code reject=} run to the end of the line. A repeated key keeps its last value
     * (Sendmail writes its own {@code relay=} after anything a client could inject).
     */
    static Map<String, String> fields(String s) {
        Map<String, String> map = new HashMap<>();
        int pos = 0;
        int n = s.length();
        while (pos < n) {
            int eq = s.indexOf('=', pos);
            if (eq < 0) {
                break;
            }
            String key = s.substring(pos, eq);
            if (key.equals("stat") || key.equals("reject")) {
                map.put(key, s.substring(eq + 1));
                break;
            }
            int end = eq + 1;
            while (true) {
                end = s.indexOf(", ", end);
                if (end < 0 || isKeyAt(s, end + 2)) {
                    break;
                }
                end += 2;
            }
            map.put(key, s.substring(eq + 1, end < 0 ? n : end));
            if (end < 0) {
                break;
            }
            pos = end + 2;
        }
        return map;
    }

    private static boolean isKeyAt(String s, int pos) {
        int i = pos;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '=') {
                return i > pos;
            }
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return false;
            }
            i++;
        }
        return false;
    }

    /** {@code <a>,<b>} or {@code a,b}: the addresses without angle brackets. */
    static List<String> recipients(String to) {
        List<String> list = new ArrayList<>(2);
        if (to == null || to.isEmpty()) {
            return list;
        }
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= to.length(); i++) {
            char c = i == to.length() ? ',' : to.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                String one = to.substring(start, i).trim();
                if (!one.isEmpty()) {
                    list.add(Smtp.angle(one));
                }
                start = i + 1;
            }
        }
        return list;
    }

    /** {@code 00:00:01} or {@code 2+03:04:05} (days+hh:mm:ss) in seconds. */
    static Double delay(String d) {
        if (d == null) {
            return null;
        }
        int plus = d.indexOf('+');
        long days = 0;
        String hms = d;
        if (plus > 0) {
            Long parsed = Values.toLong(d.substring(0, plus));
            if (parsed == null) {
                return null;
            }
            days = parsed;
            hms = d.substring(plus + 1);
        }
        if (hms.length() != 8 || hms.charAt(2) != ':' || hms.charAt(5) != ':') {
            return null;
        }
        Long hh = Values.toLong(hms.substring(0, 2));
        Long mm = Values.toLong(hms.substring(3, 5));
        Long ss = Values.toLong(hms.substring(6, 8));
        if (hh == null || mm == null || ss == null || days < 0 || hh < 0 || mm < 0 || ss < 0) {
            return null; // a sign inside the delay is a mangled line, not a time
        }
        return (double) (days * 86400 + hh * 3600 + mm * 60 + ss);
    }

    /** A Sendmail peer: {@code host [ip]}, {@code [ip]}, {@code host. [IPv6:x]}, {@code host [ip] (may be forged)}. */
    static Smtp.Endpoint peer(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim();
        if (s.endsWith(" (may be forged)")) {
            s = s.substring(0, s.length() - 16);
        }
        Smtp.Endpoint e = new Smtp.Endpoint();
        int lb = s.indexOf('[');
        int rb = lb < 0 ? -1 : s.indexOf(']', lb);
        String host = lb < 0 ? s : s.substring(0, lb).trim();
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        e.host = host.isEmpty() ? null : host;
        if (rb > lb) {
            Smtp.address(e, s.substring(lb + 1, rb));
        }
        return e;
    }

    private static void client(EventRecord r, String value, List<String> notes) {
        Smtp.Endpoint e = peer(value);
        Smtp.client(r, e);
        if (e != null && e.badAddress != null) {
            notes.add("client address '" + e.badAddress + "' is not an IP address");
        }
    }

    private static void relay(EventRecord r, String value, List<String> notes) {
        Smtp.Endpoint e = peer(value);
        Smtp.relay(r, e);
        if (e != null && e.ip == null && e.host == null) {
            put(r, RELAY_HOST, Values.orNull(value));
        }
        if (e != null && e.badAddress != null) {
            notes.add("relay address '" + e.badAddress + "' is not an IP address");
        }
    }
}
