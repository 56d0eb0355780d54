package io.relaywatch.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The triage queries shipped in {@code jobs/src/main/resources/triage/*.sql}: plain Spark SQL over the warehouse's
 * tables, used by the report, the notebooks and {@code relaywatch sql --query NAME}. Parameters are Spark's named
 * markers ({@code :user}), bound as values, so a user name taken from a log cannot change the query.
 */
public enum TriageQuery {
    FINDINGS_OVERVIEW,
    FINDINGS_RANKED,
    TOP_OFFENDERS,
    TOP_COUNTRIES,
    MAIL_TIMELINE,
    USER_SESSIONS,
    CHAIN_HOPS,
    CHAIN_TRAFFIC,
    FINDING_EVIDENCE;

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_]+)\\b");

    /**
     * Prints one line per query: its name, what it answers and its parameters, each written as the caller takes it
     * ({@code --param user=...} on the command line, {@code user=...} at the prompt).
     */
    public static void list(java.io.PrintStream out, java.util.function.Function<String, String> parameterSyntax) {
        for (TriageQuery query : values()) {
            out.printf("%-18s %s%s%n", query.id(), query.description(), query.parameters().isEmpty() ? ""
                    : " [" + String.join(" ", query.parameters().stream().map(parameterSyntax).toList()) + "]");
        }
    }

    /** The name used on the command line and as the file name: {@code top_offenders}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String resource() {
        return "/triage/" + id() + ".sql";
    }

    /** The query text as shipped. */
    public String text() {
        try (InputStream in = TriageQuery.class.getResourceAsStream(resource())) {
            if (in == null) {
                throw new IllegalStateException("missing triage query " + resource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The leading comment without the name and the parameters line: what the query answers. */
    public String description() {
        StringBuilder sb = new StringBuilder();
        for (String line : text().lines().toList()) {
            if (!line.startsWith("--") || line.startsWith("-- Parameters:")) {
                break;
            }
            sb.append(sb.isEmpty() ? "" : " ").append(line.substring(2).strip());
        }
        return sb.toString().replaceFirst("^" + id() + ":\\s*", "");
    }

    /** The named parameters the query takes, in order of first use. */
    public List<String> parameters() {
        return parameters(text());
    }

    public static Optional<TriageQuery> byId(String id) {
        for (TriageQuery query : values()) {
            if (query.id().equals(id)) {
                return Optional.of(query);
            }
        }
        return Optional.empty();
    }

    /** Runs the query over the tables registered in {@code spark}; every parameter must be given. */
    public Dataset<Row> run(SparkSession spark, Map<String, String> arguments) {
        return run(spark, text(), arguments);
    }

    /** Runs any SQL text with named parameters; names a missing or unknown argument before Spark does. */
    public static Dataset<Row> run(SparkSession spark, String sql, Map<String, String> arguments) {
        List<String> wanted = parameters(sql);
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(arguments.keySet());
        if (!missing.isEmpty()) {
            throw new CommandLine.UsageException("the query needs --param " + String.join("=..., --param ", missing)
                    + "=...");
        }
        List<String> unknown = new ArrayList<>(arguments.keySet());
        unknown.removeAll(wanted);
        if (!unknown.isEmpty()) {
            throw new CommandLine.UsageException("the query takes no parameter " + unknown
                    + (wanted.isEmpty() ? "" : " (it takes " + wanted + ")"));
        }
        return wanted.isEmpty() ? spark.sql(sql) : spark.sql(sql, new LinkedHashMap<String, Object>(arguments));
    }

    /** Named markers outside comments and string literals. */
    static List<String> parameters(String sql) {
        List<String> names = new ArrayList<>();
        Matcher m = PARAMETER.matcher(withoutCommentsAndLiterals(sql));
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static String withoutCommentsAndLiterals(String sql) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                while (i < sql.length() && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < sql.length() && sql.charAt(end) != c) {
                    end += sql.charAt(end) == '\\' ? 2 : 1;
                }
                sb.append(' ');
                i = end + 1;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** {@code name=value} pairs of {@code --param}. */
    public static Map<String, String> arguments(List<String> pairs) {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.UsageException("--param takes name=value, not '" + pair + "'");
            }
            arguments.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return arguments;
    }
}
