package io.relaywatch.jobs.report;

/**
 * The one escaping function of the report. Every value that came from a log or the warehouse goes through
 * {@link #escape} before it is written, in text, attributes and SVG alike: log lines are written by attackers.
 */
public final class Html {

    private Html() {
    }

    /**
     * Escapes {@code & < > " '} so the value is inert as text and in a quoted attribute; control characters (other than
     * tab and line feed) become U+FFFD, so a NUL or escape sequence from a binary log cannot confuse a viewer. Null is
     * the empty string.
     */
    public static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        sb.append('\uFFFD');
                    } else if (Character.isSurrogate(c)) {
                        // keep valid pairs, replace lone halves (they cannot be encoded as UTF-8)
                        if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            sb.append('\uFFFD');
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Escapes and shortens to {@code max} characters (with an ellipsis), for labels that must fit a box. */
    public static String escapeShort(Object value, int max) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        if (s.codePointCount(0, s.length()) > max) {
            s = s.substring(0, s.offsetByCodePoints(0, Math.max(1, max - 1))) + "\u2026";
        }
        return escape(s);
    }
}
