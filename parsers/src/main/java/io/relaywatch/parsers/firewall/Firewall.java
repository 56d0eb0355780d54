package io.relaywatch.parsers.firewall;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.schema.FirewallEventColumn;
import io.relaywatch.schema.Tables;

import java.util.Locale;

/** What the firewall parsers share: the normalized action vocabulary and a row with the common fields. */
final class Firewall {

    static final String ALLOW = "allow";
    static final String DENY = "deny";
    static final String CLOSE = "close";

    private Firewall() {
    }

    /**
     * Maps a vendor's decision word to allow / deny / close, or {@code null} when the word says neither (a log prefix
     * such as {@code FIREWALL_OUT}). Words are matched inside longer prefixes: {@code IPTABLES-DROP}, {@code UFW BLOCK}.
     */
    static String normalizeAction(String vendorAction) {
        if (vendorAction == null) {
            return null;
        }
        String word = vendorAction.toUpperCase(Locale.ROOT);
        if (word.contains("DROP") || word.contains("DENY") || word.contains("DENIED") || word.contains("REJECT")
                || word.contains("BLOCK") || word.contains("DISCARD") || word.contains("RESET")
                || word.endsWith("-RST")) {
            return DENY;
        }
        if (word.contains("ACCEPT") || word.contains("ALLOW") || word.contains("PASS") || word.contains("PERMIT")
                || word.equals("BUILT") || word.equals("START") || word.startsWith("OPEN")) {
            return ALLOW;
        }
        if (word.contains("TEARDOWN") || word.equals("CLOSE") || word.equals("TIMEOUT") || word.equals("END")) {
            return CLOSE;
        }
        return null;
    }

    static EventRecord row() {
        return new EventRecord(Tables.FIREWALL_EVENTS);
    }

    /** Sets the protocol in lower case, with IANA numbers mapped for the three that matter. */
    static void protocol(EventRecord row, String protocol) {
        if (protocol == null || protocol.isEmpty()) {
            return;
        }
        String p = switch (protocol) {
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            case "58" -> "ipv6-icmp";
            default -> protocol.toLowerCase(Locale.ROOT);
        };
        row.set(FirewallEventColumn.PROTOCOL, p);
    }
}
