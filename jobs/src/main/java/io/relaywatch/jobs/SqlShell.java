package io.relaywatch.jobs;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import jline.console.ConsoleReader;
import jline.console.history.FileHistory;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code relaywatch sql} without a query: a prompt in the style of sqlite3 and duckdb. Statements end with {@code ;}
 * and may span lines; dot commands ({@code .tables}, {@code .run top_offenders}, ...) are one line. On a terminal it
 * edits lines with JLine and keeps history in {@code ~/.relaywatch_history}; from a pipe it reads the statements
 * without prompting, so a script can feed it. A failing statement prints its error and the shell goes on.
 */
public final class SqlShell {

    static final String HELP = """
            Statements end with ';' and may span lines. Dot commands:
              .tables                 the tables and their row descriptions
              .schema TABLE           a table's columns with their meaning
              .queries                the shipped triage queries and their parameters
              .run NAME [k=v ...]     run a triage query, e.g. .run chain_traffic chain='branch-mx -> mx1'
              .format table|csv|json  how results are printed (now: %s)
              .limit N                rows shown in table format (now: %d)
              .help                   this text
              .quit                   leave (also Ctrl-D)
            """;

    /** Where lines come from: a terminal with editing and history, or a plain reader. */
    interface LineSource extends AutoCloseable {
        /** The next line, or null at the end of input. */
        String readLine(String prompt) throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    private final SparkSession spark;
    private final PrintStream out;
    private final PrintStream err;
    private SqlCommand.OutputFormat format;
    private int limit;

    SqlShell(SparkSession spark, SqlCommand.OutputFormat format, int limit, PrintStream out, PrintStream err) {
        this.spark = spark;
        this.format = format;
        this.limit = limit;
        this.out = out;
        this.err = err;
    }

    /** A terminal source when there is a terminal, else standard input read plainly. */
    static LineSource standardInput(boolean prompt) throws IOException {
        if (prompt && System.console() != null) {
            ConsoleReader reader = new ConsoleReader();
            FileHistory history = new FileHistory(new File(System.getProperty("user.home"), ".relaywatch_history"));
            reader.setHistory(history);
            reader.setExpandEvents(false); // '!' is SQL's, not a history reference
            return new LineSource() {
                @Override
                public String readLine(String p) throws IOException {
                    return reader.readLine(p);
                }

                @Override
                public void close() throws IOException {
                    history.flush();
                    reader.shutdown();
                }
            };
        }
        BufferedReader in = new BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8));
        return p -> in.readLine();
    }

    /** Reads and runs statements until the input ends or {@code .quit}; returns the number of failed statements. */
    int run(LineSource lines, boolean interactive) throws IOException {
        if (interactive) {
            out.println("relaywatch SQL over " + String.join(", ", Tables.ALL.stream().map(TableSchema::name)
                    .toList()) + ". End statements with ';'. .help for commands, .quit to leave.");
        }
        int failures = 0;
        StringBuilder statement = new StringBuilder();
        String line;
        while ((line = lines.readLine(interactive ? (statement.isEmpty() ? "relaywatch> " : "        ...> ")
                : "")) != null) {
            String trimmed = line.strip();
            if (statement.isEmpty() && trimmed.startsWith(".")) {
                if (trimmed.equals(".quit") || trimmed.equals(".exit")) {
                    break;
                }
                failures += execute(() -> dotCommand(trimmed));
                continue;
            }
            if (statement.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                continue;
            }
            statement.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = statement.toString().strip();
                statement.setLength(0);
                String text = sql.substring(0, sql.length() - 1);
                if (!text.isBlank()) {
                    failures += execute(() -> SqlCommand.print(spark.sql(text), format, limit, out));
                }
            }
        }
        if (!statement.toString().isBlank()) {
            err.println("relaywatch: statement without a closing ';' not run: "
                    + SqlCommand.printable(statement.toString().strip(), 60));
            failures++;
        }
        return failures;
    }

    private interface Action {
        void run() throws Exception;
    }

    private int execute(Action action) {
        try {
            action.run();
            out.flush();
            return 0;
        } catch (CommandLine.UsageException | IllegalArgumentException e) {
            err.println("relaywatch: " + e.getMessage());
        } catch (Exception e) {
            // AnalysisException and parse errors carry a message meant for people; keep the first paragraph
            String message = String.valueOf(e.getMessage());
            err.println("error: " + message.lines().limit(3).reduce((a, b) -> a + "\n" + b).orElse(message));
        }
        return 1;
    }

    /** Splits on blanks, keeping 'quoted' or "quoted" parts (without the quotes) together. */
    static String[] words(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : line.strip().toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words.toArray(new String[0]);
    }

    private void dotCommand(String line) throws Exception {
        String[] words = words(line);
        switch (words[0]) {
            case ".help" -> out.printf(HELP, format.name().toLowerCase(Locale.ROOT), limit);
            case ".tables" -> {
                for (TableSchema table : Tables.ALL) {
                    out.printf("%-16s %s%n", table.name(), table.rowDescription());
                }
            }
            case ".schema" -> {
                if (words.length != 2) {
                    throw new CommandLine.UsageException(".schema takes a table name");
                }
                TableSchema table = Tables.ALL.stream().filter(t -> t.name().equals(words[1])).findFirst()
                        .orElseThrow(() -> new CommandLine.UsageException("no table " + words[1]));
                for (Column column : table.columns()) {
                    out.printf("  %-16s %-9s %s%n", column.columnName(),
                            column.type().name().toLowerCase(Locale.ROOT), column.doc());
                }
            }
            case ".queries" -> TriageQuery.list(out, parameter -> parameter + "=...");
            case ".run" -> {
                if (words.length < 2) {
                    throw new CommandLine.UsageException(".run takes a triage query name (see .queries)");
                }
                TriageQuery query = TriageQuery.byId(words[1]).orElseThrow(() ->
                        new CommandLine.UsageException("no triage query " + words[1] + " (see .queries)"));
                Map<String, String> arguments = TriageQuery.arguments(Arrays.asList(words).subList(2, words.length));
                SqlCommand.print(query.run(spark, arguments), format, limit, out);
            }
            case ".format" -> {
                try {
                    format = SqlCommand.OutputFormat.valueOf(words.length == 2
                            ? words[1].toUpperCase(Locale.ROOT) : "?");
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.UsageException(".format is table, csv or json");
                }
            }
            case ".limit" -> {
                try {
                    limit = Integer.parseInt(words.length == 2 ? words[1] : "?");
                } catch (NumberFormatException e) {
                    throw new CommandLine.UsageException(".limit takes a whole number");
                }
            }
            default -> throw new CommandLine.UsageException("unknown command " + words[0] + " (.help lists them)");
        }
    }
}
