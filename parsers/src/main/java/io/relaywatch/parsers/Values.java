package io.relaywatch.parsers;

/** Small conversions shared by the parsers. None throws: unreadable input gives {@code null}. */
public final class Values {

    private Values() {
    }

    /** {@code null} for null, empty and the placeholder {@code "-"} that most log formats write for "no value". */
    public static String orNull(String value) {
        return value == null || value.isEmpty() || value.equals("-") ? null : value;
    }

    public static Integer toInt(String value) {
        Long parsed = toLong(value);
        return parsed == null || parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE ? null : parsed.intValue();
    }

    /** A TCP/UDP port (0-65535), or {@code null}: a port outside that range is not one. */
    public static Integer toPort(String value) {
        Integer port = toInt(value);
        return port == null || port < 0 || port > 65535 ? null : port;
    }

    /** A count of bytes, packets, seconds or recipients: a non-negative integer, or {@code null}. */
    public static Long toCount(String value) {
        Long count = toLong(value);
        return count == null || count < 0 ? null : count;
    }

    /** An HTTP status as servers log it (000 for no reply up to 999), or {@code null}. */
    public static Integer toStatus(String value) {
        Integer status = toInt(value);
        return status == null || status < 0 || status > 999 ? null : status;
    }

    /** {@link #toCount} for int columns. */
    public static Integer toIntCount(String value) {
        Integer count = toInt(value);
        return count == null || count < 0 ? null : count;
    }

    /** A decimal integer (optionally signed) that fits a long, or {@code null}; no exceptions on the hot path. */
    public static Long toLong(String value) {
        if (value == null || value.isEmpty() || value.length() > 19) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (value.charAt(0) == '-' || value.charAt(0) == '+') {
            negative = value.charAt(0) == '-';
            i = 1;
            if (value.length() == 1) {
                return null;
            }
        }
        long result = 0;
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            result = result * 10 + (c - '0');
            if (result < 0) {
                // 19 digits can overflow a long; Long.MIN_VALUE itself is not worth a special case
                return null;
            }
        }
        return negative ? -result : result;
    }

    public static Double toDouble(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return null;
            }
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True for a dotted-quad IPv4 address with each part 0-255. */
    public static boolean isIpv4(String s) {
        if (s == null) {
            return false;
        }
        int n = s.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int dots = 0;
        int value = 0;
        boolean digits = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (!digits) {
                    return false;
                }
                dots++;
                value = 0;
                digits = false;
            } else if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
                digits = true;
            } else {
                return false;
            }
        }
        return digits && dots == 3;
    }

    /** True for an IPv6 literal (hex groups and colons, optionally an embedded IPv4 tail or a zone). */
    public static boolean isIpv6(String s) {
        if (s == null || s.length() < 2 || s.length() > 64 || s.indexOf(':') < 0) {
            return false;
        }
        int zone = s.indexOf('%');
        if (zone >= 0 && !isZone(s.substring(zone + 1))) {
            return false;
        }
        String addr = zone > 0 ? s.substring(0, zone) : s;
        if ((addr.startsWith(":") && !addr.startsWith("::")) || (addr.endsWith(":") && !addr.endsWith("::"))) {
            return false;
        }
        int lastColon = addr.lastIndexOf(':');
        String tail = addr.substring(lastColon + 1);
        String head = addr;
        if (tail.indexOf('.') >= 0) {
            if (!isIpv4(tail)) {
                return false;
            }
            head = addr.substring(0, lastColon + 1) + "0";
        }
        int groups = 0;
        int digits = 0;
        boolean doubleColon = false;
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == ':') {
                if (i > 0 && head.charAt(i - 1) == ':') {
                    if (doubleColon) {
                        return false;
                    }
                    doubleColon = true;
                } else if (digits > 0) {
                    groups++;
                }
                digits = 0;
            } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                if (++digits > 4) {
                    return false;
                }
            } else {
                return false;
            }
        }
        if (digits > 0) {
            groups++;
        }
        return doubleColon ? groups < 8 : groups == 8;
    }

    /** An IPv6 zone (scope) id after '%': an interface name or number, not empty. */
    private static boolean isZone(String zone) {
        if (zone.isEmpty()) {
            return false;
        }
        for (int i = 0; i < zone.length(); i++) {
            char c = zone.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }

    /** An IP address or a DNS host name (what a web server logs for its client with name lookups on), or null. */
    public static String ipOrHost(String s) {
        if (s == null || isIp(s)) {
            return s;
        }
        if (s.isEmpty() || s.length() > 255 || s.charAt(0) == '-' || s.charAt(0) == '.') {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-'
                    || c == '_')) {
                return null;
            }
        }
        return s;
    }

    /** The text between {@code open} and the next {@code close} after it, starting at {@code from}; or {@code null}. */
    public static String between(String s, String open, char close, int from) {
        int start = s.indexOf(open, from);
        if (start < 0) {
            return null;
        }
        start += open.length();
        int end = s.indexOf(close, start);
        return end < 0 ? null : s.substring(start, end);
    }
}
