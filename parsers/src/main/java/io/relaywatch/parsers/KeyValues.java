package io.relaywatch.parsers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits {@code key=value} lists such as FortiGate's ({@code srcip=10.0.0.1 devname="FGT 1"}) and netfilter's
 * ({@code SRC=1.2.3.4 DF PROTO=TCP}). Values may be double-quoted (quotes removed, {@code \"} unescaped); a bare word
 * without {@code =} is kept as a key with the empty value. The first occurrence of a key wins.
 */
public final class KeyValues {

    private KeyValues() {
    }

    /** Parses {@code text[from..]}. Never throws; an unterminated quote runs to the end of the line. */
    public static Map<String, String> parse(String text, int from) {
        Map<String, String> result = new LinkedHashMap<>();
        int i = from;
        int n = text.length();
        while (i < n) {
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != ' ') {
                i++;
            }
            String key = text.substring(keyStart, i);
            if (i >= n || text.charAt(i) == ' ') {
                if (!key.isEmpty()) {
                    result.putIfAbsent(key, "");
                }
                continue;
            }
            i++; // '='
            String value;
            if (i < n && text.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && text.charAt(i) != '"') {
                    char c = text.charAt(i);
                    if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '"') {
                        c = '"';
                        i++;
                    }
                    sb.append(c);
                    i++;
                }
                i++; // closing quote
                value = sb.toString();
            } else {
                int valueStart = i;
                while (i < n && text.charAt(i) != ' ') {
                    i++;
                }
                value = text.substring(valueStart, i);
            }
            if (!key.isEmpty()) {
                result.putIfAbsent(key, value);
            }
        }
        return result;
    }
}
