package io.relaywatch.parsers.web;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.Values;

import java.util.Locale;

import static io.relaywatch.schema.HttpRequestColumn.IS_ABSOLUTE_URL;
import static io.relaywatch.schema.HttpRequestColumn.URL_HOST;
import static io.relaywatch.schema.HttpRequestColumn.URL_PATH;
import static io.relaywatch.schema.HttpRequestColumn.URL_PORT;
import static io.relaywatch.schema.HttpRequestColumn.URL_QUERY;
import static io.relaywatch.schema.HttpRequestColumn.URL_SCHEME;

/**
 * Splits an HTTP request target into the url_* columns. The three forms matter for abuse detection: origin-form
 * {@code /path?q} (normal), absolute-form {@code http://host:port/path} (a proxy request) and authority-form
 * {@code host:port} (CONNECT, a tunnel): the last two set {@code is_absolute_url}.
 */
public final class RequestTargets {

    private RequestTargets() {
    }

    /** Fills url_* from a target whose query may already be separate ({@code query} non-null, as IIS logs it). */
    public static void fill(EventRecord row, String method, String target, String query) {
        if (target == null) {
            return;
        }
        if ("CONNECT".equalsIgnoreCase(method) && !target.startsWith("/")) {
            row.set(IS_ABSOLUTE_URL, true);
            authority(row, target, null);
            return;
        }
        int scheme = target.indexOf("://");
        String rest = target;
        if (scheme > 0 && isScheme(target, scheme)) {
            String schemeName = target.substring(0, scheme).toLowerCase(Locale.ROOT);
            row.set(IS_ABSOLUTE_URL, true);
            row.set(URL_SCHEME, schemeName);
            int pathStart = indexOfAny(target, scheme + 3, "/?#");
            authority(row, target.substring(scheme + 3, pathStart < 0 ? target.length() : pathStart),
                    defaultPort(schemeName));
            rest = pathStart < 0 ? "" : target.substring(pathStart);
        } else {
            row.set(IS_ABSOLUTE_URL, false);
        }
        int q = rest.indexOf('?');
        if (query == null && q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        row.set(URL_PATH, rest.isEmpty() ? (scheme > 0 ? "/" : null) : rest);
        row.set(URL_QUERY, query == null || query.isEmpty() ? null : query);
    }

    private static boolean isScheme(String target, int end) {
        for (int i = 0; i < end; i++) {
            char c = target.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return Character.isLetter(target.charAt(0));
    }

    /** host[:port], [v6]:port or user@host:port. */
    private static void authority(EventRecord row, String authority, Integer defaultPort) {
        String a = authority;
        int at = a.lastIndexOf('@');
        if (at >= 0) {
            a = a.substring(at + 1);
        }
        String host;
        Integer port = defaultPort;
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            host = close > 0 ? a.substring(1, close) : a.substring(1);
            if (close > 0 && close + 1 < a.length() && a.charAt(close + 1) == ':') {
                port = Values.toPort(a.substring(close + 2));
            }
        } else {
            int colon = a.lastIndexOf(':');
            if (colon >= 0 && a.indexOf(':') == colon) {
                host = a.substring(0, colon);
                Integer p = Values.toPort(a.substring(colon + 1));
                port = p != null ? p : port;
            } else {
                host = a;
            }
        }
        row.set(URL_HOST, host.isEmpty() ? null : host.toLowerCase(Locale.ROOT));
        row.set(URL_PORT, port);
    }

    private static Integer defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            case "ftp" -> 21;
            default -> null;
        };
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
