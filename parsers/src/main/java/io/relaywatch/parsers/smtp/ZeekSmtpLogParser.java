package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.Tables;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_PORT;
import static io.relaywatch.schema.SmtpEventColumn.DSN;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_IP;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_PORT;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SESSION_ID;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.SUBJECT;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Zeek's {@code smtp.log} in its TSV form: directives ({@code #separator}, {@code #fields}, {@code #types}, ...) and
 * one line per SMTP transaction seen on the wire, with one row per {@code rcptto} recipient. Columns are found by the
 * {@code #fields} names, so extra or reordered columns are fine. The {@code path} of relaying hosts goes into
 * {@code reason} with the last reply. Timestamps masked as in Zeek's test baselines ({@code XXXXXXXXXX.XXXXXX}) leave
 * {@code ts} empty with a note.
 */
public final class ZeekSmtpLogParser extends NamedLogParser {

    /** Per-file state: the column positions from #fields and the unset/empty markers. */
    private static final class Header {
        Map<String, Integer> index = new HashMap<>();
        /** How many columns #fields names (a name may repeat: the index keeps its first position). */
        int columns;
        String setSeparator = ",";
        String unset = "-";
        String empty = "(empty)";
        String path;
    }

    public ZeekSmtpLogParser() {
        super("zeek_smtp", Tables.SMTP_EVENTS,
                "Zeek smtp.log (TSV with #fields)");
    }

    @Override
    public LineParser open(ParseContext context) {
        Header header = new Header();
        return line -> parse(line, header);
    }

    private ParseResult parse(String line, Header h) {
        if (line.startsWith("#")) {
            return directive(line, h);
        }
        if (h.index.isEmpty()) {
            return ParseResult.rejected("Zeek record before any #fields line");
        }
        if (h.path != null && !h.path.equals("smtp")) {
            return ParseResult.rejected("a Zeek " + h.path + " log, not smtp");
        }
        if (!h.index.containsKey("uid") || !h.index.containsKey("rcptto")) {
            return ParseResult.rejected("Zeek fields lack uid and rcptto: not an smtp.log");
        }
        String[] v = line.split("\t", -1);
        if (v.length != h.columns) {
            return ParseResult.rejected("Zeek record has " + v.length + " values but #fields names " + h.columns);
        }
        EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
        String tsText = get(v, h, "ts");
        Instant ts = ZeekTime.epoch(tsText);
        row.set(TS, ts);
        row.set(PROGRAM, "zeek");
        row.set(EVENT, SmtpEvent.TRANSACTION.value());
        row.set(SESSION_ID, get(v, h, "uid"));
        String origin = get(v, h, "id.orig_h");
        String responder = get(v, h, "id.resp_h");
        row.set(CLIENT_IP, Values.isIp(origin) ? origin : null);
        row.set(CLIENT_PORT, Values.toPort(get(v, h, "id.orig_p")));
        row.set(RELAY_IP, Values.isIp(responder) ? responder : null);
        row.set(RELAY_PORT, Values.toPort(get(v, h, "id.resp_p")));
        row.set(HELO, get(v, h, "helo"));
        String from = get(v, h, "mailfrom");
        row.set(SENDER, from == null ? null : Smtp.angle(from));
        String msgId = get(v, h, "msg_id");
        row.set(MESSAGE_ID, msgId != null && msgId.startsWith("<") && msgId.endsWith(">")
                ? msgId.substring(1, msgId.length() - 1) : msgId);
        row.set(SUBJECT, get(v, h, "subject"));
        String lastReply = get(v, h, "last_reply");
        if (lastReply != null) {
            Smtp.Reply reply = Smtp.reply(lastReply);
            row.set(SMTP_CODE, reply.code);
            row.set(DSN, reply.dsn);
        }
        String path = get(v, h, "path");
        row.set(REASON, lastReply == null && path == null ? null
                : (lastReply == null ? "" : lastReply) + (path == null ? "" : " [path " + path + "]"));
        List<EventRecord> rows = new ArrayList<>();
        String recipients = get(v, h, "rcptto");
        if (recipients != null) {
            for (String r : recipients.split(java.util.regex.Pattern.quote(h.setSeparator))) {
                if (!r.isEmpty()) {
                    rows.add(row.copy().set(RECIPIENT, Smtp.angle(r)));
                }
            }
        }
        if (rows.isEmpty()) {
            rows.add(row);
        }
        if (ts == null) {
            return ParseResult.partial(rows, "unreadable ts '" + tsText + "'");
        }
        return ParseResult.parsed(rows);
    }

    private static ParseResult directive(String line, Header h) {
        int tab = line.indexOf('\t');
        int space = line.indexOf(' ');
        int cut = tab > 0 ? tab : space;
        String name = cut > 0 ? line.substring(1, cut) : line.substring(1);
        String value = cut > 0 ? line.substring(cut + 1) : "";
        switch (name) {
            case "fields" -> {
                h.index.clear();
                String[] names = value.split("\t");
                h.columns = names.length;
                for (int i = 0; i < names.length; i++) {
                    h.index.putIfAbsent(names[i], i);
                }
            }
            case "set_separator" -> h.setSeparator = value;
            case "unset_field" -> h.unset = value;
            case "empty_field" -> h.empty = value;
            case "path" -> h.path = value;
            default -> {
                // #separator (always \x09 in practice), #open, #close, #types, and comment lines
            }
        }
        return ParseResult.skipped("Zeek directive or comment #" + name);
    }

    private static String get(String[] v, Header h, String field) {
        Integer at = h.index.get(field);
        if (at == null) {
            return null;
        }
        String value = v[at];
        return value.equals(h.unset) || value.equals(h.empty) || value.isEmpty() ? null : value;
    }
}
