package io.relaywatch.parsers.firewall;

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

import static io.relaywatch.schema.FirewallEventColumn.ACTION;
import static io.relaywatch.schema.FirewallEventColumn.BYTES;
import static io.relaywatch.schema.FirewallEventColumn.DIRECTION;
import static io.relaywatch.schema.FirewallEventColumn.DST_IP;
import static io.relaywatch.schema.FirewallEventColumn.DST_PORT;
import static io.relaywatch.schema.FirewallEventColumn.MESSAGE;
import static io.relaywatch.schema.FirewallEventColumn.PACKETS;
import static io.relaywatch.schema.FirewallEventColumn.SRC_IP;
import static io.relaywatch.schema.FirewallEventColumn.SRC_PORT;
import static io.relaywatch.schema.FirewallEventColumn.TS;
import static io.relaywatch.schema.FirewallEventColumn.VENDOR_ACTION;

/**
 * Windows Defender Firewall's {@code pfirewall.log} (W3C, {@code #Software: Microsoft Windows Firewall}), one line per
 * allowed or dropped packet/connection. Times are the machine's local time ({@code #Time Format: Local}), read in the
 * file's zone. {@code path} SEND means the host sent the packet (outbound), RECEIVE that it received it (inbound).
 */
public final class WindowsFirewallLogParser extends NamedLogParser {

    static final List<String> DEFAULT_FIELDS = List.of("date", "time", "action", "protocol", "src-ip", "dst-ip",
            "src-port", "dst-port", "size", "tcpflags", "tcpsyn", "tcpack", "tcpwin", "icmptype", "icmpcode", "info",
            "path");

    public WindowsFirewallLogParser() {
        super("windows_firewall", Tables.FIREWALL_EVENTS,
                "Windows Defender Firewall pfirewall.log (W3C)");
    }

    @Override
    public LineParser open(ParseContext context) {
        W3cFields w3c = new W3cFields(DEFAULT_FIELDS, false);
        return line -> parse(line, w3c, context);
    }

    private ParseResult parse(String line, W3cFields w3c, ParseContext context) {
        String directive = w3c.directive(line);
        if (directive != null) {
            return ParseResult.skipped(directive);
        }
        String software = w3c.software();
        if (!software.isEmpty() && !software.contains("Firewall")) {
            return ParseResult.rejected("not a Windows Firewall log: #Software is " + software);
        }
        if (!w3c.has("action") || !w3c.has("src-ip")) {
            return ParseResult.rejected("W3C fields lack action and src-ip: not a Windows Firewall log");
        }
        List<String> values = w3c.split(line);
        String action = w3c.get(values, "action");
        if (action == null || !(action.equals("ALLOW") || action.equals("DROP") || action.startsWith("OPEN")
                || action.equals("CLOSE") || action.startsWith("INFO-"))) {
            return ParseResult.rejected("not a Windows Firewall record: action '" + action + "'");
        }
        Instant ts = W3cTime.of(w3c.get(values, "date"), w3c.get(values, "time"), w3c.directiveDate(),
                context.zone());
        EventRecord row = Firewall.row();
        row.set(TS, ts);
        row.set(VENDOR_ACTION, action);
        row.set(ACTION, Firewall.normalizeAction(action));
        Firewall.protocol(row, w3c.get(values, "protocol"));
        String src = w3c.get(values, "src-ip");
        String dst = w3c.get(values, "dst-ip");
        row.set(SRC_IP, Values.isIp(src) ? src : null);
        row.set(DST_IP, Values.isIp(dst) ? dst : null);
        row.set(SRC_PORT, Values.toPort(w3c.get(values, "src-port")));
        row.set(DST_PORT, Values.toPort(w3c.get(values, "dst-port")));
        row.set(BYTES, Values.toCount(w3c.get(values, "size")));
        row.set(PACKETS, action.startsWith("INFO-") ? null : 1L);
        String path = w3c.get(values, "path");
        row.set(DIRECTION, "SEND".equals(path) ? "outbound" : "RECEIVE".equals(path) ? "inbound" : null);
        if (action.startsWith("INFO-")) {
            row.set(MESSAGE, action + (w3c.get(values, "info") == null ? "" : " " + w3c.get(values, "info")));
        }
        String note = w3c.fromHeader() ? w3c.countMismatch(values) : null;
        return note == null && ts != null ? ParseResult.parsed(row)
                : ParseResult.partial(row, note == null ? "no readable date/time" : note);
    }
}
