package io.relaywatch.parsers.firewall;

import io.relaywatch.parsers.Csv;
import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.Tables;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

import static io.relaywatch.schema.FirewallEventColumn.ACTION;
import static io.relaywatch.schema.FirewallEventColumn.BYTES;
import static io.relaywatch.schema.FirewallEventColumn.DEVICE;
import static io.relaywatch.schema.FirewallEventColumn.DST_IP;
import static io.relaywatch.schema.FirewallEventColumn.DST_PORT;
import static io.relaywatch.schema.FirewallEventColumn.DURATION_S;
import static io.relaywatch.schema.FirewallEventColumn.IN_INTERFACE;
import static io.relaywatch.schema.FirewallEventColumn.MESSAGE;
import static io.relaywatch.schema.FirewallEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.FirewallEventColumn.NAT_SRC_IP;
import static io.relaywatch.schema.FirewallEventColumn.OUT_INTERFACE;
import static io.relaywatch.schema.FirewallEventColumn.PACKETS;
import static io.relaywatch.schema.FirewallEventColumn.RULE;
import static io.relaywatch.schema.FirewallEventColumn.SRC_IP;
import static io.relaywatch.schema.FirewallEventColumn.SRC_PORT;
import static io.relaywatch.schema.FirewallEventColumn.TS;
import static io.relaywatch.schema.FirewallEventColumn.VENDOR_ACTION;

/**
 * Palo Alto Networks PAN-OS syslog CSV (TRAFFIC and THREAT share the first 31 fields: receive time, serial, type,
 * subtype, generated time, source, destination, NAT addresses, rule, users, application, zones, interfaces, session,
 * ports, flags, protocol, action; TRAFFIC goes on with bytes, packets and elapsed time). Other log types (SYSTEM,
 * CONFIG) give a row with their type and text. Times are the device's local time, read in the file's zone.
 */
public final class PaloAltoLogParser extends NamedLogParser {

    private static final Set<String> TYPES = Set.of("TRAFFIC", "THREAT", "SYSTEM", "CONFIG", "HIPMATCH",
            "GLOBALPROTECT", "USERID", "DECRYPTION", "TUNNEL", "AUTHENTICATION", "SCTP", "IPTAG", "CORRELATION",
            "OTHERS");

    public PaloAltoLogParser() {
        super("paloalto", Tables.FIREWALL_EVENTS,
                "Palo Alto Networks PAN-OS syslog CSV (TRAFFIC, THREAT, SYSTEM, CONFIG)");
    }

    @Override
    public boolean splittable() {
        return true; // the syslog year is the only state carried from line to line
    }

    @Override
    public LineParser open(ParseContext context) {
        SyslogYear years = context.syslogYear();
        return line -> parse(line, years, context);
    }

    private ParseResult parse(String line, SyslogYear years, ParseContext context) {
        int start = recordStart(line);
        if (start < 0) {
            return ParseResult.rejected("not a PAN-OS CSV record: no 'N,yyyy/mm/dd hh:mm:ss,serial,TYPE,' start");
        }
        List<String> f = Csv.split(line, start, ',');
        String type = f.get(3);
        EventRecord row = Firewall.row();
        Instant ts = f.size() > 6 ? panTime(f.get(6), context) : null;
        if (ts == null) {
            ts = panTime(f.get(1), context);
        }
        row.set(TS, ts);
        String device = null;
        if (start > 0) {
            SyslogHeader header = SyslogHeader.parse(line.substring(0, start) + "-: x", years, context.zone());
            device = header == null ? null : header.host();
        }
        row.set(DEVICE, device != null && !device.equals("-:") ? device : Values.orNull(f.get(2)));
        row.set(MESSAGE_ID, f.size() > 4 && !f.get(4).isEmpty() ? type + "/" + f.get(4) : type);
        boolean connection = type.equals("TRAFFIC") || type.equals("THREAT");
        if (!connection || f.size() < 31) {
            row.set(MESSAGE, String.join(",", f.subList(3, f.size())));
            return connection ? ParseResult.partial(row, type + " record with " + f.size()
                    + " fields, fewer than the 31 that hold addresses and action") : ParseResult.parsed(row);
        }
        setIp(row, SRC_IP, f.get(7));
        setIp(row, DST_IP, f.get(8));
        String natSrc = f.get(9);
        if (Values.isIp(natSrc) && !natSrc.equals("0.0.0.0") && !natSrc.equals(f.get(7))) {
            row.set(NAT_SRC_IP, natSrc);
        }
        row.set(RULE, Values.orNull(f.get(11)));
        row.set(IN_INTERFACE, Values.orNull(f.get(18)));
        row.set(OUT_INTERFACE, Values.orNull(f.get(19)));
        row.set(SRC_PORT, Values.toPort(f.get(24)));
        row.set(DST_PORT, Values.toPort(f.get(25)));
        Firewall.protocol(row, f.get(29));
        row.set(VENDOR_ACTION, Values.orNull(f.get(30)));
        row.set(ACTION, panAction(f.get(30), f.get(4)));
        if (type.equals("TRAFFIC") && f.size() > 36) {
            row.set(BYTES, Values.toCount(f.get(31)));
            row.set(PACKETS, Values.toCount(f.get(34)));
            row.set(DURATION_S, Values.toCount(f.get(36)));
        }
        if (type.equals("THREAT") && f.size() > 32) {
            row.set(MESSAGE, f.get(32));
        }
        return ts == null ? ParseResult.partial(row, "unreadable time: " + f.get(6)) : ParseResult.parsed(row);
    }

    private static String panAction(String action, String subtype) {
        if (action == null || action.isEmpty()) {
            return null;
        }
        if (action.equals("allow") || action.equals("alert")) {
            return "end".equals(subtype) ? Firewall.CLOSE : Firewall.ALLOW;
        }
        return action.startsWith("deny") || action.startsWith("drop") || action.startsWith("reset")
                || action.startsWith("block") ? Firewall.DENY : null;
    }

    private static void setIp(EventRecord row, io.relaywatch.schema.Column column, String value) {
        row.set(column, Values.isIp(value) ? value : null);
    }

    /** Finds "digits,yyyy/mm/dd hh:mm:ss,serial,TYPE," and returns where it starts. */
    private static int recordStart(String line) {
        int slash = line.indexOf('/');
        while (slash >= 5) {
            int dateStart = slash - 4;
            int comma = dateStart - 1;
            if (comma > 0 && line.charAt(comma) == ',' && line.length() > dateStart + 19
                    && line.charAt(dateStart + 7) == '/' && line.charAt(dateStart + 10) == ' '
                    && line.charAt(dateStart + 19) == ',') {
                int numberStart = comma;
                while (numberStart > 0 && Character.isDigit(line.charAt(numberStart - 1))) {
                    numberStart--;
                }
                if (numberStart < comma && (numberStart == 0 || line.charAt(numberStart - 1) == ' ')) {
                    List<String> head = Csv.split(line.substring(numberStart, Math.min(line.length(),
                            numberStart + 200)), 0, ',');
                    if (head.size() > 3 && TYPES.contains(head.get(3))) {
                        return numberStart;
                    }
                }
            }
            slash = line.indexOf('/', slash + 1);
        }
        return -1;
    }

    private static Instant panTime(String text, ParseContext context) {
        if (text == null || text.length() != 19 || text.charAt(4) != '/' || text.charAt(10) != ' ') {
            return null;
        }
        Integer y = Values.toInt(text.substring(0, 4));
        Integer mo = Values.toInt(text.substring(5, 7));
        Integer d = Values.toInt(text.substring(8, 10));
        Integer h = Values.toInt(text.substring(11, 13));
        Integer mi = Values.toInt(text.substring(14, 16));
        Integer s = Values.toInt(text.substring(17, 19));
        if (y == null || mo == null || d == null || h == null || mi == null || s == null) {
            return null;
        }
        try {
            return LocalDateTime.of(y, mo, d, h, mi, s).atZone(context.zone()).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
