package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.Values;
import io.relaywatch.parsers.W3cFields;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.Tables;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_PORT;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SESSION_ID;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Exchange Server SMTP receive (and send) protocol logs ({@code RECV*.LOG}): CSV with
 * {@code date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context}, one line
 * per connection event ({@code +} connect, {@code -} disconnect), command received ({@code <}), reply sent
 * ({@code >}) or note ({@code *}). The remote endpoint is the SMTP client of a receive connector.
 */
public final class ExchangeSmtpProtocolLogParser extends NamedLogParser {

    static final List<String> DEFAULT_FIELDS = List.of("date-time", "connector-id", "session-id", "sequence-number",
            "local-endpoint", "remote-endpoint", "event", "data", "context");

    public ExchangeSmtpProtocolLogParser() {
        super("exchange_smtp_protocol", Tables.SMTP_EVENTS,
                "Microsoft Exchange SMTP receive/send protocol logs (RECV/SEND)");
    }

    @Override
    public LineParser open(ParseContext context) {
        W3cFields w3c = new W3cFields(DEFAULT_FIELDS, true);
        return line -> parse(line, w3c);
    }

    private ParseResult parse(String line, W3cFields w3c) {
        String directive = w3c.directive(line);
        if (directive != null) {
            return ParseResult.skipped(directive);
        }
        if (!w3c.has("session-id") || !w3c.has("remote-endpoint")) {
            return ParseResult.rejected("fields lack session-id and remote-endpoint: not an SMTP protocol log");
        }
        List<String> values = w3c.split(line);
        Instant ts = SyslogHeader.parseIso(String.valueOf(w3c.get(values, "date-time")), ZoneOffset.UTC);
        String kind = w3c.raw(values, "event");
        if (ts == null || kind == null || kind.length() != 1 || "+-<>*".indexOf(kind.charAt(0)) < 0
                || values.size() < 7) {
            return ParseResult.rejected("not an SMTP protocol record: needs an ISO date-time and an event +, -, <, >"
                    + " or *");
        }
        EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
        row.set(TS, ts);
        String connector = w3c.get(values, "connector-id");
        row.set(PROGRAM, connector);
        row.set(MTA_HOST, connector != null && connector.lastIndexOf(' ') > 0
                ? connector.substring(connector.lastIndexOf(' ') + 1) : null);
        row.set(SESSION_ID, w3c.get(values, "session-id"));
        String remote = w3c.get(values, "remote-endpoint");
        int colon = remote == null ? -1 : remote.lastIndexOf(':');
        if (colon > 0) {
            String ip = remote.substring(0, colon).replace("[", "").replace("]", "");
            row.set(CLIENT_IP, Values.isIp(ip) ? ip : null);
            row.set(CLIENT_PORT, Values.toPort(remote.substring(colon + 1)));
        }
        String data = w3c.get(values, "data");
        String context = w3c.get(values, "context");
        row.set(REASON, data != null ? data : context);
        String upper = data == null ? "" : data.toUpperCase(Locale.ROOT);
        String event = SmtpEvent.COMMAND.value();
        switch (kind) {
            case "+" -> event = SmtpEvent.CONNECT.value();
            case "-" -> event = SmtpEvent.DISCONNECT.value();
            case ">" -> {
                Integer code = Smtp.reply(data == null ? "" : data).code;
                row.set(SMTP_CODE, code);
                if (code != null && code == 535) {
                    event = SmtpEvent.AUTH_FAILURE.value();
                } else if (code != null && code == 235) {
                    event = SmtpEvent.AUTH_SUCCESS.value();
                } else if (code != null && code >= 500) {
                    event = SmtpEvent.REJECT.value();
                }
            }
            case "<" -> {
                if (upper.startsWith("EHLO ") || upper.startsWith("HELO ")) {
                    row.set(HELO, data.substring(5).trim());
                } else if (upper.startsWith("MAIL FROM:")) {
                    row.set(SENDER, IisSmtpLogParser.address(data, "FROM:"));
                } else if (upper.startsWith("RCPT TO:")) {
                    row.set(RECIPIENT, IisSmtpLogParser.address(data, "TO:"));
                }
            }
            default -> event = SmtpEvent.OTHER.value();
        }
        row.set(EVENT, event);
        return ParseResult.parsed(row);
    }
}
