package io.relaywatch.parsers.web;

import io.relaywatch.parsers.IpAddresses;
import io.relaywatch.parsers.Values;

/**
 * X-Forwarded-For lists as web servers log them ({@code 198.51.100.7, 10.0.0.2}: each proxy appends the address it
 * got the request from, so the right-most entry is the nearest), and the client address chosen from one.
 *
 * <p>The choice is nginx realip's with {@code real_ip_recursive on} and Apache mod_remoteip's, with the internal
 * ranges of {@link IpAddresses#isInternal} as the trusted proxies: walk from the right (the connection's peer, when
 * the line names it, is the last entry), skip internal addresses, and take the first address that is not internal;
 * when every address is internal, the left-most one walked. An entry that is not an IP address ({@code unknown}, a
 * host name) ends the walk as it ends nginx's, and the address walked before it is the client. Tools that take the
 * left-most public entry instead (Elastic's nginx pipeline, logstash-filter-forwarded) report whatever the client
 * wrote into the header; walking from the right only ever believes what an internal proxy added.
 */
final class ForwardedFor {

    private ForwardedFor() {
    }

    /**
     * The client of a forwarded-for list whose entries are separated by commas and/or spaces, the nearest last; an
     * IP literal (without the port an entry may carry), the entry itself when the right-most entry is a host name,
     * or {@code null} for none.
     */
    static String client(String list) {
        String walked = null;
        String rightMost = null;
        int end = list.length();
        while (end > 0) {
            while (end > 0 && isSeparator(list.charAt(end - 1))) {
                end--;
            }
            int start = end;
            while (start > 0 && !isSeparator(list.charAt(start - 1))) {
                start--;
            }
            if (start == end) {
                break;
            }
            String entry = list.substring(start, end);
            if (rightMost == null) {
                rightMost = entry;
            }
            String ip = IpAddresses.literal(entry);
            if (ip == null) {
                break;
            }
            if (!IpAddresses.isInternal(ip)) {
                return ip;
            }
            walked = ip;
            end = start;
        }
        if (walked != null || rightMost == null || rightMost.equalsIgnoreCase("unknown")) {
            return walked; // "unknown" is what Squid writes for a client it hides: no client, not a host so named
        }
        return Values.ipOrHost(rightMost);
    }

    /**
     * Whether a quoted field after the user agent is nginx's {@code "$http_x_forwarded_for"}: IP addresses (or
     * {@code unknown}) separated by commas. Addresses with a port are refused, so that a custom format's
     * {@code "$upstream_addr"} ({@code 127.0.0.1:8080}) is not taken for one.
     */
    static boolean isAddressList(String value) {
        int n = value.length();
        if (n == 0 || n > 4096) {
            return false;
        }
        int start = 0;
        while (true) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int from = start;
            int to = end;
            while (from < to && value.charAt(from) == ' ') {
                from++;
            }
            while (to > from && value.charAt(to - 1) == ' ') {
                to--;
            }
            String entry = value.substring(from, to);
            if (!Values.isIp(entry) && !entry.equalsIgnoreCase("unknown")) {
                return false;
            }
            if (comma < 0) {
                return true;
            }
            start = comma + 1;
        }
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == ' ' || c == '\t';
    }
}
