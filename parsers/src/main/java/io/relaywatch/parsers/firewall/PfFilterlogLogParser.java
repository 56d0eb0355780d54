package io.relaywatch.parsers.firewall;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.Tables;

import java.util.List;

import static io.relaywatch.schema.FirewallEventColumn.ACTION;
import static io.relaywatch.schema.FirewallEventColumn.BYTES;
import static io.relaywatch.schema.FirewallEventColumn.DEVICE;
import static io.relaywatch.schema.FirewallEventColumn.DIRECTION;
import static io.relaywatch.schema.FirewallEventColumn.DST_IP;
import static io.relaywatch.schema.FirewallEventColumn.DST_PORT;
import static io.relaywatch.schema.FirewallEventColumn.IN_INTERFACE;
import static io.relaywatch.schema.FirewallEventColumn.OUT_INTERFACE;
import static io.relaywatch.schema.FirewallEventColumn.PACKETS;
import static io.relaywatch.schema.FirewallEventColumn.RULE;
import static io.relaywatch.schema.FirewallEventColumn.SRC_IP;
import static io.relaywatch.schema.FirewallEventColumn.SRC_PORT;
import static io.relaywatch.schema.FirewallEventColumn.TS;
import static io.relaywatch.schema.FirewallEventColumn.VENDOR_ACTION;

/**
 * pfSense / OPNsense {@code filterlog} lines: a syslog header, then the CSV of the pfSense "Filter Log Format"
 * (rule, sub-rule, anchor, tracker, interface, reason, action, direction, IP version, then version-specific IP fields,
 * then protocol-specific ports). One row per logged packet; the interface is the one the rule matched on, stored as
 * in_interface for {@code in} packets and out_interface for {@code out} ones.
 */
public final class PfFilterlogLogParser extends NamedLogParser {

    public PfFilterlogLogParser() {
        super("pf_filterlog", Tables.FIREWALL_EVENTS,
                "pfSense / OPNsense filterlog CSV packet logs");
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
        int program = line.indexOf("filterlog");
        if (program < 0) {
            return ParseResult.rejected("not a filterlog line: no 'filterlog' program");
        }
        int csvStart = csvStart(line, program + 9);
        if (csvStart < 0) {
            return ParseResult.rejected("filterlog line without its CSV record");
        }
        List<String> f = io.relaywatch.parsers.Csv.split(line, csvStart, ',');
        if (f.size() < 9 || Values.toLong(f.get(0)) == null) {
            return ParseResult.rejected("filterlog CSV has " + f.size() + " fields, fewer than the 9 common ones");
        }
        EventRecord row = Firewall.row();
        SyslogHeader header = SyslogHeader.parse(line, years, context.zone());
        String note = null;
        if (header != null) {
            row.set(TS, header.timestamp());
            // a header without host ("Nov  9 07:00:01 filterlog[1234]: ...") has an empty one
            row.set(DEVICE, Values.orNull(header.host()));
            note = header.timestamp() == null ? "no time in the syslog header" : null;
        } else {
            note = "no readable syslog timestamp";
        }
        String iface = Values.orNull(f.get(4));
        String direction = f.get(7);
        row.set(RULE, f.get(3).isEmpty() ? f.get(0) : f.get(3));
        row.set(VENDOR_ACTION, f.get(6));
        row.set(ACTION, Firewall.normalizeAction(f.get(6)));
        row.set(DIRECTION, direction.equals("in") ? "inbound" : direction.equals("out") ? "outbound" : null);
        row.set(direction.equals("out") ? OUT_INTERFACE : IN_INTERFACE, iface);
        row.set(PACKETS, 1L);
        int protoText;
        int length;
        int src;
        if (f.get(8).equals("4") && f.size() >= 20) {
            protoText = 16;
            length = 17;
            src = 18;
        } else if (f.get(8).equals("6") && f.size() >= 17) {
            protoText = 12;
            length = 14;
            src = 15;
        } else {
            return ParseResult.partial(row, "IP version '" + f.get(8) + "' with " + f.size()
                    + " fields: addresses not read");
        }
        Firewall.protocol(row, f.get(protoText));
        row.set(BYTES, Values.toCount(f.get(length)));
        if (Values.isIp(f.get(src)) && Values.isIp(f.get(src + 1))) {
            row.set(SRC_IP, f.get(src));
            row.set(DST_IP, f.get(src + 1));
        } else {
            note = (note == null ? "" : note + "; ") + "addresses are not IP addresses";
        }
        String proto = f.get(protoText).toLowerCase();
        if ((proto.equals("tcp") || proto.equals("udp")) && f.size() > src + 3) {
            row.set(SRC_PORT, Values.toPort(f.get(src + 2)));
            row.set(DST_PORT, Values.toPort(f.get(src + 3)));
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }

    /** The CSV starts at the first token after the program that contains a comma (past "[pid]:" or RFC 5424 data). */
    private static int csvStart(String line, int from) {
        int pos = from;
        while (pos < line.length()) {
            while (pos < line.length() && line.charAt(pos) == ' ') {
                pos++;
            }
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                end = line.length();
            }
            int comma = line.indexOf(',', pos);
            if (comma >= 0 && comma < end && pos < line.length() && Character.isDigit(line.charAt(pos))) {
                return pos;
            }
            pos = end + 1;
        }
        return -1;
    }
}
