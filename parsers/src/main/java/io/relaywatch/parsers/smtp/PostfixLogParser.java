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
import java.util.Set;

import static io.relaywatch.parsers.smtp.Smtp.put;
import static io.relaywatch.schema.SmtpEventColumn.DELAY_S;
import static io.relaywatch.schema.SmtpEventColumn.DSN;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NEXT_QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.NRCPT;
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
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Postfix syslog lines ({@code postfix/*} and {@code postfix-<instance>/*} programs): smtpd sessions, AUTH failures,
 * rejects, postscreen verdicts, cleanup/qmgr queue records, delivery results of smtp/lmtp/local/virtual/pipe/error and
 * bounce notifications. One line gives one row (Postfix logs one recipient per line). Every header form
 * {@link SyslogHeader} reads is accepted, and lines without one: with the program tag only, or the bare message of
 * journalctl {@code -o cat} where its wording is Postfix's alone; those rows have no time and say so in their note.
 */
public final class PostfixLogParser extends NamedLogParser {

    /** Actions of smtpd/cleanup/postscreen access and content checks ({@code reject: RCPT from ...}). */
    private static final Set<String> ACTIONS = Set.of("reject", "milter-reject", "proxy-reject", "reject_warning",
            "discard", "milter-discard", "hold", "milter-hold", "filter", "redirect", "warn", "replace",
            "prepend", "proxy-accept", "defer", "defer_if_permit", "defer_if_reject", "bcc", "info");

    public PostfixLogParser() {
        super("postfix", Tables.SMTP_EVENTS,
                "Postfix MTA syslog lines (smtpd, postscreen, cleanup, qmgr, smtp/lmtp/local delivery, bounce)");
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

    static boolean isPostfix(String program) {
        return (program.startsWith("postfix/") || program.startsWith("postfix-")) && program.indexOf('/') > 0
                && !program.endsWith("/");
    }

    static ParseResult parse(String line, SyslogYear years, ZoneId zone) {
        SyslogHeader h = Smtp.syslog(line, years, zone);
        if (h != null && isPostfix(h.program())) {
            return parse(h, h.timestamp() == null ? Smtp.NIL_TIME : null);
        }
        return h != null ? bareProgram(h, Smtp.NIL_TIME) : withoutHeader(line);
    }

    /**
     * A syslog line whose tag is {@code postfix} without the component: the APP-NAME of an RFC 5424 relay that keeps
     * the program name only up to the slash, or journald's identifier in front of a message that names the component
     * itself ({@code postfix[246727]: postfix/postlog: starting the Postfix mail system}). Any other program is not
     * Postfix.
     */
    private static ParseResult bareProgram(SyslogHeader h, String nilTimeNote) {
        String program = h.program();
        if (!program.equals("postfix") && !(program.startsWith("postfix-") && program.indexOf('/') < 0)) {
            return ParseResult.rejected("not a postfix line: program '" + program + "'");
        }
        String note = h.timestamp() == null ? nilTimeNote : null;
        SyslogHeader inner = SyslogHeader.tagOnly(h.message());
        if (inner != null && isPostfix(inner.program())) {
            return parse(new SyslogHeader(h.timestamp(), h.host(), inner.program(),
                    inner.pid() == null ? h.pid() : inner.pid(), inner.message()), note);
        }
        String component = componentOf(h.message());
        if (component == null || component.isEmpty()) {
            return parse(h, note);
        }
        return parse(new SyslogHeader(h.timestamp(), h.host(), program + "/" + component, h.pid(), h.message()),
                note);
    }

    /**
     * A line with no syslog header: a container's standard output, journalctl {@code -o cat}, a collector that kept
     * only the message. With the program tag ({@code postfix/smtpd[4101]: connect from ...}) the line is read as with
     * a header; without it, only a message whose wording is Postfix's alone is read (see {@link #componentOf}). Either
     * way the time is unknown: the row says so in its note.
     */
    private static ParseResult withoutHeader(String line) {
        SyslogHeader t = SyslogHeader.tagOnly(line);
        if (t != null && isPostfix(t.program())) {
            return parse(t, Smtp.NO_HEADER);
        }
        if (t != null && (t.program().equals("postfix") || t.pid() != null)) {
            return bareProgram(t, Smtp.NO_HEADER);
        }
        int start = SyslogHeader.skipPriority(line);
        String message = start == 0 ? line : line.substring(start);
        String component = componentOf(message);
        if (component == null) {
            return ParseResult.rejected(Smtp.noHeader("postfix", line));
        }
        String program = component.isEmpty() ? "postfix" : "postfix/" + component;
        return parse(new SyslogHeader(null, "", program, null, message), Smtp.NO_HEADER_NO_TAG);
    }

    /** One line whose header (possibly without time or host) is read; {@code headerNote} says what it lacked. */
    private static ParseResult parse(SyslogHeader h, String headerNote) {
        String program = h.program();
        String component = program.substring(program.lastIndexOf('/') + 1);
        EventRecord r = Smtp.record(SmtpEvent.OTHER);
        r.set(TS, h.timestamp());
        put(r, MTA_HOST, Values.orNull(h.host()));
        r.set(PROGRAM, program);
        if (component.equals("smtpd") || component.equals("postscreen")) {
            put(r, SESSION_ID, Smtp.sessionId(h));
        }
        String msg = h.message();
        String body = msg;
        int colon = msg.indexOf(": ");
        if (colon > 0) {
            String token = msg.substring(0, colon);
            if (token.equals("NOQUEUE")) {
                body = msg.substring(colon + 2);
            } else if (isQueueId(token)) {
                r.set(QUEUE_ID, token);
                body = msg.substring(colon + 2);
            }
        }
        String note = switch (component) {
            case "smtpd" -> smtpd(r, body);
            case "postscreen" -> postscreen(r, body);
            case "dnsblog" -> dnsblog(r, body);
            default -> queueAndDelivery(r, component, body);
        };
        note = Smtp.notes(headerNote, note);
        return note == null ? ParseResult.parsed(r) : ParseResult.partial(r, note);
    }

    /** Postscreen verdicts that open a message, each followed by the client's {@code [ip]:port}. */
    private static final String[] POSTSCREEN = {"CONNECT from [", "DISCONNECT [", "PASS NEW [", "PASS OLD [",
            "DNSBL rank ", "PREGREET ", "HANGUP after ", "COMMAND PIPELINING from [", "COMMAND TIME LIMIT from [",
            "COMMAND COUNT LIMIT from [", "COMMAND LENGTH LIMIT from [", "NON-SMTP COMMAND from [",
            "BARE NEWLINE from [", "WHITELISTED [", "ALLOWLISTED [", "BLACKLISTED [", "DENYLISTED [",
            "WHITELIST VETO [", "ALLOWLIST VETO ["};

    /**
     * The Postfix component that logs {@code message} when the line has lost its program tag ({@code journalctl -o
     * cat}), told by wording that is Postfix's alone: smtpd's {@code connect from host[ip]}, {@code client=},
     * {@code NOQUEUE: reject: RCPT from host[ip]: ...} and SASL failures; postscreen's verdicts; cleanup's
     * {@code message-id=}; qmgr's {@code from=<s>, size=N, nrcpt=N} and {@code removed}; a delivery agent's
     * {@code to=<r>, relay=..., status=...} (local, virtual, lmtp, pipe or smtp by its relay; {@code ""}, Postfix with
     * no component, for {@code relay=none}); bounce, pickup, smtp's connection errors and master's start. Anything
     * else, including Postfix text that other software could have written (a bare {@code warning:}), gives
     * {@code null}.
     */
    static String componentOf(String message) {
        String body = message;
        boolean queued = false;
        boolean noQueue = false;
        int colon = message.indexOf(": ");
        if (colon > 0 && colon <= 20) {
            String token = message.substring(0, colon);
            noQueue = token.equals("NOQUEUE");
            queued = !noQueue && isQueueId(token);
            if (noQueue || queued) {
                body = message.substring(colon + 2);
            }
        }
        if (queued) {
            String component = queuedComponent(body);
            if (component != null) {
                return component;
            }
        }
        if (!queued) {
            String component = unqueuedComponent(body);
            if (component != null || !noQueue) {
                return component;
            }
        }
        // NOQUEUE or a queue id, then an access or content check's verdict
        String action = actionOf(body);
        if (action == null) {
            return null;
        }
        String rest = body.substring(action.length() + 2);
        if (rest.startsWith("header ") || rest.startsWith("body ")) {
            return rest.contains("; from=<") ? "cleanup" : null;
        }
        int from = rest.indexOf(" from ");
        if (from <= 0 || rest.indexOf(' ') != from) {
            return null;
        }
        int client = from + 6;
        if (!hasClientAt(rest, client)) {
            return null;
        }
        return rest.charAt(client) == '[' ? "postscreen" : "smtpd";
    }

    /** The component of a message without queue id (or after {@code NOQUEUE: }), or {@code null}. */
    private static String unqueuedComponent(String body) {
        for (String verdict : POSTSCREEN) {
            if (body.startsWith(verdict) && hasClientAt(body, body.indexOf('['))) {
                return "postscreen";
            }
        }
        if (body.startsWith("connect from ")) {
            return hasClientAt(body, 13) ? "smtpd" : null;
        }
        if (body.startsWith("disconnect from ")) {
            return hasClientAt(body, 16) ? "smtpd" : null;
        }
        if (body.startsWith("lost connection after ") || body.startsWith("timeout after ")
                || body.startsWith("too many errors after ")
                || body.startsWith("improper command pipelining after ")) {
            int from = body.indexOf(" from ");
            return from > 0 && hasClientAt(body, from + 6) ? "smtpd" : null;
        }
        if (body.startsWith("warning: ")) {
            return smtpdWarning(body.substring(9)) ? "smtpd" : null;
        }
        int tls = body.indexOf(" TLS connection established ");
        if (tls > 0 && body.indexOf(' ') == tls) {
            String word = body.substring(0, tls);
            if (word.equals("Anonymous") || word.equals("Trusted") || word.equals("Untrusted")
                    || word.equals("Verified")) {
                int direction = tls + 28;
                if (body.startsWith("from ", direction) && hasClientAt(body, direction + 5)) {
                    return "smtpd";
                }
                if (body.startsWith("to ", direction) && hasClientAt(body, direction + 3)) {
                    return "smtp";
                }
            }
            return null;
        }
        if (body.startsWith("connect to ") || body.startsWith("lost connection with ")) {
            return hasClientAt(body, body.charAt(0) == 'c' ? 11 : 21) ? "smtp" : null;
        }
        if (body.startsWith("daemon started -- version ") || body.startsWith("reload -- version ")
                || body.startsWith("terminating on signal ")) {
            return "master";
        }
        if (body.startsWith("addr ") && body.contains(" listed by domain ")) {
            return "dnsblog";
        }
        return null;
    }

    /** The component of a message that follows a queue id, or {@code null}. */
    private static String queuedComponent(String body) {
        if (body.startsWith("client=")) {
            return hasClientAt(body, 7) ? "smtpd" : null;
        }
        if (body.startsWith("message-id=") || body.startsWith("resent-message-id=")) {
            return "cleanup";
        }
        if (body.equals("removed")) {
            return "qmgr";
        }
        if (body.startsWith("from=<")) {
            return body.contains(", nrcpt=") || body.contains(", status=expired") ? "qmgr" : null;
        }
        if (body.startsWith("to=<")) {
            int relay = body.indexOf(", relay=");
            if (relay < 0 || !body.contains(", status=")) {
                return null;
            }
            int end = body.indexOf(", ", relay + 8);
            String value = body.substring(relay + 8, end < 0 ? body.length() : end);
            return switch (value) {
                case "local" -> "local";
                case "virtual" -> "virtual";
                case "none" -> "";
                default -> value.contains("lmtp") || value.contains("[private/") ? "lmtp"
                        : value.indexOf('[') > 0 ? "smtp" : "pipe";
            };
        }
        if (body.startsWith("uid=") && body.contains(" from=<")) {
            return "pickup";
        }
        if ((body.startsWith("warning: header ") || body.startsWith("warning: body ")) && body.contains("; from=<")) {
            return "cleanup";
        }
        int notification = body.indexOf(" notification: ");
        if (notification > 0 && (body.startsWith("sender ") || body.startsWith("postmaster "))) {
            return "bounce";
        }
        if (body.startsWith("host ") && (body.contains("] said: ") || body.contains("] refused to talk to me: "))) {
            return "smtp";
        }
        return null;
    }

    /** smtpd's warnings that name the client: SASL failures, non-SMTP commands, a name that does not resolve. */
    private static boolean smtpdWarning(String w) {
        if (w.startsWith("non-SMTP command from ")) {
            return hasClientAt(w, 22);
        }
        if (w.startsWith("hostname ")) {
            return w.contains(" does not resolve to address ");
        }
        int sasl = w.indexOf(": SASL ");
        return sasl > 0 && w.indexOf(" authentication failed", sasl) > 0 && hasClientAt(w, 0);
    }

    /** Whether {@code s} has a Postfix client {@code host[ip]} (or {@code [ip]}) with an IP address at {@code at}. */
    private static boolean hasClientAt(String s, int at) {
        if (at < 0 || at >= s.length()) {
            return false;
        }
        Smtp.Endpoint e = Smtp.bracketed(s, at);
        return e != null && e.ip != null;
    }

    /**
     * A Postfix queue id: short ids are upper-case hex ({@code 1D8CC1CA0A7F}); long ids
     * ({@code enable_long_queue_ids}) are letters and digits ({@code 4Nf7Tq2Zx9z1Pq}).
     */
    static boolean isQueueId(String s) {
        int n = s.length();
        if (n < 5 || n > 20) {
            return false;
        }
        boolean hex = true;
        boolean digit = false;
        boolean upper = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c >= 'A' && c <= 'F') {
                upper = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
                hex = false;
            } else {
                return false;
            }
        }
        return hex ? (digit || upper) : digit && n >= 10;
    }

    // --------------------------------------------------------------------------------------------------- smtpd

    private static String smtpd(EventRecord r, String body) {
        if (body.startsWith("connect from ")) {
            Smtp.Endpoint e = Smtp.bracketed(body, 13);
            Smtp.event(r, SmtpEvent.CONNECT);
            Smtp.client(r, e);
            return e == null ? "no client in connect line" : null;
        }
        if (body.startsWith("disconnect from ")) {
            Smtp.Endpoint e = Smtp.bracketed(body, 16);
            Smtp.event(r, SmtpEvent.DISCONNECT);
            Smtp.client(r, e);
            if (e != null && e.end < body.length()) {
                put(r, REASON, Values.orNull(body.substring(e.end).trim()));
            }
            return e == null ? "no client in disconnect line" : null;
        }
        if (body.startsWith("lost connection after ") || body.startsWith("timeout after ")
                || body.startsWith("too many errors after ")) {
            int from = body.indexOf(" from ");
            Smtp.event(r, SmtpEvent.LOST_CONNECTION);
            r.set(REASON, from > 0 ? body.substring(0, from) : body);
            Smtp.Endpoint e = from > 0 ? Smtp.bracketed(body, from + 6) : null;
            Smtp.client(r, e);
            return null;
        }
        if (body.startsWith("improper command pipelining after ")) {
            int from = body.indexOf(" from ");
            Smtp.Endpoint e = from > 0 ? Smtp.bracketed(body, from + 6) : null;
            Smtp.client(r, e);
            String rest = e != null && body.startsWith(": ", e.end) ? body.substring(e.end + 2) : null;
            if (Smtp.isHttpRequest(rest)) {
                Smtp.event(r, SmtpEvent.NON_SMTP_COMMAND);
                r.set(REASON, rest);
            } else {
                r.set(REASON, body);
            }
            return null;
        }
        if (body.startsWith("client=")) {
            return clientLine(r, body);
        }
        if (body.startsWith("warning: ")) {
            return smtpdWarning(r, body);
        }
        String action = actionOf(body);
        if (action != null) {
            return action(r, action, body.substring(action.length() + 2));
        }
        Smtp.client(r, Smtp.findFrom(body));
        r.set(REASON, body);
        return null;
    }

    /** {@code client=host[ip][:port][, sasl_method=LOGIN, sasl_username=x, ...]}: a message entered the queue. */
    private static String clientLine(EventRecord r, String body) {
        Smtp.event(r, SmtpEvent.MESSAGE_ACCEPTED);
        Smtp.Endpoint e = Smtp.bracketed(body, 7);
        Smtp.client(r, e);
        int pos = e == null ? body.indexOf(", ") : e.end;
        while (pos >= 0 && pos < body.length()) {
            int start = body.indexOf(", ", pos);
            if (start < 0) {
                break;
            }
            start += 2;
            int eq = body.indexOf('=', start);
            if (eq < 0) {
                break;
            }
            int end = body.indexOf(", ", eq);
            String key = body.substring(start, eq);
            String value = body.substring(eq + 1, end < 0 ? body.length() : end);
            switch (key) {
                case "sasl_method" -> put(r, SASL_METHOD, Values.orNull(value));
                case "sasl_username" -> put(r, SASL_USERNAME, Values.orNull(value));
                default -> {
                }
            }
            pos = end;
        }
        return e == null ? "no client in client= line" : null;
    }

    private static String smtpdWarning(EventRecord r, String body) {
        String w = body.substring(9);
        if (w.startsWith("non-SMTP command from ")) {
            Smtp.Endpoint e = Smtp.bracketed(w, 22);
            Smtp.event(r, SmtpEvent.NON_SMTP_COMMAND);
            Smtp.client(r, e);
            r.set(REASON, e != null && w.startsWith(": ", e.end) ? w.substring(e.end + 2) : w);
            return null;
        }
        int sasl = w.indexOf(": SASL ");
        int failed = sasl < 0 ? -1 : w.indexOf(" authentication failed", sasl);
        if (failed > 0) {
            Smtp.Endpoint e = Smtp.bracketed(w, 0);
            Smtp.event(r, SmtpEvent.AUTH_FAILURE);
            Smtp.client(r, e);
            put(r, SASL_METHOD, Values.orNull(w.substring(sasl + 7, failed)));
            int after = failed + " authentication failed".length();
            String reason = w.startsWith(":", after) ? w.substring(after + 1).trim() : "";
            int user = reason.lastIndexOf(", sasl_username=");
            if (user >= 0) {
                put(r, SASL_USERNAME, Values.orNull(reason.substring(user + 16)));
                reason = reason.substring(0, user);
            }
            put(r, REASON, Values.orNull(reason));
            return e == null ? "no client in SASL failure" : null;
        }
        if (w.startsWith("hostname ")) {
            int resolve = w.indexOf(" does not resolve to address ");
            if (resolve > 0) {
                Smtp.event(r, SmtpEvent.WARNING);
                put(r, io.relaywatch.schema.SmtpEventColumn.CLIENT_HOST, w.substring(9, resolve));
                int start = resolve + 29;
                int end = w.indexOf(':', start);
                String ip = w.substring(start, end < 0 ? w.length() : end);
                put(r, io.relaywatch.schema.SmtpEventColumn.CLIENT_IP, Values.isIp(ip) ? ip : null);
                r.set(REASON, w);
                return null;
            }
        }
        Smtp.Endpoint e = Smtp.findFrom(w);
        Smtp.client(r, e);
        // anvil limits enforced by smtpd: the client is refused with 421
        Smtp.event(r, w.contains(" limit exceeded") && e != null ? SmtpEvent.REJECT : SmtpEvent.WARNING);
        r.set(REASON, w);
        return null;
    }

    /** The access/content action word that starts {@code body} ({@code reject: ...}), or {@code null}. */
    private static String actionOf(String body) {
        int colon = body.indexOf(": ");
        if (colon <= 0 || colon > 16) {
            return null;
        }
        String word = body.substring(0, colon);
        return ACTIONS.contains(word) ? word : null;
    }

    /**
     * {@code <CMD> from host[ip]: <reply>; from=<s> to=<r> proto=P helo=<h>} (smtpd, postscreen) or
     * {@code header|body <text> from host[ip]; from=<s> to=<r> proto=P helo=<h>: <dsn> <text>} (cleanup).
     */
    private static String action(EventRecord r, String action, String rest) {
        Smtp.event(r, action.equals("reject") || action.equals("milter-reject") || action.equals("proxy-reject")
                ? SmtpEvent.REJECT : SmtpEvent.OTHER);
        r.set(STATUS, action);
        if (rest.startsWith("header ") || rest.startsWith("body ")) {
            int trailer = rest.lastIndexOf("; from=<");
            if (trailer < 0) {
                r.set(REASON, rest);
                return "no envelope in content check line";
            }
            String before = rest.substring(0, trailer);
            int from = before.lastIndexOf(" from ");
            String content = before;
            if (from > 0) {
                content = before.substring(0, from);
                Smtp.client(r, Smtp.bracketed(before, from + 6));
            }
            int end = trailer(r, rest, trailer + 2);
            if (end < rest.length()) {
                Smtp.Reply reply = Smtp.reply(rest.substring(end).trim());
                String text = dsnFirst(r, reply.text);
                put(r, SMTP_CODE, reply.code);
                put(r, DSN, reply.dsn);
                r.set(REASON, text.isEmpty() ? content : content + ": " + text);
            } else {
                r.set(REASON, content);
            }
            return null;
        }
        int from = rest.indexOf(" from ");
        if (from < 0) {
            // proxy-reject: END-OF-MESSAGE: 550 ...; from=<> ...
            int colon = rest.indexOf(": ");
            return replyAndTrailer(r, rest, colon < 0 ? 0 : colon + 2);
        }
        Smtp.Endpoint e = Smtp.bracketed(rest, from + 6);
        Smtp.client(r, e);
        int replyStart = e == null ? rest.indexOf(": ", from) : rest.indexOf(": ", e.end);
        if (replyStart < 0) {
            r.set(REASON, rest);
            return "no reply in " + action + " line";
        }
        String note = replyAndTrailer(r, rest, replyStart + 2);
        return e == null ? "no client in " + action + " line" : note;
    }

    private static String replyAndTrailer(EventRecord r, String rest, int replyStart) {
        int trailer = rest.indexOf("; from=<", replyStart);
        if (trailer < 0) {
            trailer = rest.indexOf("; to=<", replyStart);
        }
        if (trailer < 0) {
            trailer = rest.lastIndexOf("; proto=");
            if (trailer < replyStart) {
                trailer = -1;
            }
        }
        String replyText = rest.substring(replyStart, trailer < 0 ? rest.length() : trailer);
        Smtp.Reply reply = Smtp.reply(replyText);
        put(r, SMTP_CODE, reply.code);
        String text = reply.code == null ? dsnFirst(r, replyText) : reply.text;
        put(r, DSN, reply.dsn);
        put(r, REASON, Values.orNull(text));
        if (trailer >= 0) {
            trailer(r, rest, trailer + 2);
        }
        return null;
    }

    /** A reply that starts with an enhanced status code but no SMTP code ({@code 5.7.1 text}): sets dsn. */
    private static String dsnFirst(EventRecord r, String text) {
        int space = text.indexOf(' ');
        int end = space < 0 ? text.length() : space;
        if (Smtp.isDsn(text, 0, end)) {
            r.set(DSN, text.substring(0, end));
            return space < 0 ? "" : text.substring(space + 1);
        }
        return text;
    }

    /**
     * Reads {@code from=<s> to=<r> proto=P helo=<h>} (spaces or ", " between) from {@code pos}; stops at {@code ": "}
     * after a value or at the end. Returns the index where it stopped.
     */
    static int trailer(EventRecord r, String s, int pos) {
        int n = s.length();
        int i = pos;
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                return n;
            }
            String key = s.substring(i, eq);
            if (key.indexOf(' ') >= 0) {
                return i;
            }
            int vs = eq + 1;
            int ve;
            if (vs < n && s.charAt(vs) == '<') {
                int close = s.indexOf('>', vs);
                ve = close < 0 ? n : close + 1;
            } else {
                ve = vs;
                while (ve < n && s.charAt(ve) != ' ' && s.charAt(ve) != ',' && !(s.charAt(ve) == ':'
                        && (ve + 1 == n || s.charAt(ve + 1) == ' '))) {
                    ve++;
                }
            }
            String value = s.substring(vs, ve);
            switch (key) {
                case "from" -> put(r, SENDER, Smtp.angle(value));
                case "to" -> put(r, RECIPIENT, Smtp.angle(value));
                case "proto" -> put(r, PROTO, Values.orNull(value));
                case "helo" -> put(r, HELO, Values.orNull(Smtp.angle(value)));
                default -> {
                }
            }
            i = ve;
            if (i < n && s.charAt(i) == ':') {
                return i + 1;
            }
        }
        return n;
    }

    // ----------------------------------------------------------------------------------------------- postscreen

    private static String postscreen(EventRecord r, String body) {
        String action = actionOf(body);
        if (action != null) {
            return action(r, action, body.substring(action.length() + 2));
        }
        if (body.startsWith("warning: ")) {
            Smtp.event(r, SmtpEvent.WARNING);
            Smtp.client(r, Smtp.findFrom(body));
            r.set(REASON, body.substring(9));
            return null;
        }
        // the verdict: the upper-case words that open the line (PASS NEW, DNSBL, COMMAND TIME LIMIT, ...)
        int v = 0;
        while (v < body.length()) {
            char c = body.charAt(v);
            if (!((c >= 'A' && c <= 'Z') || c == '-' || c == ' ')) {
                break;
            }
            v++;
        }
        String verdict = body.substring(0, v).trim();
        int lb = body.indexOf('[');
        Smtp.Endpoint e = lb < 0 ? null : Smtp.bracketed(body, lb);
        Smtp.client(r, e);
        if (verdict.isEmpty() || e == null || e.ip == null) {
            r.set(REASON, body);
            return null;
        }
        String rest = e.end + 2 <= body.length() && body.startsWith(": ", e.end) ? body.substring(e.end + 2) : null;
        switch (verdict) {
            case "CONNECT" -> Smtp.event(r, SmtpEvent.CONNECT);
            case "DISCONNECT" -> Smtp.event(r, SmtpEvent.DISCONNECT);
            case "NON-SMTP COMMAND" -> {
                Smtp.event(r, SmtpEvent.NON_SMTP_COMMAND);
                int colon = body.indexOf(": ", e.end);
                r.set(REASON, colon > 0 ? body.substring(colon + 2) : body);
                r.set(STATUS, verdict);
                return null;
            }
            case "PREGREET" -> Smtp.event(r, Smtp.isHttpRequest(rest) ? SmtpEvent.NON_SMTP_COMMAND
                    : SmtpEvent.SCREEN);
            default -> Smtp.event(r, SmtpEvent.SCREEN);
        }
        if (!verdict.equals("CONNECT") && !verdict.equals("DISCONNECT")) {
            r.set(STATUS, verdict);
            r.set(REASON, body);
        }
        return null;
    }

    /** dnsblog: {@code addr 192.0.2.1 listed by domain zen.spamhaus.org as 127.0.0.2}. */
    private static String dnsblog(EventRecord r, String body) {
        if (body.startsWith("addr ")) {
            int end = body.indexOf(' ', 5);
            String ip = body.substring(5, end < 0 ? body.length() : end);
            if (Values.isIp(ip)) {
                Smtp.event(r, SmtpEvent.SCREEN);
                r.set(io.relaywatch.schema.SmtpEventColumn.CLIENT_IP, ip);
                r.set(STATUS, "DNSBL");
            }
        }
        return generic(r, body);
    }

    // ------------------------------------------------------------------------------ cleanup, qmgr, delivery, ...

    private static String queueAndDelivery(EventRecord r, String component, String body) {
        if (body.startsWith("to=<")) {
            return delivery(r, body);
        }
        if (body.startsWith("from=<")) {
            return queued(r, body);
        }
        if (body.equals("removed")) {
            Smtp.event(r, SmtpEvent.REMOVED);
            return null;
        }
        if (body.startsWith("message-id=") || body.startsWith("resent-message-id=")) {
            Smtp.event(r, SmtpEvent.MESSAGE_QUEUED);
            String id = Smtp.angle(body.substring(body.indexOf('=') + 1).trim());
            put(r, MESSAGE_ID, Values.orNull(id));
            return null;
        }
        int notification = body.indexOf(" notification: ");
        if (notification > 0 && body.indexOf(' ') < notification && !body.startsWith("warning")) {
            Smtp.event(r, SmtpEvent.BOUNCE_NOTIFICATION);
            r.set(REASON, body.substring(0, notification + 13));
            String next = body.substring(notification + 15).trim();
            put(r, NEXT_QUEUE_ID, isQueueId(next) ? next : null);
            return null;
        }
        if (component.equals("pickup") && body.startsWith("uid=")) {
            Smtp.event(r, SmtpEvent.MESSAGE_ACCEPTED);
            int from = body.indexOf(" from=");
            if (from > 0) {
                put(r, SENDER, Smtp.angle(body.substring(from + 6).trim()));
            }
            return null;
        }
        String action = actionOf(body);
        if (action != null) {
            return action(r, action, body.substring(action.length() + 2));
        }
        if (r.get(QUEUE_ID) != null && (body.startsWith("warning: header ") || body.startsWith("warning: body "))) {
            return action(r, "warning", body.substring(9));
        }
        if (body.startsWith("host ") || body.startsWith("connect to ") || body.startsWith("lost connection with ")) {
            Smtp.Reply reply = Smtp.reply(body);
            Smtp.relay(r, reply.peer);
            put(r, SMTP_CODE, reply.code);
            r.set(REASON, body);
            return null;
        }
        return generic(r, body);
    }

    /** Anything else: warnings and errors become {@code warning}, the rest {@code other}; reason holds the text. */
    private static String generic(EventRecord r, String body) {
        if (body.startsWith("warning: ") || body.startsWith("fatal: ") || body.startsWith("panic: ")
                || body.startsWith("error: ")) {
            Smtp.event(r, SmtpEvent.WARNING);
        }
        if (r.get(io.relaywatch.schema.SmtpEventColumn.CLIENT_IP) == null) {
            Smtp.client(r, Smtp.findFrom(body));
        }
        r.set(REASON, body.startsWith("warning: ") ? body.substring(9) : body);
        return null;
    }

    /** qmgr: {@code from=<s>, size=N, nrcpt=N (queue active)} or {@code from=<s>, status=expired, returned ...}. */
    private static String queued(EventRecord r, String body) {
        Smtp.event(r, SmtpEvent.MESSAGE_QUEUED);
        String note = null;
        int pos = 0;
        while (pos < body.length()) {
            int eq = body.indexOf('=', pos);
            int end = body.indexOf(", ", pos);
            String key = body.substring(pos, eq < 0 ? body.length() : eq);
            String value = eq < 0 || (end >= 0 && end < eq) ? "" : body.substring(eq + 1, end < 0 ? body.length() : end);
            switch (key) {
                case "from" -> put(r, SENDER, Smtp.angle(value));
                case "size" -> put(r, SIZE, Values.toCount(value));
                case "nrcpt" -> {
                    int space = value.indexOf(' ');
                    put(r, NRCPT, Values.toIntCount(space < 0 ? value : value.substring(0, space)));
                    if (space > 0) {
                        String rest = value.substring(space + 1);
                        if (rest.startsWith("(") && rest.endsWith(")")) {
                            rest = rest.substring(1, rest.length() - 1);
                        }
                        put(r, REASON, Values.orNull(rest));
                    }
                }
                case "status" -> {
                    r.set(STATUS, value);
                    if (value.equals("expired")) {
                        Smtp.event(r, SmtpEvent.EXPIRED);
                    }
                    if (end >= 0) {
                        put(r, REASON, Values.orNull(body.substring(end + 2)));
                    }
                    return note;
                }
                default -> {
                    if (eq < 0 || key.indexOf(' ') >= 0) {
                        put(r, REASON, body.substring(pos));
                        return note;
                    }
                }
            }
            if (end < 0) {
                break;
            }
            pos = end + 2;
        }
        return note;
    }

    /**
     * smtp/lmtp/local/virtual/pipe/error (and qmgr deferrals): {@code to=<r>, [orig_to=<o>,] relay=host[ip]:port,
     * delay=.., delays=a/b/c/d, dsn=x.y.z, status=sent (reply)}.
     */
    private static String delivery(EventRecord r, String body) {
        int pos = 0;
        String note = null;
        while (pos < body.length()) {
            int eq = body.indexOf('=', pos);
            if (eq < 0) {
                break;
            }
            String key = body.substring(pos, eq);
            if (key.equals("status")) {
                status(r, body.substring(eq + 1));
                return note;
            }
            int end = body.indexOf(", ", eq);
            String value = body.substring(eq + 1, end < 0 ? body.length() : end);
            switch (key) {
                case "to" -> put(r, RECIPIENT, Smtp.angle(value));
                case "relay" -> {
                    if (!value.equals("none")) {
                        Smtp.Endpoint e = Smtp.bracketed(value, 0);
                        if (e != null && e.ip != null) {
                            Smtp.relay(r, e);
                        } else {
                            r.set(io.relaywatch.schema.SmtpEventColumn.RELAY_HOST, value);
                        }
                    }
                }
                case "delay" -> put(r, DELAY_S, seconds(value));
                case "dsn" -> put(r, DSN, Values.orNull(value));
                default -> {
                }
            }
            if (end < 0) {
                break;
            }
            pos = end + 2;
        }
        Smtp.event(r, SmtpEvent.OTHER);
        r.set(REASON, body);
        return "no status in delivery line";
    }

    /** A delay in seconds: a finite number not below zero, or {@code null} (a mangled line says "-1.05"). */
    private static Double seconds(String value) {
        Double d = Values.toDouble(value);
        return d == null || d < 0 || d.isInfinite() || d.isNaN() ? null : d;
    }

    private static void status(EventRecord r, String s) {
        int space = s.indexOf(' ');
        String status = space < 0 ? s : s.substring(0, space);
        r.set(STATUS, status);
        Smtp.event(r, switch (status) {
            case "sent" -> SmtpEvent.DELIVERED;
            case "deferred" -> SmtpEvent.DEFERRED;
            case "bounced" -> SmtpEvent.BOUNCED;
            case "expired" -> SmtpEvent.EXPIRED;
            default -> SmtpEvent.OTHER;
        });
        if (space < 0) {
            return;
        }
        String text = s.substring(space + 1);
        if (text.startsWith("(") && text.endsWith(")")) {
            text = text.substring(1, text.length() - 1);
        }
        Smtp.Reply reply = Smtp.reply(text);
        put(r, SMTP_CODE, reply.code);
        put(r, NEXT_QUEUE_ID, reply.nextQueueId);
        if (r.get(io.relaywatch.schema.SmtpEventColumn.RELAY_IP) == null && reply.peer != null) {
            Smtp.relay(r, reply.peer);
        }
        r.set(REASON, text);
    }
}
