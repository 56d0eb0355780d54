package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.Values;
import io.relaywatch.parsers.W3cFields;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.Tables;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_HOST;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NRCPT;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_HOST;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_IP;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SIZE;
import static io.relaywatch.schema.SmtpEventColumn.STATUS;
import static io.relaywatch.schema.SmtpEventColumn.SUBJECT;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Exchange 2000 / 2003 (and Small Business Server 2003) message tracking logs, {@code Exchsrvr\SERVER.log\yyyymmdd.log}:
 * tab-separated, times in UTC, one line per event of a message and recipient. The file starts with
 * {@code # Message Tracking Log File}, {@code # Exchange System Attendant Version 6.x} and the field line
 * {@code # Date<TAB>Time<TAB>client-ip<TAB>...<TAB>Sender-Address} (Microsoft KB 246965); header-less fragments use
 * that documented order. Dates and times are not zero-padded and the time carries a literal {@code GMT}
 * ({@code 2003-8-12<TAB>0:58:14 GMT}); real lines may have a trailing column beyond the twenty named ones.
 *
 * <p>{@code Event-ID} is numeric. The SMTP events a security reading needs, as Microsoft's tracking documentation
 * and the Message Tracking Center name them: 1019 SMTP submit message to advanced queuing (the message was received
 * over SMTP: {@code client-ip} is the client), 1027 submitted from the Store (a mailbox user sent it), 1020 and 1031
 * SMTP begin / end outbound transfer (handed to the next hop: the remote server, named by {@code Partner-Name} or
 * {@code Client-hostname}, and its address in {@code client-ip}), 1028 delivered locally to the Store (a mailbox of
 * this server: the recipient's domain is local), 1030 a non-delivery report generated. Every other id is kept in
 * {@code status} with its name in {@code reason} ({@code event = other} or the queue step it is). The MSGID, the
 * message's own Message-ID, joins a message's events: it is both {@code queue_id} and {@code message_id}.
 */
public final class Exchange2003TrackingLogParser extends NamedLogParser {

    static final List<String> DEFAULT_FIELDS = List.of("date", "time", "client-ip", "client-hostname",
            "partner-name", "server-hostname", "server-ip", "recipient-address", "event-id", "msgid", "priority",
            "recipient-report-status", "total-bytes", "number-recipients", "origination-time", "encryption",
            "service-version", "linked-msgid", "message-subject", "sender-address");

    /** What an event id means here: its name, the smtp_events.event it is, and whether it goes out to a next hop. */
    private record EventId(String name, SmtpEvent event, boolean outbound, String program) {
    }

    private static final Map<Integer, EventId> EVENTS = new HashMap<>();

    static {
        // X.400 / MTA events of Exchange 5.5 numbering, kept by 2000 and 2003 (KB 173364, KB 821905)
        id(0, "Message transfer in", SmtpEvent.MESSAGE_ACCEPTED, false, "MTA");
        id(1, "Probe transfer in", SmtpEvent.OTHER, false, "MTA");
        id(2, "Report transfer in", SmtpEvent.OTHER, false, "MTA");
        id(4, "Message submission", SmtpEvent.MESSAGE_ACCEPTED, false, "STORE");
        id(5, "Probe submission", SmtpEvent.OTHER, false, "MTA");
        id(6, "Probe transfer out", SmtpEvent.OTHER, true, "MTA");
        id(7, "Message transfer out", SmtpEvent.DELIVERED, true, "MTA");
        id(8, "Report transfer out", SmtpEvent.OTHER, true, "MTA");
        id(9, "Message delivered", SmtpEvent.DELIVERED, false, "STOREDRIVER");
        id(10, "Report delivered", SmtpEvent.OTHER, false, "STOREDRIVER");
        id(18, "StartAssocByMTSUser", SmtpEvent.OTHER, false, "MTA");
        id(23, "ReleaseAssocByMTSUser", SmtpEvent.OTHER, false, "MTA");
        id(26, "Distribution list expansion", SmtpEvent.MESSAGE_QUEUED, false, "MTA");
        id(28, "Message redirected", SmtpEvent.MESSAGE_QUEUED, false, "MTA");
        id(29, "Message rerouted", SmtpEvent.MESSAGE_QUEUED, false, "MTA");
        id(31, "Downgrading", SmtpEvent.OTHER, false, "MTA");
        id(33, "Report absorption", SmtpEvent.OTHER, false, "MTA");
        id(34, "Report generation", SmtpEvent.BOUNCE_NOTIFICATION, false, "MTA");
        id(43, "Unroutable report discarded", SmtpEvent.OTHER, false, "MTA");
        id(50, "Gateway deleted message", SmtpEvent.REMOVED, false, "MTA");
        id(51, "Gateway deleted probe", SmtpEvent.OTHER, false, "MTA");
        id(52, "Gateway deleted report", SmtpEvent.OTHER, false, "MTA");
        id(1000, "Local delivery", SmtpEvent.DELIVERED, false, "STOREDRIVER");
        id(1001, "Backbone transfer in", SmtpEvent.MESSAGE_ACCEPTED, false, "MTA");
        id(1002, "Backbone transfer out", SmtpEvent.DELIVERED, true, "MTA");
        id(1003, "Gateway transfer out", SmtpEvent.DELIVERED, true, "MTA");
        id(1004, "Gateway transfer in", SmtpEvent.MESSAGE_ACCEPTED, false, "MTA");
        id(1005, "Gateway report transfer in", SmtpEvent.OTHER, false, "MTA");
        id(1006, "Gateway report transfer out", SmtpEvent.OTHER, true, "MTA");
        id(1007, "Gateway report generation", SmtpEvent.BOUNCE_NOTIFICATION, false, "MTA");
        id(1010, "SMTP queued outbound", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1011, "SMTP transferred outbound", SmtpEvent.DELIVERED, true, "SMTP");
        id(1012, "SMTP received inbound", SmtpEvent.MESSAGE_ACCEPTED, false, "SMTP");
        id(1013, "SMTP transferred inbound", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1014, "SMTP message rerouted", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1015, "SMTP report transferred in", SmtpEvent.OTHER, false, "SMTP");
        id(1016, "SMTP report transferred out", SmtpEvent.OTHER, true, "SMTP");
        id(1017, "SMTP report generated", SmtpEvent.BOUNCE_NOTIFICATION, false, "SMTP");
        id(1018, "SMTP report absorbed", SmtpEvent.OTHER, false, "SMTP");
        // the SMTP transport events of Exchange 2000 SP and 2003 (Message Tracking Center's names)
        id(1019, "SMTP: Message Submitted to Advanced Queuing", SmtpEvent.MESSAGE_ACCEPTED, false, "SMTP");
        id(1020, "SMTP: Started Outbound Transfer of Message", SmtpEvent.MESSAGE_QUEUED, true, "SMTP");
        id(1021, "SMTP: Message Sent to Badmail Directory", SmtpEvent.OTHER, false, "SMTP");
        id(1022, "SMTP: Advanced Queue Failure", SmtpEvent.OTHER, false, "SMTP");
        id(1023, "SMTP: Message Delivered Locally", SmtpEvent.DELIVERED, false, "SMTP");
        id(1024, "SMTP: Message Submitted to Categorizer", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1025, "SMTP: Started Message Submission to Advanced Queue", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1026, "SMTP: Advanced Queue Failed to Deliver Message", SmtpEvent.OTHER, false, "SMTP");
        id(1027, "SMTP Store Driver: Message Submitted From Store", SmtpEvent.MESSAGE_ACCEPTED, false,
                "STOREDRIVER");
        id(1028, "SMTP Store Driver: Message Delivered Locally to Store", SmtpEvent.DELIVERED, false,
                "STOREDRIVER");
        id(1029, "SMTP Store Driver: Message Submitted to MTA", SmtpEvent.MESSAGE_QUEUED, false, "STOREDRIVER");
        id(1030, "SMTP: Non-Delivered Report (NDR) Generated", SmtpEvent.BOUNCE_NOTIFICATION, false, "SMTP");
        id(1031, "SMTP: Ended Outbound Transfer of Message", SmtpEvent.DELIVERED, true, "SMTP");
        id(1032, "SMTP: Message Scheduled to Retry Categorization", SmtpEvent.OTHER, false, "SMTP");
        id(1033, "SMTP: Message Categorized and Queued For Routing", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1034, "SMTP: Message Routed and Queued For Remote Delivery", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1035, "SMTP: Message Scheduled to Retry Routing", SmtpEvent.OTHER, false, "SMTP");
        id(1036, "SMTP: Message Queued For Local Delivery", SmtpEvent.MESSAGE_QUEUED, false, "SMTP");
        id(1037, "SMTP: Message Scheduled to Retry Local Delivery", SmtpEvent.OTHER, false, "SMTP");
        id(1038, "SMTP: Message Routed and Queued For Gateway Delivery", SmtpEvent.MESSAGE_QUEUED, false,
                "SMTP");
        id(1039, "SMTP: Message Deleted by Intelligent Message Filter", SmtpEvent.REMOVED, false, "SMTP");
        id(1040, "SMTP: Message Rejected by Intelligent Message Filter", SmtpEvent.REJECT, false, "SMTP");
        id(1041, "SMTP: Message Archived by Intelligent Message Filter", SmtpEvent.OTHER, false, "SMTP");
    }

    private static void id(int id, String name, SmtpEvent event, boolean outbound, String program) {
        EVENTS.put(id, new EventId(name, event, outbound, program));
    }

    /** Values of Partner-Name that name a messaging service, not a host. */
    private static final java.util.Set<String> SERVICES = java.util.Set.of("SMTP", "X400", "MAPI", "IMAP4", "POP3",
            "STORE", "MTA");

    public Exchange2003TrackingLogParser() {
        super("exchange2003_tracking", Tables.SMTP_EVENTS,
                "Microsoft Exchange 2000/2003 (SBS 2003) message tracking logs (tab-separated, numeric event ids)");
    }

    @Override
    public LineParser open(ParseContext context) {
        W3cFields fields = W3cFields.tabSeparated(DEFAULT_FIELDS);
        return line -> parse(line, fields);
    }

    private ParseResult parse(String line, W3cFields header) {
        if (line.startsWith("#")) {
            String text = line.substring(1).trim();
            if (text.regionMatches(true, 0, "Date\t", 0, 5)) {
                header.useHeader(List.of(text.split("\t", -1)));
                return ParseResult.skipped("tracking log field line");
            }
            return ParseResult.skipped("tracking log header: " + (text.length() > 60 ? text.substring(0, 60) : text));
        }
        List<String> values = header.split(line);
        if (values.size() < 10) {
            return ParseResult.rejected("not an Exchange 2000/2003 tracking record: " + values.size()
                    + " tab-separated values, at least 10 expected");
        }
        Instant ts = time(header.get(values, "date"), header.get(values, "time"));
        Integer eventId = Values.toInt(header.get(values, "event-id"));
        if (ts == null || eventId == null || eventId < 0) {
            return ParseResult.rejected("not an Exchange 2000/2003 tracking record: needs Date (yyyy-m-d), Time "
                    + "(h:mm:ss GMT) and a numeric Event-ID");
        }
        EventId meaning = EVENTS.getOrDefault(eventId, new EventId("Event " + eventId, SmtpEvent.OTHER, false, null));
        EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
        row.set(TS, ts);
        row.set(EVENT, meaning.event().value());
        row.set(STATUS, Integer.toString(eventId));
        row.set(REASON, eventId + " " + meaning.name());
        row.set(PROGRAM, meaning.program());
        row.set(MTA_HOST, header.get(values, "server-hostname"));
        String msgId = stripBrackets(header.get(values, "msgid"));
        row.set(QUEUE_ID, msgId);
        row.set(MESSAGE_ID, msgId);
        String clientIp = header.get(values, "client-ip");
        String clientHost = header.get(values, "client-hostname");
        if (meaning.outbound()) {
            // the peer is the next hop, unless the client fields name this server itself (queue steps log it so)
            String partner = header.get(values, "partner-name");
            boolean self = clientIp != null && clientIp.equals(header.get(values, "server-ip"))
                    || clientHost != null && clientHost.equalsIgnoreCase(header.get(values, "server-hostname"));
            row.set(RELAY_HOST, partner != null && !SERVICES.contains(partner.toUpperCase(Locale.ROOT))
                    ? partner : self ? null : clientHost);
            row.set(RELAY_IP, Values.isIp(clientIp) && !self ? clientIp : null);
        } else {
            row.set(CLIENT_IP, Values.isIp(clientIp) ? clientIp : null);
            row.set(CLIENT_HOST, clientHost);
        }
        String sender = header.get(values, "sender-address");
        row.set(SENDER, stripBrackets(sender));
        String recipient = header.get(values, "recipient-address");
        row.set(RECIPIENT, stripBrackets(recipient));
        row.set(SIZE, Values.toCount(header.get(values, "total-bytes")));
        row.set(NRCPT, Values.toIntCount(header.get(values, "number-recipients")));
        row.set(SUBJECT, header.get(values, "message-subject"));
        String note = null;
        if (clientIp != null && !Values.isIp(clientIp)) {
            note = "client-ip '" + clientIp + "' is not an IP address";
        }
        // fewer values than named is a cut record; more is what real files write (a trailing column)
        if (header.fromHeader() && values.size() < header.fields().size()) {
            note = Smtp.notes(note, "record has " + values.size() + " values but the field line names "
                    + header.fields().size());
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }

    /** {@code 2003-8-12} and {@code 0:58:14 GMT} (unpadded, UTC), or {@code null}. */
    static Instant time(String date, String time) {
        if (date == null || time == null) {
            return null;
        }
        int[] d = numbers(date, '-', 3);
        String clock = time.endsWith(" GMT") ? time.substring(0, time.length() - 4) : time;
        int[] t = numbers(clock.trim(), ':', 3);
        if (d == null || t == null) {
            return null;
        }
        try {
            return LocalDateTime.of(d[0], d[1], d[2], t[0], t[1], t[2]).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code count} decimal numbers separated by {@code separator}, or {@code null}. */
    private static int[] numbers(String text, char separator, int count) {
        String[] parts = text.split(String.valueOf(separator), -1);
        if (parts.length != count) {
            return null;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            Integer n = parts[i].length() > 4 ? null : Values.toInt(parts[i]);
            if (n == null || n < 0) {
                return null;
            }
            out[i] = n;
        }
        return out;
    }

    private static String stripBrackets(String value) {
        return value != null && value.length() > 1 && value.startsWith("<") && value.endsWith(">")
                ? value.substring(1, value.length() - 1) : value;
    }
}
