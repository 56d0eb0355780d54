package io.relaywatch.parsers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Generators and mutators of bad input lines for {@link ParserFuzzTest}; everything is driven by a given Random. */
final class FuzzText {

    private FuzzText() {
    }

    static final String[] SEPARATORS = {"\"", ",", "\t", "[", "]", "=", ":", "<", ">", " ", "(", ")", "\\", "'",
            "#", "/", "%", ";", "|", "{", "}", "\u0000", "\r"};

    static final String[] NUMBERS = {"99999999999999999999", "9999999999999999999", "9223372036854775808",
            "-9223372036854775808", "2147483648", "-2147483649", "-1", "-0", "+7", "NaN", "Infinity", "1e999",
            "-1e999", "0x1F", "65536", "99999", "1.5", "", "\uff11\uff12\uff13", "\u0661\u0662", "00000000000000000000025"};

    static final String[] DATES = {"2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "9999-12-31",
            "-2026-11-09", "2026/02/30", "2026/13/45", "30/Feb/2026", "09/Foo/2026", "99/Nov/99999", "Feb 30",
            "Foo  9", "Nov 99", "Nov -1", "25:00:00", "23:61:00", "23:59:60", "99:99:99", "24:00:00", "-1:00:00",
            "2026-11-09T25:00:00Z", "2026-11-09T07:00:00+99:00", "1e999", "XXXXXXXXXX.XXXXXX", "-99999999999.5"};

    static final String[] IPS = {"999.1.1.1", "256.256.256.256", "1.2.3", "1.2.3.4.5", "01.02.03.004", "1.2.3.4/32",
            "1.2.3.4:99999", "::", "::1", "2001:db8::1", "fe80::1%eth0", "fe80::1%", "::ffff:1.2.3.4",
            "::ffff:999.2.3.4", "1:2:3:4:5:6:7:8:9", "2001:db8:::1", "[2001:db8::1]:25", "2001:db8::1:25",
            "gggg::1", "\uff11.\uff12.\uff13.\uff14", "::\uff11", "1.2.3.4%eth0", ":", "::::",
            "1234:5678:9abc:def0:1234:5678:9abc:def0:1234:5678:9abc:def0:1234:5678:9abc:def0:1234:5678", "-"};

    private static final String NOISE = "0123456789.:-/ []=\"<>,\t\r\u0000aAzZ#%@";

    static final Pattern NUMBER = Pattern.compile("\\d+");
    static final Pattern DATE = Pattern.compile("\\d{4}[-/]\\d{2}[-/]\\d{2}|\\d{2}/[A-Z][a-z]{2}/\\d{4}"
            + "|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \\d]\\d|\\d{2}:\\d{2}:\\d{2}|\\d{9,10}\\.\\d+");
    static final Pattern IP = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}");
    static final Pattern TOKEN = Pattern.compile("[^ \\t,;=\"\\[\\]<>()]+");

    /** Java-escaped text, cut at {@code max} characters, so that any input can be printed and copied back. */
    static String escape(String s, int max) {
        StringBuilder b = new StringBuilder("\"");
        int n = Math.min(s.length(), max);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > max) {
            b.append("...(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** No line terminator can be inside a line the job hands over: LF ends it (a lone CR stays). */
    static String asLine(String s) {
        return s.replace('\n', '\r');
    }

    /** Random bytes of a random kind, decoded as UTF-8 (malformed sequences replaced) or ISO-8859-1. */
    static String randomBytes(Random r) {
        int length = r.nextInt(10) == 0 ? r.nextInt(4096) : r.nextInt(200);
        byte[] bytes = new byte[length];
        int kind = r.nextInt(4);
        for (int i = 0; i < length; i++) {
            bytes[i] = switch (kind) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) (r.nextInt(8) == 0 ? r.nextInt(32) : 32 + r.nextInt(95));
                case 2 -> (byte) NOISE.charAt(r.nextInt(NOISE.length()));
                default -> (byte) (r.nextBoolean() ? 0xC0 + r.nextInt(64) : 0x80 + r.nextInt(64));
            };
        }
        return asLine(new String(bytes, r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
    }

    /** Tokens of real lines glued with random separators: reaches deeper than pure noise. */
    static String tokenSoup(Random r, List<String> seeds) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(30);
        for (int i = 0; i < n; i++) {
            List<String> tokens = tokens(seeds.get(r.nextInt(seeds.size())));
            if (!tokens.isEmpty()) {
                b.append(tokens.get(r.nextInt(tokens.size())));
            }
            b.append(r.nextInt(3) == 0 ? SEPARATORS[r.nextInt(SEPARATORS.length)] : " ");
        }
        return asLine(b.toString());
    }

    static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        while (m.find()) {
            tokens.add(m.group());
        }
        return tokens;
    }

    /** One to three stacked mutations of {@code seed}. */
    static String mutate(Random r, String seed) {
        String s = seed;
        int times = 1 + r.nextInt(3);
        for (int i = 0; i < times; i++) {
            s = mutateOnce(r, s);
        }
        return asLine(s);
    }

    static String mutateOnce(Random r, String s) {
        int len = s.length();
        switch (r.nextInt(10)) {
            case 0 -> { // flip a character
                if (len == 0) {
                    return s;
                }
                int at = r.nextInt(len);
                char c = switch (r.nextInt(4)) {
                    case 0 -> (char) r.nextInt(32);
                    case 1 -> (char) (32 + r.nextInt(95));
                    case 2 -> (char) (0x80 + r.nextInt(0x780));
                    default -> (char) (s.charAt(at) ^ (1 << r.nextInt(7)));
                };
                return s.substring(0, at) + c + s.substring(at + 1);
            }
            case 1 -> { // delete a span
                if (len == 0) {
                    return s;
                }
                int at = r.nextInt(len);
                int end = Math.min(len, at + 1 + r.nextInt(r.nextBoolean() ? 3 : 40));
                return s.substring(0, at) + s.substring(end);
            }
            case 2 -> { // duplicate a field
                Matcher m = nth(TOKEN, s, r);
                return m == null ? s : s.substring(0, m.end()) + pick(r, " ", ",", "\t", "=", "") + m.group()
                        + s.substring(m.end());
            }
            case 3 -> { // swap two tokens
                List<int[]> spans = spans(TOKEN, s);
                if (spans.size() < 2) {
                    return s;
                }
                int a = r.nextInt(spans.size());
                int b = r.nextInt(spans.size());
                if (a == b) {
                    return s;
                }
                int[] x = spans.get(Math.min(a, b));
                int[] y = spans.get(Math.max(a, b));
                return s.substring(0, x[0]) + s.substring(y[0], y[1]) + s.substring(x[1], y[0])
                        + s.substring(x[0], x[1]) + s.substring(y[1]);
            }
            case 4 -> { // insert separators
                int at = len == 0 ? 0 : r.nextInt(len + 1);
                String sep = SEPARATORS[r.nextInt(SEPARATORS.length)];
                return s.substring(0, at) + (r.nextInt(4) == 0 ? sep.repeat(1 + r.nextInt(20)) : sep)
                        + s.substring(at);
            }
            case 5 -> {
                return replace(r, NUMBER, s, NUMBERS);
            }
            case 6 -> {
                return replace(r, DATE, s, DATES);
            }
            case 7 -> {
                return replace(r, IP, s, IPS);
            }
            case 8 -> { // truncate
                return len == 0 ? s : s.substring(0, r.nextInt(len));
            }
            default -> { // replace a token by an odd value
                Matcher m = nth(TOKEN, s, r);
                String odd = switch (r.nextInt(4)) {
                    case 0 -> pick(r, NUMBERS);
                    case 1 -> pick(r, DATES);
                    case 2 -> pick(r, IPS);
                    default -> pick(r, "-", "", "\"\"", "(empty)", "null", "\u0000", "%ASA-6-302013:", "#Fields:");
                };
                return m == null ? s : s.substring(0, m.start()) + odd + s.substring(m.end());
            }
        }
    }

    private static String replace(Random r, Pattern p, String s, String[] values) {
        Matcher m = nth(p, s, r);
        return m == null ? s : s.substring(0, m.start()) + pick(r, values) + s.substring(m.end());
    }

    /** A matcher positioned on a random match of {@code p} in {@code s}, or {@code null}. */
    private static Matcher nth(Pattern p, String s, Random r) {
        List<int[]> spans = spans(p, s);
        if (spans.isEmpty()) {
            return null;
        }
        int[] span = spans.get(r.nextInt(spans.size()));
        Matcher m = p.matcher(s);
        m.region(span[0], s.length());
        return m.lookingAt() ? m : null;
    }

    private static List<int[]> spans(Pattern p, String s) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            if (m.end() > m.start()) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    static String pick(Random r, String... values) {
        return values[r.nextInt(values.length)];
    }

    /** Every token of {@code seed} (one at a time) replaced by {@code length} characters of a field-like filler. */
    static List<String> longFields(String seed, int length, int maxPositions) {
        List<String> out = new ArrayList<>();
        List<int[]> spans = spans(TOKEN, seed);
        int step = Math.max(1, spans.size() / maxPositions);
        for (int i = 0; i < spans.size(); i += step) {
            int[] span = spans.get(i);
            String token = seed.substring(span[0], span[1]);
            String filler = (token + (i % 2 == 0 ? "." : "x")).repeat(length / (token.length() + 1) + 1)
                    .substring(0, length);
            out.add(seed.substring(0, span[0]) + filler + seed.substring(span[1]));
        }
        return out;
    }
}
