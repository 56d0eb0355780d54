package io.relaywatch.parsers.web;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.Values;
import io.relaywatch.parsers.W3cFields;
import io.relaywatch.parsers.W3cTime;
import io.relaywatch.schema.Tables;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.relaywatch.schema.HttpRequestColumn.BYTES_SENT;
import static io.relaywatch.schema.HttpRequestColumn.CLIENT_IP;
import static io.relaywatch.schema.HttpRequestColumn.DURATION_MS;
import static io.relaywatch.schema.HttpRequestColumn.METHOD;
import static io.relaywatch.schema.HttpRequestColumn.PROTOCOL;
import static io.relaywatch.schema.HttpRequestColumn.REFERER;
import static io.relaywatch.schema.HttpRequestColumn.SERVER;
import static io.relaywatch.schema.HttpRequestColumn.SERVER_PORT;
import static io.relaywatch.schema.HttpRequestColumn.STATUS;
import static io.relaywatch.schema.HttpRequestColumn.TARGET;
import static io.relaywatch.schema.HttpRequestColumn.TS;
import static io.relaywatch.schema.HttpRequestColumn.USER_AGENT;
import static io.relaywatch.schema.HttpRequestColumn.USER_NAME;

/**
 * IIS W3C extended logs (IIS 4-10, HTTP Server API, IIS Advanced Logging). Driven by {@code #Fields}; date and time
 * are UTC as IIS writes them ({@code date-local}/{@code time-local} of Advanced Logging are read in the file's zone);
 * without a date field the {@code #Date} directive's date is used. User agents have IIS's {@code +} decoded to spaces.
 * Lines of the IIS SMTP service, Windows Firewall and Exchange logs share the syntax and are refused here, so that
 * detection gives them to their own parsers. Requests to Exchange's web services (OWA, EWS, ActiveSync, ...) are
 * classified as logons by {@link ExchangeWebLogons}, one per file, which reads a failed forms logon across its two
 * requests.
 */
public final class IisW3cLogParser extends NamedLogParser {

    /** IIS's default field selection, used for records before any {@code #Fields} line. */
    static final List<String> DEFAULT_FIELDS = List.of("date", "time", "s-ip", "cs-method", "cs-uri-stem",
            "cs-uri-query", "s-port", "cs-username", "c-ip", "cs(User-Agent)", "cs(Referer)", "sc-status",
            "sc-substatus", "sc-win32-status", "time-taken");

    static final Set<String> SMTP_VERBS = Set.of("EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT", "AUTH", "RSET",
            "STARTTLS", "BDAT", "XEXCH50", "X-EXPS", "NOOP", "VRFY", "EXPN", "XXXX", "TURN", "ETRN");

    private static boolean isToken(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') {
                return false;
            }
        }
        return !method.isEmpty();
    }

    public IisW3cLogParser() {
        super("iis_w3c", Tables.HTTP_REQUESTS,
                "Microsoft IIS W3C extended web logs (also HTTP Server API and Advanced Logging)");
    }

    @Override
    public LineParser open(ParseContext context) {
        W3cFields w3c = new W3cFields(DEFAULT_FIELDS, false);
        ExchangeWebLogons logons = new ExchangeWebLogons();
        return line -> parse(line, w3c, logons, context);
    }

    private ParseResult parse(String line, W3cFields w3c, ExchangeWebLogons logons, ParseContext context) {
        String directive = w3c.directive(line);
        if (directive != null) {
            return ParseResult.skipped(directive);
        }
        String software = w3c.software();
        if (software.contains("Firewall") || software.contains("Exchange")) {
            return ParseResult.rejected("not an IIS web log: #Software is " + software);
        }
        if (!w3c.has("cs-method") || !(w3c.has("cs-uri-stem") || w3c.has("cs-uri"))) {
            return ParseResult.rejected("W3C fields lack cs-method and cs-uri-stem: not a web request log");
        }
        List<String> values = w3c.split(line);
        String site = w3c.get(values, "s-sitename");
        String method = w3c.get(values, "cs-method");
        if ((site != null && site.toUpperCase(Locale.ROOT).startsWith("SMTPSVC"))
                || (method != null && SMTP_VERBS.contains(method.toUpperCase(Locale.ROOT)) && !w3c.fromHeader())) {
            return ParseResult.rejected("an IIS SMTP service line, not a web request");
        }
        if (method != null && SMTP_VERBS.contains(method.toUpperCase(Locale.ROOT)) && site == null
                && w3c.get(values, "cs-uri-stem") == null) {
            return ParseResult.rejected("an SMTP command line, not a web request");
        }
        boolean local = w3c.has("date-local") || w3c.has("time-local");
        Instant ts = W3cTime.of(w3c.first(values, "date", "date-local"), w3c.first(values, "time", "time-local"),
                w3c.directiveDate(), local ? context.zone() : java.time.ZoneOffset.UTC);
        String clientIp = w3c.get(values, "c-ip");
        if (ts == null && clientIp == null) {
            return ParseResult.rejected("W3C record without a readable time or client address");
        }
        if (!w3c.fromHeader() && (ts == null || !Values.isIp(clientIp) || method == null || !isToken(method))) {
            // without a #Fields line only a record that fits IIS's default layout exactly is taken as IIS
            return ParseResult.rejected("no #Fields directive and the line does not fit IIS's default field layout");
        }
        EventRecord row = new EventRecord(Tables.HTTP_REQUESTS);
        row.set(TS, ts);
        row.set(SERVER, w3c.first(values, "s-computername", "cs-host", "cs(host)", "s-sitename", "s-ip"));
        row.set(SERVER_PORT, Values.toPort(w3c.get(values, "s-port")));
        row.set(CLIENT_IP, Values.ipOrHost(clientIp));
        row.set(USER_NAME, w3c.get(values, "cs-username"));
        row.set(METHOD, method);
        String stem = w3c.first(values, "cs-uri-stem", "cs-uri");
        String query = w3c.get(values, "cs-uri-query");
        if (stem != null) {
            row.set(TARGET, query == null ? stem : stem + "?" + query);
            RequestTargets.fill(row, method, stem, query);
        }
        row.set(PROTOCOL, w3c.get(values, "cs-version"));
        row.set(STATUS, Values.toStatus(w3c.get(values, "sc-status")));
        row.set(BYTES_SENT, Values.toCount(w3c.get(values, "sc-bytes")));
        row.set(DURATION_MS, Values.toCount(w3c.first(values, "time-taken", "timetakenms")));
        String agent = w3c.get(values, "cs(user-agent)");
        row.set(USER_AGENT, agent == null ? null : agent.replace('+', ' '));
        row.set(REFERER, w3c.get(values, "cs(referer)"));
        logons.classify(row, w3c.has("sc-substatus") ? w3c.raw(values, "sc-substatus") : null);
        String note = w3c.countMismatch(values);
        if (ts == null) {
            note = (note == null ? "" : note + "; ") + "no readable date/time";
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }
}
