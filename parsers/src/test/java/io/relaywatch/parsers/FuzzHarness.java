package io.relaywatch.parsers;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feeds fuzz inputs to one format through the file-level path ({@link FileParser}) and checks every result. The format's
 * own {@link LineParser} is wrapped so that an exception escaping it is caught with its stack trace before
 * {@link FileParser} turns it into a rejection. The harness records what went wrong instead of failing at once, so one
 * run reports every distinct problem; {@link #current()} tells a watchdog which input is running.
 */
final class FuzzHarness {

    /** Outcome counts for one format (all strategies) or one strategy. */
    static final class Tally {
        long inputs;
        long parsed;
        long partial;
        long rejected;
        long skipped;

        void add(ParseResult result) {
            inputs++;
            switch (result.kind()) {
                case PARSED -> {
                    parsed++;
                    if (result.isPartial()) {
                        partial++;
                    }
                }
                case REJECTED -> rejected++;
                case SKIPPED -> skipped++;
            }
        }

        void add(Tally other) {
            inputs += other.inputs;
            parsed += other.parsed;
            partial += other.partial;
            rejected += other.rejected;
            skipped += other.skipped;
        }
    }

    private static final int MAX_PROBLEMS = 25;

    final LogParser format;
    final String strategy;
    final long seed;
    final Tally tally = new Tally();
    final Map<String, String> problems = new TreeMap<>();
    private final LogParser wrapped;
    private final List<String> prelude = new ArrayList<>();
    private FileParser file;
    private long lineNumber;
    private Throwable escaped;
    private volatile String current = "";
    private volatile long startedNanos = System.nanoTime();
    private volatile boolean busy;

    FuzzHarness(LogParser format, String strategy, long seed) {
        this.format = format;
        this.strategy = strategy;
        this.seed = seed;
        this.wrapped = new LogParser() {
            @Override
            public String format() {
                return format.format();
            }

            @Override
            public TableSchema table() {
                return format.table();
            }

            @Override
            public String description() {
                return format.description();
            }

            @Override
            public LineParser open(ParseContext context) {
                LineParser real = format.open(context);
                return line -> {
                    try {
                        return real.parse(line);
                    } catch (RuntimeException | Error e) {
                        escaped = e;
                        throw e;
                    }
                };
            }
        };
        newFile(List.of());
    }

    /** Starts a new file whose first lines are {@code header} (directives), fed and checked like any input. */
    void newFile(List<String> header) {
        file = new FileParser(wrapped, ParseContext.forYear("fuzz/" + format.format() + "/" + strategy, 2026));
        lineNumber = 0;
        prelude.clear();
        for (String line : header) {
            feed(line);
        }
    }

    /** What is running now, for the watchdog: the input and how long it has run. */
    String current() {
        return current;
    }

    long runningNanos() {
        return busy ? System.nanoTime() - startedNanos : 0;
    }

    /** Feeds one line of the current file and checks its result. */
    ParseResult feed(String line) {
        escaped = null;
        current = describeInput(line);
        startedNanos = System.nanoTime();
        busy = true;
        ParseResult result;
        long n = ++lineNumber;
        try {
            result = file.parse(line, n);
        } catch (Throwable t) {
            busy = false;
            problem("throws " + t.getClass().getName(), line, stackTrace(t));
            result = ParseResult.rejected("harness: " + t);
            tally.add(result);
            prelude.add(line);
            return result;
        }
        busy = false;
        if (escaped != null) {
            problem("exception escapes the parser: " + escaped, line, stackTrace(escaped));
        }
        check(line, n, result);
        tally.add(result);
        if (prelude.size() < 50 && line.startsWith("#")) {
            prelude.add(line);
        }
        return result;
    }

    private void check(String line, long n, ParseResult result) {
        if (result == null) {
            problem("null result", line, "");
            return;
        }
        switch (result.kind()) {
            case PARSED -> {
                if (result.records().isEmpty()) {
                    problem("parsed without rows", line, "");
                }
                if (result.reason() != null && result.reason().isBlank()) {
                    problem("partial with a blank note", line, "");
                }
            }
            case REJECTED -> {
                if (result.reason() == null || result.reason().isBlank()) {
                    problem("rejected without a reason", line, "");
                }
            }
            case SKIPPED -> {
                // only blank lines and directives carry no event; anything else must reach a table or rejected_lines
                // (a byte-order mark before either is not part of the line)
                String text = TextEncoding.withoutBom(line);
                if (!text.isBlank() && !text.startsWith("#")) {
                    problem("a non-directive line was skipped (" + result.reason() + ")", line, "");
                }
            }
        }
        for (EventRecord row : result.records()) {
            checkRow(line, n, row);
        }
    }

    private void checkRow(String line, long n, EventRecord row) {
        TableSchema table = format.table();
        if (row.table() != table) {
            problem("row for table " + row.table().name() + ", format declares " + table.name(), line, "");
            return;
        }
        Object[] values = row.values();
        if (values.length != table.size()) {
            problem("row has " + values.length + " values for " + table.size() + " columns", line, "");
            return;
        }
        for (Column column : table.columns()) {
            Object value = values[column.ordinal()];
            String name = column.columnName();
            if (!column.type().accepts(value)) {
                problem(name + " holds a " + value.getClass().getSimpleName() + ", declared " + column.type(), line,
                        "");
                continue;
            }
            String bad = nonsense(name, value);
            if (bad != null && name.equals("client_ip") && table.name().equals("http_requests")
                    && ((String) value).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}")) {
                bad = null; // http_requests.client_ip may be a host name (servers with name lookups on)
            }
            if (bad != null) {
                problem(name + " = " + FuzzText.escape(String.valueOf(value), 120) + ": " + bad, line, "");
            }
        }
        if (!Long.valueOf(n).equals(row.get(column(table, "source_line")))) {
            problem("source_line is " + row.get(column(table, "source_line")) + ", not " + n, line, "");
        }
        if (row.get(column(table, "log_format")) == null || row.get(column(table, "source_file")) == null) {
            problem("log_format or source_file missing", line, "");
        }
    }

    private static Column column(TableSchema table, String name) {
        return table.column(name).orElseThrow();
    }

    /** A reason why a typed value is nonsense for its column, or {@code null}. */
    static String nonsense(String column, Object value) {
        if (value == null) {
            return null;
        }
        if (column.endsWith("_port")) {
            int port = (Integer) value;
            return port < 0 || port > 65535 ? "not a port" : null;
        }
        if (column.endsWith("_ip")) {
            return strictIp((String) value) ? null : "not an IP address";
        }
        if (column.equals("ts")) {
            int year = LocalDate.ofInstant((Instant) value, ZoneOffset.UTC).getYear();
            return year < 1970 || year > 9999 ? "a timestamp outside 1970..9999" : null;
        }
        if (value instanceof Long l && (column.startsWith("bytes") || column.equals("packets")
                || column.equals("size") || column.startsWith("duration"))) {
            return l < 0 ? "negative" : null;
        }
        if (column.equals("nrcpt")) {
            return (Integer) value < 0 ? "negative" : null;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() || d < 0 ? "not a finite non-negative number" : null;
        }
        if (column.equals("smtp_code")) {
            int code = (Integer) value;
            return code < 200 || code > 599 ? "not an SMTP reply code" : null;
        }
        if (column.equals("status") && value instanceof Integer status) {
            return status < 0 || status > 999 ? "not an HTTP status" : null;
        }
        if (value instanceof String s && s.indexOf('\n') >= 0) {
            return "a line break inside a value";
        }
        return null;
    }

    /** IPv4 dotted quad or IPv6 text, ASCII only (Values.isIp is the parsers' own check; this one is independent). */
    static boolean strictIp(String s) {
        String addr = s;
        int zone = s.indexOf('%');
        if (zone >= 0) {
            addr = s.substring(0, zone);
            if (zone == s.length() - 1 || !s.substring(zone + 1).matches("[A-Za-z0-9_.\\-]+")) {
                return false;
            }
        }
        if (addr.indexOf(':') < 0) {
            return zone < 0 && addr.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]|0[0-9]{1,2})"
                    + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]|0[0-9]{1,2})){3}");
        }
        if (!addr.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            java.net.InetAddress.getByName("[" + addr + "]");
            return true;
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    private void problem(String what, String line, String detail) {
        String key = what.length() > 200 ? what.substring(0, 200) : what;
        if (problems.size() >= MAX_PROBLEMS || problems.containsKey(key)) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append(format.format()).append(" / ").append(strategy).append(" (seed ").append(seed).append("): ")
                .append(what).append("\n    input: ").append(describeInput(line));
        if (!prelude.isEmpty()) {
            b.append("\n    after directives: ");
            prelude.forEach(p -> b.append("\n      ").append(FuzzText.escape(p, 300)));
        }
        if (!detail.isEmpty()) {
            b.append("\n").append(detail);
        }
        problems.put(key, b.toString());
    }

    static String describeInput(String line) {
        return line.length() > 600
                ? FuzzText.escape(line.substring(0, 300), 300) + " ... (" + line.length() + " chars) ... "
                + FuzzText.escape(line.substring(line.length() - 100), 100)
                : FuzzText.escape(line, 600);
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String[] lines = w.toString().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 14); i++) {
            b.append("      ").append(lines[i]).append('\n');
        }
        return b.toString();
    }

    String summary() {
        return String.format(Locale.ROOT, "%-24s %-22s %9d %9d %8d %9d %8d", format.format(), strategy, tally.inputs,
                tally.parsed, tally.partial, tally.rejected, tally.skipped);
    }
}
