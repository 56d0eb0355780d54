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
import java.util.ArrayList;
import java.util.List;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_HOST;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NEXT_QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.NRCPT;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_HOST;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_IP;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SIZE;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.STATUS;
import static io.relaywatch.schema.SmtpEventColumn.SUBJECT;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Exchange Server 2013-2019 message tracking logs ({@code MSGTRK*.LOG}): W3C-style CSV driven by {@code #Fields}, one
 * line per event of a message (RECEIVE, SEND, DELIVER, FAIL, DEFER, DSN, ...), with one row per recipient of
 * {@code recipient-address} ({@code a;b}). Header-less fragments use Microsoft's documented field order.
 */
public final class ExchangeTrackingLogParser extends NamedLogParser {

    static final List<String> DEFAULT_FIELDS = List.of("date-time", "client-ip", "client-hostname", "server-ip",
            "server-hostname", "source-context", "connector-id", "source", "event-id", "internal-message-id",
            "message-id", "network-message-id", "recipient-address", "recipient-status", "total-bytes",
            "recipient-count", "related-recipient-address", "reference", "message-subject", "sender-address",
            "return-path", "message-info", "directionality", "tenant-id", "original-client-ip",
            "original-server-ip", "custom-data", "transport-traffic-type", "log-id", "schema-version");

    public ExchangeTrackingLogParser() {
        super("exchange_tracking", Tables.SMTP_EVENTS,
                "Microsoft Exchange 2013-2019 message tracking logs (MSGTRK)");
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
        if (!w3c.has("event-id") || !w3c.has("date-time")) {
            return ParseResult.rejected("fields lack date-time and event-id: not a message tracking log");
        }
        List<String> values = w3c.split(line);
        String eventId = w3c.get(values, "event-id");
        Instant ts = SyslogHeader.parseIso(String.valueOf(w3c.get(values, "date-time")), ZoneOffset.UTC);
        if (ts == null || eventId == null || !eventId.equals(eventId.toUpperCase()) || values.size() < 13) {
            return ParseResult.rejected("not a message tracking record: needs an ISO date-time, an upper-case "
                    + "event-id and at least 13 values");
        }
        EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
        row.set(TS, ts);
        // on SEND the local server is the client of the connection and the server is the next hop
        boolean send = "SEND".equals(eventId);
        row.set(MTA_HOST, w3c.get(values, send ? "client-hostname" : "server-hostname"));
        row.set(PROGRAM, w3c.get(values, "source"));
        row.set(QUEUE_ID, w3c.get(values, "internal-message-id"));
        row.set(EVENT, event(eventId));
        row.set(STATUS, eventId);
        if (send) {
            String relayIp = w3c.get(values, "server-ip");
            row.set(RELAY_HOST, w3c.get(values, "server-hostname"));
            row.set(RELAY_IP, Values.isIp(relayIp) ? relayIp : null);
        } else {
            String clientIp = w3c.first(values, "original-client-ip", "client-ip");
            row.set(CLIENT_IP, Values.isIp(clientIp) ? clientIp : null);
            row.set(CLIENT_HOST, w3c.get(values, "client-hostname"));
        }
        String sender = w3c.get(values, "sender-address");
        row.set(SENDER, sender);
        row.set(MESSAGE_ID, stripBrackets(w3c.get(values, "message-id")));
        row.set(SUBJECT, w3c.get(values, "message-subject"));
        row.set(SIZE, Values.toCount(w3c.get(values, "total-bytes")));
        row.set(NRCPT, Values.toIntCount(w3c.get(values, "recipient-count")));
        String context = w3c.get(values, "source-context");
        String recipientStatus = w3c.get(values, "recipient-status");
        row.set(REASON, join(eventId, context, recipientStatus));
        if (recipientStatus != null) {
            Smtp.Reply reply = Smtp.reply(recipientStatus);
            row.set(SMTP_CODE, reply.code);
            row.set(NEXT_QUEUE_ID, reply.nextQueueId);
        }
        List<EventRecord> rows = new ArrayList<>();
        String recipients = w3c.get(values, "recipient-address");
        if (recipients == null) {
            rows.add(row);
        } else {
            for (String recipient : recipients.split(";")) {
                if (!recipient.isBlank()) {
                    rows.add(row.copy().set(RECIPIENT, recipient.trim()));
                }
            }
            if (rows.isEmpty()) {
                rows.add(row);
            }
        }
        String note = w3c.fromHeader() ? w3c.countMismatch(values) : null;
        return note == null ? ParseResult.parsed(rows) : ParseResult.partial(rows, note);
    }

    private static String event(String eventId) {
        return switch (eventId) {
            case "RECEIVE" -> SmtpEvent.MESSAGE_ACCEPTED.value();
            case "SEND", "DELIVER" -> SmtpEvent.DELIVERED.value();
            case "FAIL", "BADMAIL" -> SmtpEvent.BOUNCED.value();
            case "DEFER" -> SmtpEvent.DEFERRED.value();
            case "DSN" -> SmtpEvent.BOUNCE_NOTIFICATION.value();
            case "EXPIRE" -> SmtpEvent.EXPIRED.value();
            case "SUBMIT", "HAREDIRECT", "RESOLVE", "EXPAND", "REDIRECT", "TRANSFER" -> SmtpEvent.MESSAGE_QUEUED.value();
            default -> SmtpEvent.OTHER.value();
        };
    }

    private static String stripBrackets(String id) {
        return id != null && id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
    }

    private static String join(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null) {
                sb.append(sb.length() == 0 ? "" : " ").append(p);
            }
        }
        return sb.toString();
    }
}
