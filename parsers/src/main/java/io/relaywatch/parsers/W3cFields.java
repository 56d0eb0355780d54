package io.relaywatch.parsers;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The state of a W3C extended log file (IIS, IIS SMTP, Windows Firewall, Exchange): the {@code #Software},
 * {@code #Date} and {@code #Fields} directives seen so far, and the splitting of a record into values by the current
 * field list. {@code #Fields} may change mid-file (IIS restarts, configuration changes); a file that starts without it
 * uses the product's default list. Values are space-separated (runs of spaces count as one, as IIS sometimes writes
 * two; IIS Advanced Logging quotes values with spaces) or, for Exchange, comma-separated CSV.
 */
public final class W3cFields {

    private final List<String> defaultFields;
    private final boolean csv;
    /** Records are tab-separated and their values may hold spaces (see {@link #tabSeparated}). */
    private final boolean tabs;
    private List<String> fields;
    private Map<String, Integer> index;
    private boolean fromHeader;
    private String software;
    private LocalDate date;

    /**
     * @param defaultFields the field names to use until a {@code #Fields} directive is seen
     * @param csv           whether records are comma-separated CSV (Exchange) rather than space-separated
     */
    public W3cFields(List<String> defaultFields, boolean csv) {
        this(defaultFields, csv, false);
    }

    private W3cFields(List<String> defaultFields, boolean csv, boolean tabs) {
        this.defaultFields = List.copyOf(defaultFields);
        this.csv = csv;
        this.tabs = tabs;
        use(this.defaultFields);
        this.fromHeader = false;
    }

    /**
     * The fields of a log in the W3C manner but not its syntax, Exchange 2000/2003's message tracking: values
     * separated by tabs, spaces inside them (subjects, {@code 0:58:14 GMT}), surrounding blanks not part of them, and
     * the field list in the log's own header line, handed over with {@link #useHeader}.
     */
    public static W3cFields tabSeparated(List<String> defaultFields) {
        return new W3cFields(defaultFields, false, true);
    }

    /** Uses the field list a log's own header line names (one that is not a {@code #Fields} directive). */
    public void useHeader(List<String> names) {
        List<String> trimmed = new ArrayList<>(names.size());
        names.forEach(name -> trimmed.add(name.trim()));
        use(trimmed);
        fromHeader = true;
    }

    /**
     * If {@code line} is a directive ({@code #...}), records what it says and returns a description of it for a
     * skipped result; otherwise returns {@code null}.
     */
    public String directive(String line) {
        if (!line.startsWith("#")) {
            return null;
        }
        int colon = line.indexOf(':');
        String name = colon > 0 ? line.substring(1, colon).trim() : line.substring(1).trim();
        String value = colon > 0 ? stripComment(line.substring(colon + 1)).trim() : "";
        switch (name.toLowerCase(Locale.ROOT)) {
            case "fields" -> {
                List<String> names = new ArrayList<>();
                for (String f : csv ? value.split(",") : value.split("\\s+")) {
                    if (!f.isBlank()) {
                        names.add(f.trim());
                    }
                }
                use(names);
                fromHeader = true;
            }
            case "software" -> software = value;
            case "date", "start-date" -> date = dateOf(value);
            default -> {
                // #Version, #Remark, #Log-type, #End-Date: nothing the parsers need
            }
        }
        return "W3C directive #" + name;
    }

    /** lnav's samples carry "// comments" after directive values; real files do not, but they must not break us. */
    private static String stripComment(String value) {
        int comment = value.indexOf("  //");
        return comment >= 0 ? value.substring(0, comment) : value;
    }

    private static LocalDate dateOf(String value) {
        if (value.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void use(List<String> names) {
        fields = List.copyOf(names);
        index = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            index.putIfAbsent(fields.get(i).toLowerCase(Locale.ROOT), i);
        }
    }

    /** The {@code #Software} value seen so far, or {@code ""}. */
    public String software() {
        return software == null ? "" : software;
    }

    /** The date of the {@code #Date} directive, for records without a date field; or {@code null}. */
    public LocalDate directiveDate() {
        return date;
    }

    /** Whether the field list came from a {@code #Fields} directive (not the default). */
    public boolean fromHeader() {
        return fromHeader;
    }

    public List<String> fields() {
        return fields;
    }

    public boolean has(String field) {
        return index.containsKey(field);
    }

    /** Splits a record into its values. */
    public List<String> split(String line) {
        if (csv) {
            return Csv.split(line, 0, ',');
        }
        if (tabs) {
            List<String> values = new ArrayList<>(fields.size() + 1);
            for (String value : line.split("\t", -1)) {
                values.add(value.trim());
            }
            return values;
        }
        List<String> values = new ArrayList<>(fields.size());
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (line.charAt(i) == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    end = n;
                }
                values.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                    i++;
                }
                values.add(line.substring(start, i));
            }
        }
        return values;
    }

    /** The value of {@code field} in {@code values}, or {@code null} when absent or "-". */
    public String get(List<String> values, String field) {
        Integer at = index.get(field);
        return at == null || at >= values.size() ? null : Values.orNull(values.get(at));
    }

    /** The value of {@code field} as written, "-" included; {@code null} only when the field is absent. */
    public String raw(List<String> values, String field) {
        Integer at = index.get(field);
        return at == null || at >= values.size() ? null : values.get(at);
    }

    /** The first present value of several alternative field names. */
    public String first(List<String> values, String... names) {
        for (String name : names) {
            String v = get(values, name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A note when the record does not have as many values as there are fields, else {@code null}. */
    public String countMismatch(List<String> values) {
        return values.size() == fields.size() ? null
                : "W3C record has " + values.size() + " values but #Fields names " + fields.size();
    }
}
