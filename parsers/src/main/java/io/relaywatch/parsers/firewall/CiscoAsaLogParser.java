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

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
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
import static io.relaywatch.schema.FirewallEventColumn.RULE;
import static io.relaywatch.schema.FirewallEventColumn.SRC_IP;
import static io.relaywatch.schema.FirewallEventColumn.SRC_PORT;
import static io.relaywatch.schema.FirewallEventColumn.TS;
import static io.relaywatch.schema.FirewallEventColumn.VENDOR_ACTION;

/**
 * Cisco ASA / PIX / FTD syslog messages ({@code %ASA-6-302013: Built outbound TCP connection ...}), with a syslog
 * header, the ASA's own {@code Nov 09 2026 06:25:01 asa01 :} header, or bare. Connection messages (302013-302016),
 * denies (106001, 106006, 106007, 106015, 106023, 106100, 710003, 313001) are read field by field; any other message
 * still gives a row with its id, its text in {@code message}, and the addresses and decision it names, if any.
 *
 * <p>Source and destination are the connection's originator and target: in "Built outbound ... for outside:A to
 * inside:B" the inside host B opened the connection (Cisco's message reference), so B is the source. Teardowns do not
 * repeat the direction; the parser remembers each connection id's orientation from its Built message in the same file.
 */
public final class CiscoAsaLogParser extends NamedLogParser {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    /** Connection ids remembered for pairing teardowns with builds; old ones are forgotten beyond this. */
    private static final int REMEMBERED_CONNECTIONS = 200_000;

    public CiscoAsaLogParser() {
        super("cisco_asa", Tables.FIREWALL_EVENTS,
                "Cisco ASA / PIX / Firepower Threat Defense syslog messages (%ASA-n-nnnnnn)");
    }

    @Override
    public LineParser open(ParseContext context) {
        SyslogYear years = context.syslogYear();
        Map<String, Boolean> outboundById = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED_CONNECTIONS;
            }
        };
        return line -> parse(line, years, context, outboundById);
    }

    /** An endpoint as the ASA writes it: {@code ifc:ip/port}, {@code ip/port}, {@code ifc/ip(port)} or {@code ip}. */
    record Endpoint(String iface, String ip, Integer port) {
        static Endpoint of(String token) {
            if (token == null) {
                return null;
            }
            String t = token;
            while (!t.isEmpty() && (t.endsWith(",") || t.endsWith(";") || t.endsWith("."))) {
                t = t.substring(0, t.length() - 1);
            }
            Integer port = null;
            String iface = null;
            int paren = t.indexOf('(');
            if (paren > 0 && t.endsWith(")")) { // 106100: inside/10.1.1.1(1234)
                port = Values.toPort(t.substring(paren + 1, t.length() - 1));
                t = t.substring(0, paren);
                int slash = t.indexOf('/');
                if (slash > 0) {
                    iface = t.substring(0, slash);
                    t = t.substring(slash + 1);
                }
                return Values.isIp(t) ? new Endpoint(iface, t, port) : null;
            }
            int slash = t.lastIndexOf('/');
            if (slash > 0) {
                port = Values.toPort(t.substring(slash + 1));
                t = t.substring(0, slash);
            }
            int colon = t.indexOf(':');
            if (colon > 0 && Values.isIp(t.substring(colon + 1))) {
                iface = t.substring(0, colon);
                t = t.substring(colon + 1);
            }
            return Values.isIp(t) ? new Endpoint(iface, t, port) : null;
        }
    }

    private ParseResult parse(String line, SyslogYear years, ParseContext context, Map<String, Boolean> outboundById) {
        int tagStart = findTag(line);
        if (tagStart < 0) {
            return ParseResult.rejected("not a Cisco ASA message: no %ASA-/%PIX-/%FTD- tag");
        }
        int tagEnd = line.indexOf(' ', tagStart);
        if (tagEnd < 0) {
            return ParseResult.rejected("Cisco ASA tag without a message");
        }
        String tag = line.substring(tagStart + 1, line.charAt(tagEnd - 1) == ':' ? tagEnd - 1 : tagEnd);
        String[] parts = tag.split("-");
        if (parts.length == 4 && isWord(parts[1])) {
            // "%ASA-session-6-302015": the message class some ASA versions put before the severity
            parts = new String[] {parts[0], parts[2], parts[3]};
        }
        if (parts.length != 3 || Values.toInt(parts[1]) == null || Values.toLong(parts[2]) == null) {
            return ParseResult.rejected("malformed Cisco ASA tag '" + tag + "'");
        }
        String id = parts[2];
        String message = line.substring(tagEnd + 1).trim();
        EventRecord row = Firewall.row();
        row.set(MESSAGE_ID, id);
        String note = header(line, tagStart, years, context, row);
        boolean known = switch (id) {
            case "302013", "302015" -> built(message, row, outboundById);
            case "302014", "302016" -> teardown(message, row, outboundById);
            case "106023" -> srcDst(message, "Deny", row, ruleInQuotes(message));
            case "106001", "106006", "106007", "106015", "710003" -> fromTo(message, row);
            case "106100" -> accessList(message, row);
            default -> false;
        };
        if (!known) {
            generic(message, row);
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }

    private static boolean isWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static int findTag(String line) {
        for (String marker : new String[]{"%ASA-", "%PIX-", "%FTD-", "%FWSM-"}) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                return at;
            }
        }
        return -1;
    }

    /** Reads timestamp and device from what precedes the tag; returns a partial-parse note or null. */
    private static String header(String line, int tagStart, SyslogYear years, ParseContext context, EventRecord row) {
        String withPriority = line.substring(0, tagStart).trim();
        // the priority, if any, is kept for SyslogHeader, which tells RFC 5424 by the version after it
        int afterPriority = SyslogHeader.skipPriority(withPriority);
        String pre = withPriority.substring(afterPriority).trim();
        if (pre.endsWith(":")) {
            pre = pre.substring(0, pre.length() - 1).trim();
        }
        if (pre.isEmpty()) {
            // "%ASA-...", "<166>%ASA-...", "<166>:%ASA-...": a device that sends no timestamp
            return "no timestamp: bare ASA message without a syslog header";
        }
        // the ASA's own "Nov 09 2026 06:25:01 [host]" header
        if (pre.length() >= 20 && pre.charAt(3) == ' ' && pre.charAt(6) == ' ' && pre.charAt(11) == ' '
                && MONTHS.indexOf(pre.substring(0, 3)) % 3 == 0) {
            Instant ts = asaTime(pre, context);
            if (ts != null) {
                row.set(TS, ts);
                String rest = pre.substring(20).trim();
                if (rest.endsWith(":")) {
                    rest = rest.substring(0, rest.length() - 1).trim();
                }
                row.set(DEVICE, rest.isEmpty() ? null : rest);
                return null;
            }
        }
        SyslogHeader header = SyslogHeader.parse(withPriority.substring(0, afterPriority) + pre + " -: x", years,
                context.zone());
        if (header == null) {
            return "unreadable header before the ASA tag: " + pre;
        }
        row.set(TS, header.timestamp());
        // "-:" is the stand-in tag appended above: a header without host reads it as the host
        row.set(DEVICE, header.host().equals("-:") ? null : Values.orNull(header.host()));
        return header.timestamp() == null ? "no time in the syslog header" : null;
    }

    private static Instant asaTime(String pre, ParseContext context) {
        Integer day = Values.toInt(pre.substring(4, 6).trim());
        Integer year = Values.toInt(pre.substring(7, 11));
        Integer h = Values.toInt(pre.substring(12, 14));
        Integer m = Values.toInt(pre.substring(15, 17));
        Integer s = Values.toInt(pre.substring(18, 20));
        if (day == null || year == null || h == null || m == null || s == null) {
            return null;
        }
        try {
            return LocalDateTime.of(year, MONTHS.indexOf(pre.substring(0, 3)) / 3 + 1, day, h, m, s)
                    .atZone(context.zone()).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** "Built {inbound|outbound} TCP connection ID for IF:A/p (MA/mp) to IF:B/q (MB/mq)". */
    private static boolean built(String message, EventRecord row, Map<String, Boolean> outboundById) {
        String[] w = message.split(" ");
        if (w.length < 8 || !w[0].equals("Built") || !w[5].equals("for")) {
            return false;
        }
        boolean outbound = w[1].equalsIgnoreCase("outbound");
        int to = indexOf(w, "to", 7);
        Endpoint first = Endpoint.of(w[6]);
        Endpoint second = to > 0 && to + 1 < w.length ? Endpoint.of(w[to + 1]) : null;
        if (first == null || second == null) {
            return false;
        }
        Endpoint firstMapped = Endpoint.of(unparen(w[7]));
        Endpoint secondMapped = to + 2 < w.length ? Endpoint.of(unparen(w[to + 2])) : null;
        if (Values.toLong(w[4]) != null) {
            // connection ids are numbers; remembering arbitrary tokens would let a hostile file fill the map with junk
            outboundById.put(w[4], outbound);
        }
        Firewall.protocol(row, w[2]);
        row.set(VENDOR_ACTION, "Built");
        row.set(ACTION, Firewall.ALLOW);
        row.set(DIRECTION, outbound ? "outbound" : "inbound");
        Endpoint src = outbound ? second : first;
        Endpoint dst = outbound ? first : second;
        Endpoint srcMapped = outbound ? secondMapped : firstMapped;
        endpoints(row, src, dst);
        if (srcMapped != null && !srcMapped.ip().equals(src.ip())) {
            row.set(NAT_SRC_IP, srcMapped.ip());
        }
        return true;
    }

    /** "Teardown TCP connection ID for IF:A/p to IF:B/q duration 0:00:12 bytes 4567 TCP FINs". */
    private static boolean teardown(String message, EventRecord row, Map<String, Boolean> outboundById) {
        String[] w = message.split(" ");
        if (w.length < 8 || !w[0].equals("Teardown") || !w[4].equals("for")) {
            return false;
        }
        int to = indexOf(w, "to", 6);
        Endpoint first = Endpoint.of(w[5]);
        Endpoint second = to > 0 && to + 1 < w.length ? Endpoint.of(w[to + 1]) : null;
        if (first == null || second == null) {
            return false;
        }
        Boolean outbound = outboundById.remove(w[3]);
        Firewall.protocol(row, w[1]);
        row.set(VENDOR_ACTION, "Teardown");
        row.set(ACTION, Firewall.CLOSE);
        if (outbound != null) {
            row.set(DIRECTION, outbound ? "outbound" : "inbound");
        }
        boolean swap = Boolean.TRUE.equals(outbound);
        endpoints(row, swap ? second : first, swap ? first : second);
        int duration = indexOf(w, "duration", to);
        if (duration > 0 && duration + 1 < w.length) {
            row.set(DURATION_S, hms(w[duration + 1]));
        }
        int bytes = indexOf(w, "bytes", to);
        if (bytes > 0 && bytes + 1 < w.length) {
            row.set(BYTES, Values.toCount(w[bytes + 1]));
        }
        return true;
    }

    /** "Deny tcp src outside:A/p dst inside:B/q by access-group "ACL"". */
    private static boolean srcDst(String message, String verb, EventRecord row, String rule) {
        String[] w = message.split(" ");
        int src = indexOf(w, "src", 0);
        int dst = indexOf(w, "dst", 0);
        if (!message.startsWith(verb) || src < 0 || dst < 0 || src + 1 >= w.length || dst + 1 >= w.length) {
            return false;
        }
        Endpoint a = Endpoint.of(w[src + 1]);
        Endpoint b = Endpoint.of(w[dst + 1]);
        if (a == null || b == null) {
            return false;
        }
        Firewall.protocol(row, w[1]);
        row.set(VENDOR_ACTION, verb);
        row.set(ACTION, Firewall.normalizeAction(verb));
        row.set(RULE, rule);
        endpoints(row, a, b);
        return true;
    }

    /** 106001 / 106006 / 106007 / 106015 / 710003: "... from A/p to B/q ... on interface X". */
    private static boolean fromTo(String message, EventRecord row) {
        String[] w = message.split(" ");
        int from = indexOf(w, "from", 0);
        int to = indexOf(w, "to", from + 1);
        if (from < 0 || to < 0 || from + 1 >= w.length || to + 1 >= w.length) {
            return false;
        }
        Endpoint a = Endpoint.of(w[from + 1]);
        Endpoint b = Endpoint.of(w[to + 1]);
        if (a == null || b == null) {
            return false;
        }
        row.set(VENDOR_ACTION, "Deny"); // every message read here reports a denied packet
        row.set(ACTION, Firewall.DENY);
        for (String word : w) {
            if (word.equalsIgnoreCase("TCP") || word.equalsIgnoreCase("UDP") || word.equalsIgnoreCase("ICMP")) {
                Firewall.protocol(row, word);
                break;
            }
        }
        if (message.startsWith("Inbound") || message.contains(" inbound ")) {
            row.set(DIRECTION, "inbound");
        }
        endpoints(row, a, b);
        int on = message.indexOf("on interface ");
        if (on >= 0 && a.iface() == null) {
            row.set(IN_INTERFACE, message.substring(on + 13).trim());
        }
        return true;
    }

    /** 106100: "access-list ACL permitted tcp inside/A(p) -> outside/B(q) hit-cnt 1 first hit [...]". */
    private static boolean accessList(String message, EventRecord row) {
        String[] w = message.split(" ");
        int arrow = indexOf(w, "->", 0);
        if (w.length < 7 || !w[0].equals("access-list") || arrow < 1 || arrow + 1 >= w.length) {
            return false;
        }
        Endpoint a = Endpoint.of(w[arrow - 1]);
        Endpoint b = Endpoint.of(w[arrow + 1]);
        if (a == null || b == null) {
            return false;
        }
        row.set(RULE, w[1]);
        row.set(VENDOR_ACTION, w[2]);
        row.set(ACTION, Firewall.normalizeAction(w[2]));
        Firewall.protocol(row, w[3]);
        endpoints(row, a, b);
        return true;
    }

    /** Any other message: keep its text, and pick up the endpoints and decision it names, if any. */
    private static void generic(String message, EventRecord row) {
        row.set(MESSAGE, message);
        String[] w = message.split(" ");
        String first = w.length > 0 ? w[0] : null;
        row.set(VENDOR_ACTION, first);
        String action = Firewall.normalizeAction(first);
        if (action == null) {
            for (String word : w) {
                if (word.equalsIgnoreCase("denied") || word.equalsIgnoreCase("dropped")
                        || word.equalsIgnoreCase("drop") || word.equalsIgnoreCase("discarded")) {
                    action = Firewall.DENY;
                    break;
                }
            }
        }
        row.set(ACTION, action);
        int from = indexOf(w, "from", 0);
        int to = from < 0 ? -1 : indexOf(w, "to", from + 1);
        if (from >= 0 && to >= 0 && from + 1 < w.length && to + 1 < w.length) {
            Endpoint a = Endpoint.of(w[from + 1]);
            Endpoint b = Endpoint.of(w[to + 1]);
            if (a != null && b != null) {
                endpoints(row, a, b);
            }
        }
    }

    private static void endpoints(EventRecord row, Endpoint src, Endpoint dst) {
        row.set(SRC_IP, src.ip());
        row.set(SRC_PORT, src.port());
        row.set(DST_IP, dst.ip());
        row.set(DST_PORT, dst.port());
        row.set(IN_INTERFACE, src.iface());
        row.set(OUT_INTERFACE, dst.iface());
    }

    private static String ruleInQuotes(String message) {
        int by = message.indexOf("access-group \"");
        if (by < 0) {
            return null;
        }
        int end = message.indexOf('"', by + 14);
        return end < 0 ? null : message.substring(by + 14, end);
    }

    private static String unparen(String token) {
        return token.startsWith("(") && token.endsWith(")") ? token.substring(1, token.length() - 1) : null;
    }

    private static int indexOf(String[] words, String word, int from) {
        for (int i = Math.max(0, from); i < words.length; i++) {
            if (words[i].equals(word)) {
                return i;
            }
        }
        return -1;
    }

    /** "h:mm:ss" (hours may exceed 24; ASA 9.x may prefix days as "1d2h" which is not handled: null). */
    static Long hms(String text) {
        String[] p = text.split(":");
        if (p.length != 3) {
            return null;
        }
        Long h = Values.toCount(p[0]);
        Long m = Values.toCount(p[1]);
        Long s = Values.toCount(p[2]);
        return h == null || m == null || s == null ? null : h * 3600 + m * 60 + s;
    }
}
