package io.relaywatch.parsers.firewall;

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

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static io.relaywatch.schema.FirewallEventColumn.ACTION;
import static io.relaywatch.schema.FirewallEventColumn.BYTES;
import static io.relaywatch.schema.FirewallEventColumn.DEVICE;
import static io.relaywatch.schema.FirewallEventColumn.DIRECTION;
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
 * FortiGate key=value logs (FortiOS 5-7, and the FortiOS 4 key names {@code src}, {@code dst}, {@code status},
 * {@code log_id}), with or without a syslog header. Traffic logs give connections; event and UTM logs (VPN login
 * failures, IPS) give a row with the addresses they name and their description in {@code message}. The time is
 * {@code eventtime} (seconds to nanoseconds since the epoch, told apart by magnitude), else date+time in {@code tz},
 * else in the file's zone.
 */
public final class FortigateLogParser extends NamedLogParser {

    public FortigateLogParser() {
        super("fortigate", Tables.FIREWALL_EVENTS,
                "Fortinet FortiGate key=value traffic, event and UTM logs");
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
        int start = line.indexOf("date=");
        if (start < 0) {
            start = line.indexOf("logid=");
        }
        // the pairs follow a space, or the priority of a device that sends no syslog header (<189>date=...)
        if (start < 0 || (start > 0 && line.charAt(start - 1) != ' ' && line.charAt(start - 1) != '>')) {
            return ParseResult.rejected("not a FortiGate log: no date= or logid= field");
        }
        Map<String, String> kv = KeyValues.parse(line, start);
        String logId = first(kv, "logid", "log_id");
        if (logId == null || (kv.get("type") == null && kv.get("devname") == null)) {
            return ParseResult.rejected("not a FortiGate log: no logid and type/devname fields");
        }
        EventRecord row = Firewall.row();
        String note = null;
        Instant ts = eventTime(kv.get("eventtime"));
        if (ts == null) {
            ts = dateTime(kv.get("date"), kv.get("time"), kv.get("tz"), context.zone());
        }
        if (ts == null && start > 0) {
            SyslogHeader header = SyslogHeader.parse(line, years, context.zone());
            ts = header == null ? null : header.timestamp();
        }
        if (ts == null) {
            note = "unreadable time: date=" + kv.get("date") + " time=" + kv.get("time");
        }
        row.set(TS, ts);
        row.set(DEVICE, Values.orNull(first(kv, "devname", "devid", "device_id")));
        row.set(MESSAGE_ID, logId);
        String type = kv.getOrDefault("type", "");
        String vendorAction = first(kv, "action", "status");
        row.set(VENDOR_ACTION, vendorAction);
        row.set(ACTION, fortiAction(vendorAction));
        String src = first(kv, "srcip", "src", "remip");
        String dst = first(kv, "dstip", "dst", "locip");
        row.set(SRC_IP, Values.isIp(src) ? src : null);
        row.set(DST_IP, Values.isIp(dst) ? dst : null);
        row.set(SRC_PORT, Values.toPort(first(kv, "srcport", "src_port")));
        row.set(DST_PORT, Values.toPort(first(kv, "dstport", "dst_port")));
        row.set(IN_INTERFACE, Values.orNull(naToNull(first(kv, "srcintf", "src_int"))));
        row.set(OUT_INTERFACE, Values.orNull(naToNull(first(kv, "dstintf", "dst_int"))));
        String proto = kv.get("proto");
        Firewall.protocol(row, proto);
        row.set(RULE, first(kv, "policyid", "rule") != null
                ? first(kv, "policyid", "rule") : Values.orNull(kv.get("subtype")));
        row.set(DURATION_S, Values.toCount(kv.get("duration")));
        Long sent = Values.toCount(first(kv, "sentbyte", "sent"));
        Long received = Values.toCount(first(kv, "rcvdbyte", "rcvd"));
        row.set(BYTES, sent == null && received == null ? null : (sent == null ? 0 : sent) + (received == null ? 0 : received));
        Long sentPackets = Values.toCount(first(kv, "sentpkt", "sent_pkt"));
        Long receivedPackets = Values.toCount(first(kv, "rcvdpkt", "rcvd_pkt"));
        row.set(PACKETS, sentPackets == null && receivedPackets == null ? null
                : (sentPackets == null ? 0 : sentPackets) + (receivedPackets == null ? 0 : receivedPackets));
        String nat = first(kv, "transip", "tran_ip");
        row.set(NAT_SRC_IP, Values.isIp(nat) && !nat.equals("0.0.0.0") ? nat : null);
        String direction = kv.get("direction");
        row.set(DIRECTION, "outgoing".equals(direction) ? "outbound" : "incoming".equals(direction) ? "inbound" : null);
        if (!type.equals("traffic")) {
            String text = first(kv, "logdesc", "msg");
            row.set(MESSAGE, text == null ? type + "/" + kv.getOrDefault("subtype", "") : text);
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }

    private static String fortiAction(String action) {
        if (action == null) {
            return null;
        }
        return switch (action) {
            case "accept", "start", "pass", "passthrough" -> Firewall.ALLOW;
            case "close", "timeout", "client-rst", "server-rst" -> Firewall.CLOSE;
            default -> action.contains("fail") || action.contains("block") ? Firewall.DENY
                    : Firewall.normalizeAction(action);
        };
    }

    private static String first(Map<String, String> kv, String... keys) {
        for (String key : keys) {
            String v = kv.get(key);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    private static String naToNull(String value) {
        return "N/A".equals(value) ? null : value;
    }

    /** eventtime in s, ms, µs or ns since the epoch, told apart by its number of digits. */
    static Instant eventTime(String text) {
        Long v = Values.toLong(text);
        if (v == null || v <= 0) {
            return null;
        }
        if (v >= 100_000_000_000_000_000L) {
            return Instant.ofEpochSecond(v / 1_000_000_000L, v % 1_000_000_000L);
        }
        if (v >= 100_000_000_000_000L) {
            return Instant.ofEpochSecond(v / 1_000_000L, (v % 1_000_000L) * 1000);
        }
        if (v >= 100_000_000_000L) {
            return Instant.ofEpochMilli(v);
        }
        return Instant.ofEpochSecond(v);
    }

    private static Instant dateTime(String date, String time, String tz, ZoneId fallback) {
        if (date == null || time == null) {
            return null;
        }
        try {
            ZoneId zone = fallback;
            if (tz != null && tz.length() == 5 && (tz.charAt(0) == '+' || tz.charAt(0) == '-')) {
                zone = ZoneOffset.of(tz.substring(0, 3) + ":" + tz.substring(3));
            }
            return LocalDate.parse(date).atTime(LocalTime.parse(time)).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
