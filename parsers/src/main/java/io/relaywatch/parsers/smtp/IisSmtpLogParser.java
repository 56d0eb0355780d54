package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.Values;
import io.relaywatch.parsers.W3cFields;
import io.relaywatch.parsers.W3cTime;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.Tables;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SIZE;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * The IIS 6 SMTP service (SMTPSVC) W3C protocol log, as used by Exchange 2003 and IIS smarthosts: one line per SMTP
 * command with its reply code ({@code RCPT +TO:<x@y> 550}). With or without {@code #Fields}; without, IIS's default
 * SMTP selection is assumed. {@code AUTH} answered 535 is an auth failure, a 5xx to MAIL/RCPT a reject, anything else
 * a {@code command} event. {@code cs-username} holds the client's HELO name (the service logs it on every line of a
 * session), not an account: the service never logs who authenticated.
 */
public final class IisSmtpLogParser extends NamedLogParser {

    static final List<String> DEFAULT_FIELDS = List.of("date", "time", "c-ip", "cs-username", "s-sitename",
            "s-computername", "s-ip", "s-port", "cs-method", "cs-uri-stem", "cs-uri-query", "sc-status",
            "sc-win32-status", "sc-bytes", "cs-bytes", "time-taken", "cs-version", "cs-host", "cs(User-Agent)",
            "cs(Cookie)", "cs(Referer)");

    private static final Set<String> VERBS = Set.of("EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "AUTH", "RSET",
            "STARTTLS", "BDAT", "XEXCH50", "X-EXPS", "NOOP", "VRFY", "EXPN", "XXXX", "TURN", "ETRN", "TIMEOUT",
            "-");

    public IisSmtpLogParser() {
        super("iis_smtp", Tables.SMTP_EVENTS,
                "Microsoft IIS SMTP service (SMTPSVC) W3C protocol logs, Exchange 2003 era");
    }

    @Override
    public LineParser open(ParseContext context) {
        W3cFields w3c = new W3cFields(DEFAULT_FIELDS, false);
        return line -> parse(line, w3c);
    }

    private ParseResult parse(String line, W3cFields w3c) {
        String directive = w3c.directive(line);
        if (directive != null) {
            return ParseResult.skipped(directive);
        }
        List<String> values = w3c.split(line);
        String site = w3c.get(values, "s-sitename");
        String method = w3c.get(values, "cs-method");
        boolean smtpSite = site != null && site.toUpperCase(Locale.ROOT).startsWith("SMTPSVC");
        boolean smtpVerb = method != null && VERBS.contains(method.toUpperCase(Locale.ROOT));
        if (!smtpSite && !(smtpVerb && w3c.has("cs-method") && site == null && w3c.fromHeader())) {
            return ParseResult.rejected("not an IIS SMTP service line: site '" + site + "', command '" + method + "'");
        }
        Instant ts = W3cTime.of(w3c.get(values, "date"), w3c.get(values, "time"), w3c.directiveDate(),
                ZoneOffset.UTC);
        EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
        row.set(TS, ts);
        row.set(MTA_HOST, w3c.first(values, "s-computername", "s-ip"));
        row.set(PROGRAM, site);
        String clientIp = w3c.get(values, "c-ip");
        row.set(CLIENT_IP, Values.isIp(clientIp) ? clientIp : null);
        Integer status = Smtp.code(Values.toInt(w3c.get(values, "sc-status")));
        row.set(SMTP_CODE, status);
        String query = w3c.get(values, "cs-uri-query");
        String verb = method == null ? "" : method.toUpperCase(Locale.ROOT);
        // the SMTP service logs the client's HELO name as cs-username on every line of the session, not a user
        row.set(HELO, w3c.get(values, "cs-username"));
        row.set(REASON, (method == null ? "-" : method) + (query == null ? "" : " " + query));
        row.set(SIZE, verb.equals("DATA") ? Values.toCount(w3c.get(values, "cs-bytes")) : null);
        String event = SmtpEvent.COMMAND.value();
        switch (verb) {
            case "EHLO", "HELO" -> row.set(HELO, query == null ? null : query.replace("+", "").trim());
            case "MAIL" -> row.set(SENDER, address(query, "FROM:"));
            case "RCPT" -> row.set(RECIPIENT, address(query, "TO:"));
            case "QUIT" -> event = SmtpEvent.DISCONNECT.value();
            default -> {
            }
        }
        if (verb.equals("AUTH") && status != null && status == 535) {
            event = SmtpEvent.AUTH_FAILURE.value();
        } else if (verb.equals("AUTH") && status != null && status == 235) {
            event = SmtpEvent.AUTH_SUCCESS.value();
        } else if ((verb.equals("MAIL") || verb.equals("RCPT")) && status != null && status >= 500) {
            event = SmtpEvent.REJECT.value();
        }
        row.set(EVENT, event);
        String note = w3c.fromHeader() ? w3c.countMismatch(values) : null;
        if (clientIp != null && !Values.isIp(clientIp)) {
            note = (note == null ? "" : note + "; ") + "c-ip '" + clientIp + "' is not an IP address";
        }
        if (ts == null) {
            note = (note == null ? "" : note + "; ") + "no readable date/time";
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }

    /** "+FROM:<a@b.example>+SIZE=1234" → "a@b.example"; "" for the null sender {@code <>}. */
    static String address(String query, String key) {
        if (query == null) {
            return null;
        }
        int at = query.toUpperCase(Locale.ROOT).indexOf(key);
        if (at < 0) {
            return null;
        }
        int open = query.indexOf('<', at);
        int close = open < 0 ? -1 : query.indexOf('>', open);
        if (open >= 0 && close > open) {
            return query.substring(open + 1, close);
        }
        String rest = query.substring(at + key.length());
        int plus = rest.indexOf('+');
        return plus >= 0 ? rest.substring(0, plus) : rest;
    }
}
