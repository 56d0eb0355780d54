package io.relaywatch.parsers;

/**
 * Which addresses belong to the inside of a site, for choosing the client from a forwarded-for list: a proxy in front
 * of a web server talks to it from such an address, and nginx's realip ({@code set_real_ip_from}) and Apache's
 * mod_remoteip ({@code RemoteIPInternalProxy}) are set up to trust exactly these ranges. Nothing here throws or
 * resolves names: an entry that is not an IP literal is simply not internal.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * True for an internal address: private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 of RFC 1918, fc00::/7),
     * loopback (127.0.0.0/8, ::1), link-local (169.254.0.0/16, fe80::/10) or unspecified (0.0.0.0/8, ::), IPv6 zone
     * ids ignored and IPv4-mapped addresses ({@code ::ffff:10.0.0.1}) judged by their IPv4 part. False for every other
     * address, and for anything that is not an IP literal (use {@link #literal} first for entries with a port).
     *
     * <p>Left out on purpose: shared address space 100.64.0.0/10 (carrier NAT, also some cloud load balancers) and the
     * documentation ranges, which are public as far as a log can tell.
     */
    public static boolean isInternal(String ip) {
        if (Values.isIpv4(ip)) {
            return isInternalV4(v4(ip, 0, ip.length()));
        }
        if (!Values.isIpv6(ip)) {
            return false;
        }
        int zone = ip.indexOf('%');
        int[] g = v6(zone >= 0 ? ip.substring(0, zone) : ip);
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0) {
            if (g[5] == 0xffff) {
                return isInternalV4(g[6] << 16 | g[7]); // ::ffff:a.b.c.d, an IPv4 client of a dual-stack socket
            }
            if (g[5] == 0 && g[6] == 0 && (g[7] == 0 || g[7] == 1)) {
                return true; // :: and ::1
            }
        }
        return (g[0] & 0xfe00) == 0xfc00 || (g[0] & 0xffc0) == 0xfe80;
    }

    private static boolean isInternalV4(int a) {
        int first = a >>> 24;
        int second = (a >>> 16) & 0xff;
        return first == 10 || first == 127 || first == 0
                || (first == 172 && second >= 16 && second <= 31)
                || (first == 192 && second == 168)
                || (first == 169 && second == 254);
    }

    /**
     * The IP literal of one forwarded-for entry: the entry itself, or the entry without the port or brackets that some
     * proxies add ({@code 192.0.2.1:51234}, {@code [2001:db8::1]:443}, {@code [2001:db8::1]}); {@code null} when the
     * entry holds no IP literal ({@code unknown}, a host name, an obfuscated RFC 7239 identifier).
     */
    public static String literal(String entry) {
        if (entry == null || entry.isEmpty()) {
            return null;
        }
        if (Values.isIp(entry)) {
            return entry;
        }
        if (entry.charAt(0) == '[') {
            int close = entry.indexOf(']');
            if (close < 0 || (close + 1 < entry.length() && !isPortSuffix(entry, close + 1))) {
                return null;
            }
            String inner = entry.substring(1, close);
            return Values.isIpv6(inner) ? inner : null;
        }
        int colon = entry.indexOf(':');
        if (colon > 0 && entry.lastIndexOf(':') == colon && isPortSuffix(entry, colon)) {
            String host = entry.substring(0, colon);
            return Values.isIpv4(host) ? host : null;
        }
        return null;
    }

    /** Whether {@code s} from {@code colon} on is ":" and 1 to 5 digits. */
    private static boolean isPortSuffix(String s, int colon) {
        int digits = s.length() - colon - 1;
        if (s.charAt(colon) != ':' || digits < 1 || digits > 5) {
            return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A valid dotted quad from {@code from} to {@code to} as a 32-bit number. */
    private static int v4(String s, int from, int to) {
        int result = 0;
        int part = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                result = result << 8 | part;
                part = 0;
            } else {
                part = part * 10 + (c - '0');
            }
        }
        return result << 8 | part;
    }

    /** The eight 16-bit groups of a valid IPv6 literal without zone ({@link Values#isIpv6} said so). */
    private static int[] v6(String s) {
        int[] groups = new int[8];
        int gap = s.indexOf("::");
        if (gap < 0) {
            fill(s, 0, s.length(), groups, 0);
            return groups;
        }
        int[] tail = new int[8];
        int n = fill(s, gap + 2, s.length(), tail, 0);
        fill(s, 0, gap, groups, 0);
        System.arraycopy(tail, 0, groups, 8 - n, n);
        return groups;
    }

    /** Reads the groups between {@code from} and {@code to} into {@code out} from {@code at}; returns how many. */
    private static int fill(String s, int from, int to, int[] out, int at) {
        int n = at;
        int start = from;
        while (start < to && n < out.length) {
            int end = s.indexOf(':', start);
            if (end < 0 || end > to) {
                end = to;
            }
            if (s.indexOf('.', start) >= 0 && s.indexOf('.', start) < end) {
                int v4 = v4(s, start, end); // an embedded IPv4 tail is the last two groups
                out[n++] = v4 >>> 16;
                if (n < out.length) {
                    out[n++] = v4 & 0xffff;
                }
            } else if (end > start) {
                out[n++] = Integer.parseInt(s, start, end, 16);
            }
            start = end + 1;
        }
        return n - at;
    }
}
