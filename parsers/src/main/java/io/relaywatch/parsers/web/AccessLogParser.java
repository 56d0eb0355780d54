package io.relaywatch.parsers.web;

import io.relaywatch.parsers.ClfTime;
import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.Values;
import io.relaywatch.schema.Tables;

import java.time.Instant;

import static io.relaywatch.schema.HttpRequestColumn.BYTES_SENT;
import static io.relaywatch.schema.HttpRequestColumn.CLIENT_IP;
import static io.relaywatch.schema.HttpRequestColumn.FORWARDED_FOR;
import static io.relaywatch.schema.HttpRequestColumn.LOG_FORMAT;
import static io.relaywatch.schema.HttpRequestColumn.METHOD;
import static io.relaywatch.schema.HttpRequestColumn.PROTOCOL;
import static io.relaywatch.schema.HttpRequestColumn.REFERER;
import static io.relaywatch.schema.HttpRequestColumn.SERVER;
import static io.relaywatch.schema.HttpRequestColumn.SERVER_PORT;
import static io.relaywatch.schema.HttpRequestColumn.STATUS;
import static io.relaywatch.schema.HttpRequestColumn.TARGET;
import static io.relaywatch.schema.HttpRequestColumn.TS;
import static io.relaywatch.schema.HttpRequestColumn.USER_AGENT;
import static io.relaywatch.schema.HttpRequestColumn.USER_NAME;

/**
 * Apache and Nginx access logs in the common ({@code %h %l %u %t "%r" %>s %b}), combined (plus
 * {@code "%{Referer}i" "%{User-agent}i"}) and vhost_combined ({@code %v:%p} first) layouts, told apart line by line
 * ({@code log_format} says which); fields that Nginx and others append after the user agent are ignored, except
 * nginx's {@code "$http_x_forwarded_for"} right after it. Scanned by hand, not by regex: the request line is
 * attacker-controlled and may hold anything, including escaped binary ({@code \x16\x03\x01}) and quotes
 * ({@code \"}).
 *
 * <p>Behind a proxy the client field may be an X-Forwarded-For list ({@code %{X-Forwarded-For}i},
 * {@code $http_x_forwarded_for}): {@code 10.0.0.2, 10.0.0.1, 203.0.113.9 - - [...]}, quoted and followed by the peer
 * ({@code "198.51.100.222, 203.0.113.204" 10.2.1.185 - - [...]}), after a vhost. The list goes to
 * {@code forwarded_for} (with the peer appended) and {@code client_ip} is chosen from it by {@link ForwardedFor}.
 * When the first word is a vhost and an address list follows, the word is taken for the vhost: a format that logs
 * {@code %h %{X-Forwarded-For}i} (peer first) reads the same and is not told apart. Lines without a list take the
 * path they always took, with no allocation more. Requests to Exchange behind a reverse proxy are classified by
 * {@link ExchangeWebLogons}.
 */
public final class AccessLogParser extends NamedLogParser {

    public AccessLogParser() {
        super("access_log", Tables.HTTP_REQUESTS,
                "Apache / Nginx access logs: common, combined and vhost_combined");
    }

    @Override
    public boolean splittable() {
        return true; // every line carries its full date and all its fields
    }

    @Override
    public LineParser open(ParseContext context) {
        ExchangeWebLogons logons = new ExchangeWebLogons();
        return line -> parse(line, context, logons);
    }

    /** A cursor over the line. */
    private static final class Scanner {
        final String s;
        int pos;
        /** The first backslash at or after the last quoted field's start; -1 for none; -2 before the first search. */
        int nextBackslash = -2;

        Scanner(String s) {
            this.s = s;
        }

        String word() {
            int end = s.indexOf(' ', pos);
            if (end < 0) {
                end = s.length();
            }
            String w = s.substring(pos, end);
            pos = Math.min(s.length(), end + 1);
            return w;
        }

        /** A double-quoted field with backslash escapes kept as written except {@code \"}; null if not quoted. */
        String quoted() {
            if (pos >= s.length() || s.charAt(pos) != '"') {
                return null;
            }
            int from = pos + 1;
            if (nextBackslash != -1 && nextBackslash < from) {
                nextBackslash = s.indexOf('\\', from);
            }
            // most fields hold no escapes: jump from quote to quote (String.indexOf is one tight loop, also without
            // the optimizing JIT, where a loop of charAt calls costs twice as much) to the closing one
            for (int q = s.indexOf('"', from); q >= 0; q = s.indexOf('"', q + 1)) {
                if (nextBackslash >= 0 && nextBackslash < q) {
                    return unescaped(from);
                }
                if (q + 1 == s.length() || s.charAt(q + 1) == ' ') {
                    pos = Math.min(s.length(), q + 2);
                    return s.substring(from, q);
                }
            }
            return null;
        }

        /** The quoted field from {@code from} on, where a backslash comes before its closing quote. */
        private String unescaped(int from) {
            StringBuilder sb = new StringBuilder(s.length() - from);
            int i = from;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char next = s.charAt(i + 1);
                    if (next == '"' || next == '\\') {
                        sb.append(s, from, i).append(next);
                        i += 2;
                        from = i;
                        continue;
                    }
                }
                if (c == '"' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                    pos = Math.min(s.length(), i + 2);
                    return sb.append(s, from, i).toString();
                }
                i++;
            }
            return null;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        /**
         * Reads the line again from its start when its first or second field starts a forwarded-for list, as
         * {@code %{X-Forwarded-For}i} and {@code $http_x_forwarded_for} write it: quoted ({@code "a, b, c"}) or not
         * ({@code a, b, c}: words that end in a comma, then the last one), after a vhost when it is the second field,
         * and followed by the connection's peer address when the line names it ({@code "a, b" 10.2.1.185 - - [...]}).
         * Stops before the user field; returns null when a quoted list does not close.
         */
        Listed listed(String first) {
            pos = 0;
            String vhost = null;
            if (!startsList(first)) {
                vhost = word(); // "$host $http_x_forwarded_for ...", "%v:%p %{X-Forwarded-For}i ..."
            }
            String list;
            if (pos < s.length() && s.charAt(pos) == '"') {
                list = quoted();
                if (list == null) {
                    return null;
                }
            } else {
                int start = pos;
                int end;
                do {
                    end = s.indexOf(' ', pos);
                    if (end < 0) {
                        end = s.length();
                    }
                    pos = Math.min(s.length(), end + 1);
                } while (end > start && s.charAt(end - 1) == ',' && pos < s.length());
                list = s.substring(start, end);
            }
            list = Values.orNull(list.strip());
            String peer = null;
            int afterList = pos;
            String next = word();
            if (Values.isIp(next) && !atEnd() && s.charAt(pos) != '[') {
                peer = next;
            } else {
                pos = afterList;
            }
            String ident = word();
            if (list == null) {
                return new Listed(vhost, null, peer, ident);
            }
            String all = peer == null ? list : list + ", " + peer;
            return new Listed(vhost, all, ForwardedFor.client(all), ident);
        }
    }

    /**
     * The fields before the user of a line that starts with a forwarded-for list: the vhost, the list as logged with
     * the peer appended ({@code null} when it is {@code -} or empty), the client chosen from it, and the ident. Its
     * own object, so that lines without a list allocate nothing more.
     */
    private record Listed(String vhost, String forwardedFor, String client, String ident) {
    }

    private ParseResult parse(String line, ParseContext context, ExchangeWebLogons logons) {
        Scanner sc = new Scanner(line);
        String first = sc.word();
        String second = sc.word();
        if (startsList(first) || startsList(second)) {
            Listed listed = sc.listed(first);
            if (listed == null) {
                return ParseResult.rejected("not an access log line: unterminated quoted forwarded-for list");
            }
            return rest(sc, context, logons, listed.vhost(), listed.client(), listed.ident(), listed.forwardedFor());
        }
        if (!second.equals("-") && !second.startsWith("[") && looksLikeClient(second)) {
            return rest(sc, context, logons, first, second, sc.word(), null); // vhost_combined: "%v:%p %h %l %u %t"
        }
        return rest(sc, context, logons, null, first, second, null);
    }

    /** The line from the user field on, the fields before it read. */
    private static ParseResult rest(Scanner sc, ParseContext context, ExchangeWebLogons logons, String vhost,
            String client, String ident, String forwardedFor) {
        String line = sc.s;
        String user = sc.word();
        if (sc.pos < line.length() && line.charAt(sc.pos) != '[' && line.startsWith("- [", sc.pos)) {
            sc.word(); // some custom LogFormats log one more placeholder before the time
        }
        int open = sc.pos;
        if (open >= line.length() || line.charAt(open) != '[') {
            return ParseResult.rejected("not an access log line: no [timestamp] after host, ident and user");
        }
        int close = line.indexOf(']', open);
        Instant ts = close == open + 27 ? ClfTime.parse(line, open + 1)
                : close == open + 21 || close == open + 22 ? ClfTime.parseLocal(line, open + 1, context.zone()) : null;
        if (ts == null) {
            return ParseResult.rejected("not an access log line: unreadable [dd/Mon/yyyy:HH:mm:ss zone] timestamp");
        }
        sc.pos = Math.min(line.length(), close + 2);
        if (vhost == null && sc.pos < line.length() && line.charAt(sc.pos) != '"') {
            vhost = sc.word(); // "%t %v" custom layouts name the virtual host after the time
        }
        String request = sc.quoted();
        if (request == null) {
            return ParseResult.rejected("not an access log line: no quoted request after the timestamp");
        }
        Integer status = Values.toStatus(sc.word());
        String bytes = sc.word();
        if (status == null || status < 100 || status > 999) {
            return ParseResult.rejected("not an access log line: no 3-digit status after the request");
        }
        EventRecord row = new EventRecord(Tables.HTTP_REQUESTS);
        row.set(TS, ts);
        String variant = "access_common";
        if (vhost != null) {
            int colon = vhost.lastIndexOf(':');
            Integer port = colon > 0 ? Values.toPort(vhost.substring(colon + 1)) : null;
            row.set(SERVER, port != null ? vhost.substring(0, colon) : vhost);
            row.set(SERVER_PORT, port);
            variant = "access_vhost_combined";
        }
        row.set(CLIENT_IP, Values.ipOrHost(client));
        if (forwardedFor != null) {
            row.set(FORWARDED_FOR, forwardedFor);
        }
        row.set(USER_NAME, Values.orNull(user));
        row.set(STATUS, status);
        row.set(BYTES_SENT, Values.toCount(bytes));
        String referer = sc.quoted();
        String agent = referer == null ? null : sc.quoted();
        if (agent != null) {
            row.set(REFERER, Values.orNull(referer));
            row.set(USER_AGENT, Values.orNull(agent));
            if (vhost == null) {
                variant = "access_combined";
            }
            if (forwardedFor == null && !sc.atEnd()) {
                trailingForwardedFor(row, sc, client);
            }
        }
        row.set(LOG_FORMAT, variant);
        String note = request(row, request);
        logons.classify(row, null);
        if (!"-".equals(ident) && ident.isEmpty()) {
            note = note == null ? "empty ident field" : note;
        }
        return note == null ? ParseResult.parsed(row) : ParseResult.partial(row, note);
    }

    /** Whether a first or second field starts a forwarded-for list: quoted, or an address followed by a comma. */
    private static boolean startsList(String word) {
        return !word.isEmpty() && (word.charAt(0) == '"' || word.indexOf(',') >= 0);
    }

    /**
     * nginx's {@code main} format logs {@code "$http_x_forwarded_for"} after the user agent: the list, to which the
     * connection's peer (the first field, {@code $remote_addr}) is appended, chooses the client.
     */
    private static void trailingForwardedFor(EventRecord row, Scanner sc, String peer) {
        if (sc.s.charAt(sc.pos) != '"' || sc.s.startsWith("\"-\"", sc.pos)) {
            return; // no such field, or the header was absent
        }
        String value = sc.quoted();
        if (value == null || !ForwardedFor.isAddressList(value)) {
            return; // another custom field, or nothing after the user agent that closes
        }
        String list = Values.orNull(peer) == null ? value : value + ", " + peer;
        row.set(FORWARDED_FOR, list);
        row.set(CLIENT_IP, ForwardedFor.client(list));
    }

    /** Splits "METHOD target PROTOCOL"; returns a partial-parse note for requests that are not HTTP. */
    private static String request(EventRecord row, String request) {
        if (request.equals("-") || request.isEmpty()) {
            return null; // the client sent no request line (timeouts, TLS to a plain port): nothing to split
        }
        int firstSpace = request.indexOf(' ');
        int lastSpace = request.lastIndexOf(' ');
        String method = firstSpace > 0 ? request.substring(0, firstSpace) : request;
        if (!isMethod(method)) {
            row.set(TARGET, request);
            return "request is not 'METHOD target PROTOCOL' (binary or malformed input)";
        }
        row.set(METHOD, method);
        if (firstSpace < 0) {
            return "request has a method but no target";
        }
        String target;
        if (lastSpace > firstSpace && request.startsWith("HTTP/", lastSpace + 1)) {
            target = request.substring(firstSpace + 1, lastSpace);
            row.set(PROTOCOL, request.substring(lastSpace + 1));
        } else {
            target = request.substring(firstSpace + 1); // HTTP/0.9 style, no protocol
        }
        row.set(TARGET, target);
        RequestTargets.fill(row, method, target, null);
        return null;
    }

    private static boolean isMethod(String word) {
        if (word.isEmpty() || word.length() > 20) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }

    /** An IP address or a host name as %h logs it (HostnameLookups on), not a dash or a bracket. */
    private static boolean looksLikeClient(String word) {
        if (Values.isIp(word)) {
            return true;
        }
        return word.indexOf('.') > 0 && word.indexOf(':') < 0 && word.indexOf('[') < 0 && word.indexOf('"') < 0;
    }
}
