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

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.relaywatch.parsers.smtp.Smtp.put;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_HOST;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.DELAY_S;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NEXT_QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.PROTO;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.SASL_METHOD;
import static io.relaywatch.schema.SmtpEventColumn.SASL_USERNAME;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SESSION_ID;
import static io.relaywatch.schema.SmtpEventColumn.SIZE;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.STATUS;
import static io.relaywatch.schema.SmtpEventColumn.SUBJECT;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Exim main log: {@code 2026-11-09 07:12:01[.mmm] [+0100] [pid] [msgid] text}, also behind a syslog header
 * ({@code Nov  9 07:12:01 host exim[123]: ...}, with or without Exim's own timestamp) and in the syslog-ng/journal
 * layouts {@code date time host exim[pid]: text} and {@code host exim[pid]: date time text}. Arrivals ({@code <=}),
 * deliveries ({@code => -> >> *> ** ==}), {@code Completed}, connection events, ACL rejects, authenticator failures and
 * protocol errors; one row per recipient of an arrival's {@code for} list. Exim logging to syslog leaves its own
 * timestamp out, so a line that has lost the syslog header as well ({@code exim[pid]: ...}, or journalctl {@code -o
 * cat}'s bare message, read where its wording is Exim's alone) gives rows without time, with a note saying so.
 */
public final class EximLogParser extends NamedLogParser {

    public EximLogParser() {
        super("exim", Tables.SMTP_EVENTS,
                "Exim MTA main log (plain mainlog or behind a syslog header)");
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

    /** Exim's own timestamp at the start of a text, with the index after it. */
    record Stamp(Instant ts, int end) {
    }

    static boolean looksLikeStamp(String s, int p) {
        return s.length() >= p + 19 && Smtp.isDigit(s.charAt(p)) && Smtp.isDigit(s.charAt(p + 3))
                && s.charAt(p + 4) == '-' && s.charAt(p + 7) == '-' && s.charAt(p + 10) == ' '
                && s.charAt(p + 13) == ':' && s.charAt(p + 16) == ':';
    }

    /** Reads {@code YYYY-MM-DD HH:MM:SS[.fff][ +HHMM]} at 0; {@code null} if absent or impossible (Feb 30). */
    static Stamp stamp(String s, ZoneId zone) {
        if (!looksLikeStamp(s, 0)) {
            return null;
        }
        for (int i : new int[] {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
            if (!Smtp.isDigit(s.charAt(i))) {
                return null;
            }
        }
        int p = 19;
        int nanos = 0;
        if (p < s.length() && s.charAt(p) == '.') {
            int start = ++p;
            while (p < s.length() && Smtp.isDigit(s.charAt(p))) {
                p++;
            }
            nanos = io.relaywatch.parsers.SyslogHeader.fractionToNanos(s, start, p);
        }
        ZoneId z = zone;
        if (p + 6 <= s.length() && s.charAt(p) == ' ' && (s.charAt(p + 1) == '+' || s.charAt(p + 1) == '-')
                && allDigits(s, p + 2, p + 6) && (p + 6 == s.length() || s.charAt(p + 6) == ' ')) {
            int hh = Integer.parseInt(s, p + 2, p + 4, 10);
            int mm = Integer.parseInt(s, p + 4, p + 6, 10);
            int sign = s.charAt(p + 1) == '-' ? -1 : 1;
            try {
                z = ZoneOffset.ofHoursMinutes(sign * hh, sign * mm);
            } catch (DateTimeException e) {
                return null;
            }
            p += 6;
        }
        try {
            LocalDateTime t = LocalDateTime.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10), num(s, 11, 13),
                    num(s, 14, 16), num(s, 17, 19), nanos);
            return new Stamp(t.atZone(z).toInstant(), p);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Smtp.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        return Integer.parseInt(s, from, to, 10);
    }

    /** An Exim message id: {@code 1ahr79-0006jK-G9} (6-6-2, before 4.97) or 6-11-4 base-62 groups. */
    static boolean isMessageId(String s, int from, int to) {
        int n = to - from;
        if (n == 16) {
            return s.charAt(from + 6) == '-' && s.charAt(from + 13) == '-' && Smtp.isAlnum(s.substring(from, to), true);
        }
        if (n == 23) {
            return s.charAt(from + 6) == '-' && s.charAt(from + 18) == '-' && Smtp.isAlnum(s.substring(from, to), true);
        }
        return false;
    }

    /** {@code tag[pid]: } at {@code pos} where the tag is exim's; returns [tagEnd, pidStart, pidEnd, msgStart]. */
    private static int[] eximTag(String s, int pos) {
        if (!s.startsWith("exim", pos)) {
            return null;
        }
        int colon = s.indexOf(": ", pos);
        int space = s.indexOf(' ', pos);
        if (colon < 0 || (space >= 0 && space < colon)) {
            return null;
        }
        int lb = s.indexOf('[', pos);
        if (lb > 0 && lb < colon && s.charAt(colon - 1) == ']') {
            return new int[] {lb, lb + 1, colon - 1, colon + 2};
        }
        return new int[] {colon, -1, -1, colon + 2};
    }

    static ParseResult parse(String line, SyslogYear years, ZoneId zone) {
        Instant ts = null;
        String host = null;
        String program = "exim";
        String pid = null;
        String msg;
        // what the line lacked, should Exim's own timestamp be missing too
        String noTime = Smtp.NO_HEADER;
        Stamp outer = stamp(line, zone);
        if (outer != null) {
            ts = outer.ts();
            msg = outer.end() < line.length() ? line.substring(outer.end() + 1) : "";
            // syslog-ng: "date time host exim[pid]: text"
            int space = msg.indexOf(' ');
            int[] tag = space > 0 ? eximTag(msg, space + 1) : null;
            if (tag != null) {
                host = msg.substring(0, space);
                program = msg.substring(space + 1, tag[0]);
                pid = tag[1] < 0 ? null : msg.substring(tag[1], tag[2]);
                msg = msg.substring(tag[3]);
            }
        } else if (looksLikeStamp(line, 0)) {
            return ParseResult.rejected("not an exim line: invalid timestamp");
        } else {
            SyslogHeader h = Smtp.syslog(line, years, zone);
            if (h != null) {
                if (!h.program().startsWith("exim")) {
                    return ParseResult.rejected("not an exim line: program '" + h.program() + "'");
                }
                ts = h.timestamp();
                host = h.host();
                program = h.program();
                pid = h.pid();
                msg = h.message();
                noTime = Smtp.NIL_TIME;
            } else {
                // journal export: "host exim[pid]: date time text"
                int space = line.indexOf(' ');
                int[] tag = space > 0 ? eximTag(line, space + 1) : null;
                if (tag != null) {
                    host = line.substring(0, space);
                    program = line.substring(space + 1, tag[0]);
                    pid = tag[1] < 0 ? null : line.substring(tag[1], tag[2]);
                    msg = line.substring(tag[3]);
                } else {
                    // no header at all: "exim[5120]: ..." (a container's output) or the bare message
                    // (journalctl -o cat), whose own timestamp Exim leaves out when it logs to syslog
                    SyslogHeader t = SyslogHeader.tagOnly(line);
                    if (t != null && t.program().startsWith("exim")) {
                        program = t.program();
                        pid = t.pid();
                        msg = t.message();
                    } else {
                        int start = SyslogHeader.skipPriority(line);
                        msg = start == 0 ? line : line.substring(start);
                        if ((t != null && t.pid() != null) || !isEximMessage(msg)) {
                            return ParseResult.rejected(t != null && t.pid() != null
                                    ? "not an exim line: program '" + t.program() + "'"
                                    : Smtp.isMonth(line, 0) ? "not an exim line: invalid syslog timestamp"
                                    : "not an exim line: no timestamp");
                        }
                        noTime = Smtp.NO_HEADER_NO_TAG;
                    }
                }
            }
        }
        String note = null;
        Stamp inner = stamp(msg, zone);
        if (inner != null) {
            ts = inner.ts();
            msg = inner.end() < msg.length() ? msg.substring(inner.end() + 1) : "";
        } else if (ts == null) {
            note = noTime;
        }
        // [pid] (log_selector +pid)
        if (msg.length() > 2 && msg.charAt(0) == '[') {
            int rb = msg.indexOf("] ");
            if (rb > 1 && allDigits(msg, 1, rb)) {
                pid = msg.substring(1, rb);
                msg = msg.substring(rb + 2);
            }
        }
        EventRecord r = Smtp.record(SmtpEvent.OTHER);
        r.set(TS, ts);
        put(r, MTA_HOST, Values.orNull(host));
        r.set(PROGRAM, program);
        if (pid != null) {
            r.set(SESSION_ID, host == null || host.isEmpty() ? program + "[" + pid + "]"
                    : host + "/" + program + "[" + pid + "]");
        }
        int space = msg.indexOf(' ');
        int idEnd = space < 0 ? msg.length() : space;
        if (isMessageId(msg, 0, idEnd)) {
            r.set(QUEUE_ID, msg.substring(0, idEnd));
            msg = space < 0 ? "" : msg.substring(space + 1);
            List<EventRecord> rows = withId(r, msg);
            if (rows != null) {
                return Smtp.withNote(ParseResult.parsed(rows), note);
            }
        }
        return Smtp.withNote(general(r, msg), note);
    }

    /** Messages without message id that only Exim writes, as they start. */
    private static final String[] EXIM_PHRASES = {"SMTP connection from ", "SMTP call from ",
            "no MAIL in SMTP connection from ", "SMTP protocol synchronization error", "SMTP protocol error in \"",
            "SMTP syntax error in \"", "rejected EHLO from ", "rejected HELO from ",
            "no host name found for IP address ", "no IP address found for host ", "Start queue run: pid=",
            "End queue run: pid="};

    /**
     * Whether a message with neither timestamp nor program tag ({@code journalctl -o cat} of Exim logging to syslog)
     * is Exim's: it starts with an Exim message id, an Exim-only phrase ({@code SMTP connection from}, {@code <name>
     * authenticator failed for}, ...) or {@code H=} with the client's address, or is the daemon's start line.
     */
    static boolean isEximMessage(String msg) {
        int p = 0;
        if (msg.length() > 2 && msg.charAt(0) == '[') {
            int rb = msg.indexOf("] ");
            if (rb > 1 && allDigits(msg, 1, rb)) {
                p = rb + 2; // [pid] (log_selector +pid)
            }
        }
        int space = msg.indexOf(' ', p);
        if (isMessageId(msg, p, space < 0 ? msg.length() : space)) {
            return true;
        }
        for (String phrase : EXIM_PHRASES) {
            if (msg.startsWith(phrase, p)) {
                return true;
            }
        }
        int auth = msg.indexOf(" authenticator failed for ", p);
        if (auth > p && space == auth) {
            return true;
        }
        if (msg.startsWith("H=", p)) {
            return hostSpec(null, msg, p + 2).ip != null;
        }
        return msg.startsWith("exim ", p) && msg.contains(" daemon started: pid=");
    }

    // ---------------------------------------------------------------------------------------------- message lines

    private static List<EventRecord> withId(EventRecord r, String msg) {
        if (msg.startsWith("<= ")) {
            return arrival(r, msg);
        }
        if (msg.length() > 3 && msg.charAt(2) == ' ') {
            String flag = msg.substring(0, 2);
            SmtpEvent event = switch (flag) {
                case "=>", "->", ">>" -> SmtpEvent.DELIVERED;
                case "**" -> SmtpEvent.BOUNCED;
                case "==" -> SmtpEvent.DEFERRED;
                case "*>" -> SmtpEvent.OTHER;
                default -> null;
            };
            if (event != null) {
                delivery(r, event, msg);
                return List.of(r);
            }
        }
        if (msg.equals("Completed") || msg.startsWith("Completed ")) {
            Smtp.event(r, SmtpEvent.REMOVED);
            Fields f = Fields.scan(msg, 10, false);
            put(r, DELAY_S, duration(f.kv.get("QT")));
            return List.of(r);
        }
        if (msg.startsWith("SA: ")) {
            return spamAssassin(r, msg);
        }
        return null;
    }

    /** {@code <= sender H=host (helo) [ip]:port I=.. P=esmtpa A=login:user S=1234 id=msgid T="subj" for a b}. */
    private static List<EventRecord> arrival(EventRecord r, String msg) {
        Smtp.event(r, SmtpEvent.MESSAGE_ACCEPTED);
        int space = msg.indexOf(' ', 3);
        String sender = msg.substring(3, space < 0 ? msg.length() : space);
        r.set(SENDER, Smtp.angle(sender));
        Fields f = Fields.scan(msg, space < 0 ? msg.length() : space, true);
        f.applyClient(r);
        put(r, PROTO, Values.orNull(f.kv.get("P")));
        String auth = f.kv.get("A");
        if (auth != null) {
            int colon = auth.indexOf(':');
            put(r, SASL_METHOD, Values.orNull(colon < 0 ? auth : auth.substring(0, colon)));
            put(r, SASL_USERNAME, colon < 0 ? null : Values.orNull(auth.substring(colon + 1)));
        }
        put(r, SIZE, Values.toCount(f.kv.get("S")));
        put(r, MESSAGE_ID, Values.orNull(Smtp.angle(f.kv.get("id"))));
        put(r, SUBJECT, f.kv.get("T"));
        return perRecipient(r, f.recipients, true);
    }

    private static List<EventRecord> perRecipient(EventRecord r, List<String> recipients, boolean count) {
        if (recipients.isEmpty()) {
            return List.of(r);
        }
        if (count) {
            r.set(io.relaywatch.schema.SmtpEventColumn.NRCPT, recipients.size());
        }
        if (recipients.size() == 1) {
            r.set(RECIPIENT, recipients.get(0));
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

    /** {@code => rcpt [<orig>] R=.. T=.. H=host [ip]:port C="250 ..." QT=1s}, and {@code ** / ==} with a reason. */
    private static void delivery(EventRecord r, SmtpEvent event, String msg) {
        Smtp.event(r, event);
        int p = 3;
        int space = msg.indexOf(' ', p);
        String rcpt = msg.substring(p, space < 0 ? msg.length() : space);
        if (rcpt.endsWith(":")) {
            rcpt = rcpt.substring(0, rcpt.length() - 1);
        }
        r.set(RECIPIENT, Smtp.angle(rcpt));
        p = space < 0 ? msg.length() : space + 1;
        // "(parent) <orig>" or "<orig>": the address as originally given
        if (p < msg.length() && msg.charAt(p) == '(') {
            int close = msg.indexOf(") ", p);
            p = close < 0 ? p : close + 2;
        }
        if (p < msg.length() && msg.charAt(p) == '<') {
            int close = msg.indexOf('>', p);
            if (close > 0 && (rcpt.startsWith("/") || rcpt.startsWith("|"))) {
                // a file or pipe delivery: the address is the one in angle brackets
                r.set(RECIPIENT, msg.substring(p + 1, close));
            }
            p = close < 0 ? p : Math.min(msg.length(), close + 2);
        }
        Fields f = Fields.scan(msg, p, false);
        f.applyRelay(r);
        put(r, SENDER, Smtp.angle(f.kv.get("F")));
        put(r, SIZE, Values.toCount(f.kv.get("S")));
        Double qt = duration(f.kv.get("QT"));
        put(r, DELAY_S, qt != null ? qt : duration(f.kv.get("DT")));
        String confirmation = f.kv.get("C");
        if (confirmation != null) {
            Smtp.Reply reply = Smtp.reply(confirmation);
            put(r, SMTP_CODE, reply.code);
            put(r, io.relaywatch.schema.SmtpEventColumn.DSN, reply.dsn);
            put(r, NEXT_QUEUE_ID, reply.nextQueueId);
            r.set(REASON, confirmation);
        }
        String rest = f.rest(msg);
        if (rest != null) {
            r.set(REASON, rest);
            codeInText(r, rest);
        }
        if (event == SmtpEvent.OTHER) {
            r.set(STATUS, "suppressed");
        }
    }

    /** SMTP code and enhanced status of a remote reply quoted in free text ({@code ...: 550 5.1.1 User unknown}). */
    private static void codeInText(EventRecord r, String text) {
        int i = text.indexOf(": ");
        while (i >= 0) {
            Smtp.Reply reply = new Smtp.Reply();
            Smtp.leadingCode(reply, text, i + 2);
            if (reply.code != null) {
                put(r, SMTP_CODE, reply.code);
                put(r, io.relaywatch.schema.SmtpEventColumn.DSN, reply.dsn);
                return;
            }
            i = text.indexOf(": ", i + 2);
        }
    }

    /** {@code SA: Action: ...: score=x (scanned in .. | Message-Id: id). From <s> (host=h [ip]) for rcpt}. */
    private static List<EventRecord> spamAssassin(EventRecord r, String msg) {
        int scanned = msg.indexOf(" (scanned in ");
        r.set(REASON, scanned > 0 ? msg.substring(0, scanned) : msg);
        String id = Smtp.after(msg, "| Message-Id: ", ')');
        put(r, MESSAGE_ID, Values.orNull(id));
        int from = msg.indexOf(". From <");
        List<String> recipients = new ArrayList<>(1);
        if (from > 0) {
            int close = msg.indexOf('>', from);
            if (close > 0) {
                r.set(SENDER, msg.substring(from + 8, close));
            }
            String peer = Smtp.after(msg, " (host=", ')');
            if (peer != null) {
                Smtp.Endpoint e = SendmailLogParser.peer(peer);
                if (e != null && "NULL".equals(e.host)) {
                    e.host = null;
                }
                Smtp.client(r, e);
            }
            int forAt = msg.indexOf(") for ", from);
            if (forAt > 0) {
                for (String rcpt : msg.substring(forAt + 6).split(" ")) {
                    if (!rcpt.isEmpty()) {
                        recipients.add(rcpt);
                    }
                }
            }
        }
        return perRecipient(r, recipients, false);
    }

    // -------------------------------------------------------------------------------------------- session lines

    private static ParseResult general(EventRecord r, String msg) {
        String note = null;
        if (msg.startsWith("SMTP connection from ")) {
            Smtp.Endpoint e = hostSpec(r, msg, 21);
            String rest = msg.substring(e.end).trim();
            rest = skipFields(rest);
            if (rest.startsWith("(TCP/IP connection count")) {
                Smtp.event(r, SmtpEvent.CONNECT);
            } else if (rest.startsWith("closed by DROP")) {
                Smtp.event(r, SmtpEvent.REJECT);
                r.set(REASON, rest);
            } else if (rest.startsWith("lost") || rest.startsWith("closed by QUIT")) {
                Smtp.event(r, SmtpEvent.DISCONNECT);
                r.set(REASON, rest);
            } else {
                r.set(REASON, msg);
            }
        } else if (msg.startsWith("SMTP call from ")) {
            Smtp.Endpoint e = hostSpec(r, msg, 15);
            String rest = skipFields(msg.substring(e.end).trim());
            Smtp.event(r, rest.startsWith("dropped") ? SmtpEvent.LOST_CONNECTION : SmtpEvent.OTHER);
            r.set(REASON, rest);
        } else if (msg.startsWith("no MAIL in SMTP connection from ")) {
            Smtp.event(r, SmtpEvent.DISCONNECT);
            hostSpec(r, msg, 32);
            r.set(REASON, msg);
        } else if (msg.startsWith("SMTP protocol synchronization error")) {
            int h = msg.indexOf("H=");
            if (h > 0) {
                hostSpec(r, msg, h + 2);
            }
            String input = Smtp.after(msg, "input=\"", '\u0000');
            if (input != null && input.endsWith("\"")) {
                input = input.substring(0, input.length() - 1);
            }
            if (Smtp.isHttpRequest(input)) {
                Smtp.event(r, SmtpEvent.NON_SMTP_COMMAND);
                r.set(REASON, input);
            } else {
                Smtp.event(r, SmtpEvent.REJECT);
                r.set(REASON, msg);
            }
        } else if (msg.startsWith("SMTP protocol error in \"") || msg.startsWith("SMTP syntax error in \"")) {
            // the command is quoted unescaped, so the peer is the last H= (a client can inject " H=...")
            int h = msg.lastIndexOf(" H=");
            String command = null;
            if (h > 0) {
                Smtp.Endpoint e = hostSpec(r, msg, h + 3);
                command = msg.substring(msg.indexOf('"') + 1, msg.lastIndexOf('"', h) > 0 ? msg.lastIndexOf('"', h)
                        : h);
                String rest = skipFields(msg.substring(e.end).trim());
                r.set(REASON, rest.isEmpty() ? msg : msg.substring(0, h) + ": " + rest);
            } else {
                r.set(REASON, msg);
            }
            if (msg.startsWith("SMTP syntax error") && Smtp.isHttpRequest(command)) {
                Smtp.event(r, SmtpEvent.NON_SMTP_COMMAND);
                r.set(REASON, command);
            } else {
                Smtp.event(r, SmtpEvent.REJECT);
            }
        } else if (msg.indexOf(" authenticator failed for ") > 0 && msg.indexOf(' ') == msg.indexOf(" authenticator")) {
            int at = msg.indexOf(" authenticator failed for ");
            Smtp.event(r, SmtpEvent.AUTH_FAILURE);
            r.set(SASL_METHOD, msg.substring(0, at));
            Smtp.Endpoint e = hostSpec(r, msg, at + 26);
            int colon = msg.indexOf(": ", e.end);
            if (colon > 0) {
                String reply = msg.substring(colon + 2);
                Smtp.Reply rp = Smtp.reply(reply);
                put(r, SMTP_CODE, rp.code);
                String text = rp.text;
                int setId = text.lastIndexOf(" (set_id=");
                if (setId >= 0 && text.endsWith(")")) {
                    put(r, SASL_USERNAME, Values.orNull(text.substring(setId + 9, text.length() - 1)));
                    text = text.substring(0, setId);
                }
                r.set(REASON, text);
            } else {
                note = "no reply in authenticator failure";
            }
        } else if (msg.startsWith("rejected EHLO from ") || msg.startsWith("rejected HELO from ")) {
            Smtp.event(r, SmtpEvent.REJECT);
            Smtp.Endpoint e = hostSpec(r, msg, 19);
            int colon = msg.indexOf(": ", e.end);
            r.set(REASON, colon > 0 ? msg.substring(colon + 2) : msg);
        } else if (msg.startsWith("Connection from ") && msg.contains(" refused")) {
            Smtp.event(r, SmtpEvent.REJECT);
            hostSpec(r, msg, 16);
            int refused = msg.indexOf(" refused");
            r.set(REASON, msg.substring(refused + 1));
        } else if (msg.startsWith("no host name found for IP address ")) {
            Smtp.event(r, SmtpEvent.WARNING);
            String ip = msg.substring(34).trim();
            put(r, CLIENT_IP, Values.isIp(ip) ? ip : null);
            r.set(REASON, msg);
        } else if (msg.startsWith("no IP address found for host ")) {
            Smtp.event(r, SmtpEvent.WARNING);
            int space = msg.indexOf(' ', 29);
            put(r, CLIENT_HOST, Values.orNull(msg.substring(29, space < 0 ? msg.length() : space)));
            int from = msg.indexOf("connection from ");
            if (from > 0) {
                Smtp.Endpoint e = hostSpec(null, msg, from + 16);
                put(r, CLIENT_IP, e.ip);
                put(r, io.relaywatch.schema.SmtpEventColumn.CLIENT_PORT, e.port);
            }
            r.set(REASON, msg);
        } else if (msg.startsWith("H=") || (msg.startsWith("F=") && msg.contains(" H="))) {
            return hostLine(r, msg);
        } else {
            if (msg.startsWith("Warning: ") || msg.startsWith("Warning:")) {
                Smtp.event(r, SmtpEvent.WARNING);
            } else if (r.get(QUEUE_ID) == null && looksForeign(msg)) {
                return ParseResult.rejected("not an exim line: fields look like a W3C/firewall record");
            }
            int h = msg.indexOf(" H=");
            int from = msg.indexOf(" from ");
            if (h >= 0) {
                hostSpec(r, msg, h + 3);
            } else if (from >= 0) {
                Smtp.Endpoint e = hostSpec(null, msg, from + 6);
                if (e.ip != null) {
                    Smtp.client(r, e);
                }
            }
            r.set(REASON, msg);
        }
        return note == null ? ParseResult.parsed(r) : ParseResult.partial(r, note);
    }

    /** Lines Exim never writes: bare IP address fields or "-" placeholders, as in W3C and firewall logs. */
    private static boolean looksForeign(String msg) {
        int start = 0;
        int n = msg.length();
        while (start < n) {
            int end = msg.indexOf(' ', start);
            if (end < 0) {
                end = n;
            }
            if (end - start == 1 && msg.charAt(start) == '-') {
                return true;
            }
            if (end - start >= 7 && Values.isIp(msg.substring(start, end)) && msg.indexOf('[') < 0) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** {@code H=host (helo) [ip]:port I=.. F=<s> rejected RCPT <r>: reason} and the other ACL verdicts. */
    private static ParseResult hostLine(EventRecord r, String msg) {
        Fields f = Fields.scan(msg, 0, false);
        f.applyClient(r);
        put(r, SENDER, Smtp.angle(f.kv.get("F")));
        put(r, PROTO, Values.orNull(f.kv.get("P")));
        String rest = f.rest(msg);
        if (rest == null) {
            r.set(REASON, msg);
            return ParseResult.parsed(r);
        }
        boolean temporarily = rest.startsWith("temporarily ");
        String verb = temporarily ? rest.substring(12) : rest;
        int colon = verb.indexOf(": ");
        String reason = colon < 0 ? verb : unquote(verb.substring(colon + 2));
        if (verb.startsWith("rejected RCPT ") && colon > 0) {
            Smtp.event(r, SmtpEvent.REJECT);
            r.set(RECIPIENT, Smtp.angle(verb.substring(14, colon)));
            r.set(REASON, reason);
        } else if (verb.startsWith("rejected MAIL ") && colon > 0) {
            Smtp.event(r, SmtpEvent.REJECT);
            put(r, SENDER, Smtp.angle(verb.substring(14, colon)));
            r.set(REASON, reason);
        } else if (verb.startsWith("rejected ") || verb.startsWith("dropped by ")
                || verb.startsWith("refused ")) {
            Smtp.event(r, SmtpEvent.REJECT);
            r.set(REASON, colon < 0 ? verb : verb.substring(0, colon) + ": " + reason);
        } else if (verb.startsWith("sender verify ") && colon > 0) {
            int lt = verb.indexOf(" for ");
            if (lt > 0 && lt < colon) {
                put(r, SENDER, Smtp.angle(verb.substring(lt + 5, colon)));
            }
            r.set(REASON, verb);
        } else {
            if (verb.startsWith("Warning: ")) {
                Smtp.event(r, SmtpEvent.WARNING);
            }
            r.set(REASON, rest);
        }
        if (temporarily) {
            r.set(STATUS, "temporarily rejected");
        }
        return ParseResult.parsed(r);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"'
                ? s.substring(1, s.length() - 1) : s;
    }

    /** Skips {@code I=[..]:25 Ci=123 ...} fields at the start of {@code rest}. */
    private static String skipFields(String rest) {
        Fields f = Fields.scan(rest, 0, false);
        String after = f.rest(rest);
        return after == null ? "" : after;
    }

    /**
     * Reads Exim's peer {@code [name ][(helo) ][[ip]][:port]} at {@code pos} into {@code r}'s client columns (when
     * {@code r} is not null). Never null; {@code end} is where it stopped.
     */
    static Smtp.Endpoint hostSpec(EventRecord r, String s, int pos) {
        Smtp.Endpoint e = new Smtp.Endpoint();
        int n = s.length();
        int p = pos;
        String helo = null;
        if (p < n && s.charAt(p) != '(' && s.charAt(p) != '[') {
            int space = s.indexOf(' ', p);
            int end = space < 0 ? n : space;
            String name = s.substring(p, end);
            if (name.endsWith(":")) {
                name = name.substring(0, name.length() - 1);
                e.host = name;
                e.end = end - 1;
                apply(r, e, null);
                return e;
            }
            e.host = name;
            p = end;
            if (p + 1 < n && (s.charAt(p + 1) == '(' || s.charAt(p + 1) == '[')) {
                p++;
            } else {
                e.end = p;
                apply(r, e, null);
                return e;
            }
        }
        if (p < n && s.charAt(p) == '(') {
            int close = s.indexOf(") ", p);
            if (close < 0) {
                close = s.endsWith(")") ? n - 1 : -1;
            }
            if (close > p) {
                helo = s.substring(p + 1, close);
                p = close + 1;
                if (p + 1 < n && s.charAt(p) == ' ' && s.charAt(p + 1) == '[') {
                    p++;
                }
            }
        }
        if (p < n && s.charAt(p) == '[') {
            int rb = s.indexOf(']', p);
            if (rb > p) {
                Smtp.address(e, s.substring(p + 1, rb));
                p = Smtp.port(e, s, rb + 1);
            }
        }
        e.end = p;
        apply(r, e, helo);
        return e;
    }

    private static void apply(EventRecord r, Smtp.Endpoint e, String helo) {
        e.helo = helo;
        if (r != null) {
            Smtp.client(r, e);
            put(r, HELO, Values.orNull(helo));
        }
    }

    /** Exim durations: {@code 1s}, {@code 0.349s}, {@code 2m42s}, {@code 1h2m3s}, {@code 1d2h}. */
    static Double duration(String d) {
        if (d == null || d.isEmpty()) {
            return null;
        }
        double total = 0;
        int start = 0;
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            int unit = switch (c) {
                case 's' -> 1;
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                case 'w' -> 604800;
                default -> 0;
            };
            if (unit > 0) {
                Double v = Values.toDouble(d.substring(start, i));
                if (v == null) {
                    return null;
                }
                total += v * unit;
                start = i + 1;
            } else if (!Smtp.isDigit(c) && c != '.') {
                return null;
            }
        }
        return start == d.length() ? total : null;
    }

    /** The {@code K=value} fields of an Exim line, the peer of its {@code H=}, and an arrival's {@code for} list. */
    static final class Fields {
        final Map<String, String> kv = new HashMap<>();
        Smtp.Endpoint host;
        String helo;
        final List<String> recipients = new ArrayList<>(1);
        /** Where the fields stopped: the start of free text, or the string's length. */
        int end;

        static Fields scan(String s, int pos, boolean arrival) {
            Fields f = new Fields();
            int n = s.length();
            int p = pos;
            while (true) {
                while (p < n && s.charAt(p) == ' ') {
                    p++;
                }
                if (p >= n) {
                    f.end = n;
                    return f;
                }
                if (s.startsWith("H=", p)) {
                    Smtp.Endpoint e = hostSpec(null, s, p + 2);
                    f.host = e;
                    f.helo = e.helo;
                    p = e.end;
                    if (p < n && s.charAt(p) == ':' && (p + 1 == n || s.charAt(p + 1) == ' ')) {
                        f.end = Math.min(n, p + 2);
                        return f;
                    }
                    continue;
                }
                if (arrival && s.startsWith("for ", p)) {
                    for (String rcpt : s.substring(p + 4).split(" ")) {
                        if (!rcpt.isEmpty()) {
                            f.recipients.add(Smtp.angle(rcpt));
                        }
                    }
                    f.end = n;
                    return f;
                }
                int k = p;
                while (k < n && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_')) {
                    k++;
                }
                if (k == p || k >= n || s.charAt(k) != '=') {
                    f.end = p;
                    return f;
                }
                String key = s.substring(p, k);
                int vs = k + 1;
                String value;
                if (vs < n && s.charAt(vs) == '"') {
                    StringBuilder sb = new StringBuilder();
                    int i = vs + 1;
                    while (i < n && s.charAt(i) != '"') {
                        char c = s.charAt(i);
                        if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '"') {
                            c = '"';
                            i++;
                        }
                        sb.append(c);
                        i++;
                    }
                    value = sb.toString();
                    p = Math.min(n, i + 1);
                } else {
                    int space = s.indexOf(' ', vs);
                    int ve = space < 0 ? n : space;
                    value = s.substring(vs, ve);
                    p = ve;
                    if (value.endsWith(":") && !key.equals("C")) {
                        f.kv.putIfAbsent(key, value.substring(0, value.length() - 1));
                        f.end = Math.min(n, p + 1);
                        return f;
                    }
                }
                f.kv.putIfAbsent(key, value);
                if (p < n && s.charAt(p) == ':' && (p + 1 == n || s.charAt(p + 1) == ' ')) {
                    f.end = Math.min(n, p + 2);
                    return f;
                }
            }
        }

        /** The free text after the fields, or {@code null}. */
        String rest(String s) {
            return end < s.length() ? Values.orNull(s.substring(end).trim()) : null;
        }

        void applyClient(EventRecord r) {
            if (host != null) {
                Smtp.client(r, host);
                put(r, HELO, Values.orNull(helo));
            }
        }

        void applyRelay(EventRecord r) {
            if (host != null) {
                Smtp.relay(r, host);
            }
        }
    }
}
