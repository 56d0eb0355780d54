package io.relaywatch.parsers;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV record as the devices write them (Palo Alto, Exchange, pfSense): comma-separated, fields optionally in
 * double quotes with {@code ""} for a quote inside. Hand-written because the parsers carry no dependencies; an
 * unterminated quote runs to the end of the line rather than failing.
 */
public final class Csv {

    private Csv() {
    }

    public static List<String> split(String text, int from, char separator) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == separator) {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else {
                field.append(c);
            }
            fieldStart = false;
        }
        fields.add(field.toString());
        return fields;
    }
}
