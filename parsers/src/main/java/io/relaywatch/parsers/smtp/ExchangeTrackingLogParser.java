package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.Accounts;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.relaywatch.schema.SmtpEventColumn.ACCOUNT;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_HOST;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.CONNECTOR;
import static io.relaywatch.schema.SmtpEventColumn.DIRECTION;
import static io.relaywatch.schema.SmtpEventColumn.DSN;
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
 * Exchange Server 2007-2019 message tracking logs ({@code MSGTRK*.LOG}, {@code MSGTRKMD/MS/MA}): CSV driven by
 * {@code #Fields}, one line per event of a message (RECEIVE, SUBMIT, SEND, SENDEXTERNAL, DELIVER, FAIL, DEFER, DSN,
 * EXPIRE, ...), with one row per recipient of {@code recipient-address} ({@code a;b}). The field list grew with the
 * versions: 21 fields in 2007, 26 from 2010 SP1 (directionality, tenant-id, original-client-ip, original-server-ip,
 * custom-data), 27 in early 2013 (network-message-id) and 30 from later 2013 on (transport-traffic-type, log-id,
 * schema-version); a header-less fragment gets the documented list of its value count.
 *
 * <p>The local server is the first label of {@code server-hostname} (its NetBIOS name on RECEIVE), or of
 * {@code client-hostname} on SEND, where the local server is the client and the server is the next hop
 * ({@code relay_host}, {@code relay_ip}; the next hop's queue id from its {@code 250 ... queued as} or
 * {@code [InternalId=N]} in {@code source-context} is {@code next_queue_id}). {@code recipient-status} gives the
 * reply: plain ({@code 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found}) or, on FAIL and DEFER, Exchange's
 * {@code [{LED=550 5.7.1 ...};{MSG=};{FQDN=mx.example};{IP=192.0.2.7};{LRT=...}]}, whose LED is the last error and
 * FQDN/IP the remote server that gave it: a remote refusal citing a blocklist is how the site learns it is listed.
 * Message tracking names no authenticated user; mail that originated in the organization (directionality
 * {@code Originating}: a mailbox or an authenticated client sent it) gets its sender's account.
 */
public final class ExchangeTrackingLogParser extends NamedLogParser {

    /** Exchange 2007's 21 fields. */
    static final List<String> FIELDS_2007 = List.of("date-time", "client-ip", "client-hostname", "server-ip",
            "server-hostname", "source-context", "connector-id", "source", "event-id", "internal-message-id",
            "message-id", "recipient-address", "recipient-status", "total-bytes", "recipient-count",
            "related-recipient-address", "reference", "message-subject", "sender-address", "return-path",
            "message-info");

    /** Exchange 2010 SP1's 26 fields. */
    static final List<String> FIELDS_2010 = concat(FIELDS_2007, List.of("directionality", "tenant-id",
            "original-client-ip", "original-server-ip", "custom-data"));

    /** Early Exchange 2013's 27 fields: network-message-id after message-id. */
    static final List<String> FIELDS_2013 = withNetworkMessageId(FIELDS_2010);

    /** Exchange 2013 CU and later, 2016, 2019: 30 fields. */
    static final List<String> DEFAULT_FIELDS = concat(FIELDS_2013, List.of("transport-traffic-type", "log-id",
            "schema-version"));

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static List<String> withNetworkMessageId(List<String> fields) {
        List<String> all = new ArrayList<>(fields);
        all.add(all.indexOf("message-id") + 1, "network-message-id");
        return List.copyOf(all);
    }

    public ExchangeTrackingLogParser() {
        super("exchange_tracking", Tables.SMTP_EVENTS,
                "Microsoft Exchange 2007-2019 message tracking logs (MSGTRK)");
    }

    @Override
    public LineParser open(ParseContext context) {
        Map<Integer, W3cFields> byCount = new HashMap<>();
        for (List<String> fields : List.of(FIELDS_2007, FIELDS_2010, FIELDS_2013, DEFAULT_FIELDS)) {
            byCount.put(fields.size(), new W3cFields(fields, true));
        }
        W3cFields w3c = new W3cFields(DEFAULT_FIELDS, true);
        return line -> parse(line, w3c, byCount);
    }

    private ParseResult parse(String line, W3cFields file, Map<Integer, W3cFields> byCount) {
        String directive = file.directive(line);
        if (directive != null) {
            return ParseResult.skipped(directive);
        }
        if (!file.has("event-id") || !file.has("date-time")) {
            return ParseResult.rejected("fields lack date-time and event-id: not a message tracking log");
        }
        List<String> values = file.split(line);
        // a header-less fragment: the documented field list of its value count (30 when the count matches none)
        W3cFields w3c = file.fromHeader() ? file : byCount.getOrDefault(values.size(), file);
        String eventId = w3c.get(values, "event-id");
        Instant ts = SyslogHeader.parseIso(String.valueOf(w3c.get(values, "date-time")), ZoneOffset.UTC);
        if (ts == null || eventId == null || !eventId.equals(eventId.toUpperCase()) || values.size() < 13) {
            return ParseResult.rejected("not a message tracking record: needs an ISO date-time, an upper-case "
                    + "event-id and at least 13 values");
        }
        EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
        row.set(TS, ts);
        // on SEND the local server is the client of the connection and the server is the next hop
        boolean send = eventId.startsWith("SEND");
        String local = Exchange.server(send ? w3c.first(values, "client-hostname", "server-hostname")
                : w3c.first(values, "server-hostname", "client-hostname"));
        row.set(MTA_HOST, local);
        row.set(PROGRAM, w3c.get(values, "source"));
        row.set(CONNECTOR, w3c.get(values, "connector-id"));
        String direction = w3c.get(values, "directionality");
        row.set(DIRECTION, direction);
        row.set(QUEUE_ID, w3c.get(values, "internal-message-id"));
        row.set(EVENT, event(eventId));
        row.set(STATUS, eventId);
        String context = w3c.get(values, "source-context");
        if (send) {
            String relayIp = w3c.get(values, "server-ip");
            row.set(RELAY_HOST, w3c.get(values, "server-hostname"));
            row.set(RELAY_IP, Values.isIp(relayIp) ? relayIp : null);
            row.set(NEXT_QUEUE_ID, context == null ? null : Smtp.nextQueueId(context));
        } else {
            String clientIp = w3c.first(values, "original-client-ip", "client-ip");
            row.set(CLIENT_IP, Values.isIp(clientIp) ? clientIp : null);
            row.set(CLIENT_HOST, w3c.get(values, "client-hostname"));
        }
        String sender = w3c.get(values, "sender-address");
        if (sender == null && "<>".equals(w3c.get(values, "return-path"))) {
            sender = ""; // a non-delivery report or other notification: the null sender, as the other MTAs log it
        }
        row.set(SENDER, sender);
        if ("Originating".equalsIgnoreCase(direction) && sender != null && sender.indexOf('@') > 0) {
            row.set(ACCOUNT, Accounts.of(sender));
        }
        row.set(MESSAGE_ID, stripBrackets(w3c.get(values, "message-id")));
        row.set(SUBJECT, w3c.get(values, "message-subject"));
        row.set(SIZE, Values.toCount(w3c.get(values, "total-bytes")));
        row.set(NRCPT, Values.toIntCount(w3c.get(values, "recipient-count")));
        String recipientStatus = w3c.get(values, "recipient-status");
        Exchange.Status status = Exchange.status(recipientStatus);
        row.set(REASON, join(eventId, context, status == null ? null : status.reply()));
        if (status != null) {
            Smtp.Reply reply = Smtp.reply(status.reply());
            row.set(SMTP_CODE, reply.code);
            row.set(DSN, reply.dsn);
            if (row.get(NEXT_QUEUE_ID) == null) {
                row.set(NEXT_QUEUE_ID, reply.nextQueueId);
            }
            if (status.fqdn() != null || status.ip() != null) {
                row.set(RELAY_HOST, status.fqdn());
                row.set(RELAY_IP, status.ip());
            }
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
            case "SEND", "SENDEXTERNAL", "DELIVER" -> SmtpEvent.DELIVERED.value();
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
