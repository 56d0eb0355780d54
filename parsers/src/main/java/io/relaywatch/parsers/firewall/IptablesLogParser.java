package io.relaywatch.parsers.firewall;

import io.relaywatch.parsers.ClfTime;
import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.KeyValues;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.Tables;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * Netfilter packet logs (iptables/nftables {@code LOG} target, ufw, firewalld, Proxmox pve-firewall): a kernel syslog
 * line {@code kernel: [uptime] PREFIX IN=eth0 OUT= ... SRC=a DST=b ... PROTO=TCP SPT=p DPT=q}. One row per logged
 * packet. The log prefix is user-chosen: it becomes {@code rule}, and the action is read from its words (DROP,
 * ACCEPT, ...). Direction: only IN → inbound, only OUT → outbound, both (a forwarded packet) → null, since whether
 * forwarding is in- or outbound depends on which interface faces the internet, which the line does not say.
 */
public final class IptablesLogParser extends NamedLogParser {

    public IptablesLogParser() {
        super("iptables", Tables.FIREWALL_EVENTS,
                "Netfilter kernel packet logs (iptables/nftables LOG, ufw, firewalld, Proxmox pve-firewall)");
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
        Instant ts;
        String device = null;
        String message;
        String timeNote = null;
        SyslogHeader header = SyslogHeader.parse(line, years, context.zone());
        if (header != null) {
            ts = header.timestamp();
            device = Values.orNull(header.host());
            message = header.message();
            timeNote = ts == null ? "no time in the syslog header" : null;
        } else {
            // Proxmox: "<vmid> <loglevel> <chain> 20/Jun/2022:13:09:14 +0200 <prefix>: IN=..."
            int slash = line.indexOf('/');
            int clfStart = slash - 2;
            ts = clfStart > 0 ? ClfTime.parse(line, clfStart) : null;
            if (ts != null) {
                String[] head = line.substring(0, clfStart).trim().split(" ");
                message = (head.length >= 3 ? head[2] + " " : "")
                        + line.substring(Math.min(line.length(), clfStart + 27));
            } else {
                message = withoutHeader(line);
                if (message == null) {
                    return ParseResult.rejected(line.contains("kernel: ")
                            ? "not a netfilter log line: unreadable syslog header"
                            : "not a netfilter log line: no syslog or Proxmox header");
                }
                timeNote = "no syslog header: time unknown";
            }
        }
        int src = message.indexOf("SRC=");
        if (src < 0 || message.indexOf("DST=", src) < 0) {
            return ParseResult.rejected("not a netfilter packet log: no SRC=/DST= fields");
        }
        if (message.startsWith("[")) {
            int close = message.indexOf(']');
            if (close > 0 && isUptime(message.substring(1, close))) {
                message = message.substring(close + 1).trim();
            }
        }
        int fieldsStart = firstKeyValue(message);
        String prefix = message.substring(0, fieldsStart).trim();
        if (prefix.endsWith(":")) {
            prefix = prefix.substring(0, prefix.length() - 1).trim();
        }
        Map<String, String> kv = KeyValues.parse(message, fieldsStart);
        List<String> problems = new ArrayList<>();
        EventRecord row = Firewall.row();
        row.set(TS, ts);
        row.set(DEVICE, device);
        if (!prefix.isEmpty()) {
            row.set(RULE, prefix);
            row.set(VENDOR_ACTION, prefix);
            row.set(ACTION, Firewall.normalizeAction(prefix));
        }
        String in = kv.get("IN");
        String out = kv.get("OUT");
        if (in == null && out == null) {
            problems.add("no IN= or OUT= field");
        }
        row.set(IN_INTERFACE, Values.orNull(in));
        row.set(OUT_INTERFACE, Values.orNull(out));
        boolean hasIn = in != null && !in.isEmpty();
        boolean hasOut = out != null && !out.isEmpty();
        row.set(DIRECTION, hasIn && !hasOut ? "inbound" : hasOut && !hasIn ? "outbound" : null);
        address(row, SRC_IP, kv.get("SRC"), "SRC", problems);
        address(row, DST_IP, kv.get("DST"), "DST", problems);
        Firewall.protocol(row, kv.get("PROTO"));
        row.set(SRC_PORT, Values.toPort(kv.get("SPT")));
        row.set(DST_PORT, Values.toPort(kv.get("DPT")));
        row.set(BYTES, Values.toCount(kv.get("LEN")));
        row.set(PACKETS, 1L);
        if (timeNote != null) {
            problems.add(0, timeNote);
        }
        return problems.isEmpty() ? ParseResult.parsed(row) : ParseResult.partial(row, String.join("; ", problems));
    }

    /**
     * The message of a packet log line without syslog header: after a priority and the kernel's tag
     * ({@code <4>kernel: [uptime] PREFIX IN=...}), after the tag alone, or the bare message (journalctl {@code -k -o
     * cat}); {@code null} unless it has the {@code IN=} and {@code OUT=} fields every netfilter packet log has.
     */
    private static String withoutHeader(String line) {
        SyslogHeader t = SyslogHeader.tagOnly(line);
        String message;
        if (t != null && t.program().equals("kernel")) {
            message = t.message();
        } else {
            int start = SyslogHeader.skipPriority(line);
            message = start == 0 ? line : line.substring(start);
        }
        int in = message.indexOf("IN=");
        if (in < 0 || (in > 0 && message.charAt(in - 1) != ' ') || message.indexOf(" OUT=", in) < 0) {
            return null;
        }
        // a kernel tag left before the fields belongs to a header that could not be read, not to the log prefix
        int kernel = message.indexOf("kernel: ");
        return kernel >= 0 && kernel < in ? null : message;
    }

    private static void address(EventRecord row, io.relaywatch.schema.Column column, String value, String key,
                                List<String> problems) {
        if (Values.isIp(value)) {
            row.set(column, value);
        } else {
            problems.add(key + "=" + value + " is not an IP address");
        }
    }

    /** The kernel's "[  203.842973]" uptime stamp, as opposed to a bracketed log prefix such as "[UFW BLOCK]". */
    private static boolean isUptime(String inside) {
        for (int i = 0; i < inside.length(); i++) {
            char c = inside.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != ' ') {
                return false;
            }
        }
        return !inside.isBlank();
    }

    /** Start of the first KEY=value token: what precedes it is the log prefix. */
    private static int firstKeyValue(String message) {
        int pos = 0;
        while (pos < message.length()) {
            int end = message.indexOf(' ', pos);
            if (end < 0) {
                end = message.length();
            }
            int eq = message.indexOf('=', pos);
            if (eq > pos && eq < end && isUpperKey(message, pos, eq)) {
                return pos;
            }
            pos = end + 1;
        }
        return message.length();
    }

    private static boolean isUpperKey(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }
}
