package io.relaywatch.jobs;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code relaywatch sql}: runs a query over the warehouse's tables (registered as views by name) and prints the result
 * as an aligned table, CSV or JSON lines. Values come from logs written by attackers, so control characters are shown
 * escaped in tables (no terminal escape sequences reach the screen).
 */
public final class SqlCommand {

    /** Output formats of {@code --format}. */
    public enum OutputFormat { TABLE, CSV, JSON }

    private static final int MAX_CELL = 80;

    private SqlCommand() {
    }

    public static void run(SparkSession spark, String warehouse, String query, OutputFormat format, int limit,
                           PrintStream out) throws IOException {
        registerWarehouse(spark, warehouse);
        print(spark.sql(query), format, limit, out);
    }

    /** Registers the warehouse's tables as views; a folder without any is a usage error. */
    public static void registerWarehouse(SparkSession spark, String warehouse) {
        List<String> pending;
        try {
            pending = WarehouseCommit.pendingCommits(new org.apache.hadoop.fs.Path(warehouse)
                    .getFileSystem(spark.sparkContext().hadoopConfiguration()), warehouse);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the warehouse " + warehouse, e);
        }
        if (!pending.isEmpty()) {
            // a commit is being carried out, or was cut off: its tables are partly in place
            throw new IllegalStateException("the warehouse " + warehouse + " has an unfinished commit (run "
                    + String.join(", ", pending) + "), so its tables may be incomplete; run relaywatch ingest or "
                    + "detect on it again to complete it");
        }
        if (Warehouse.registerViews(spark, warehouse) == 0) {
            throw new CommandLine.UsageException("no relaywatch tables under " + warehouse
                    + " (run ingest or analyze first)");
        }
    }

    /** Prints a result; {@code limit} caps only the table format (CSV and JSON are for programs: all rows). */
    public static void print(Dataset<Row> result, OutputFormat format, int limit, PrintStream out)
            throws IOException {
        switch (format) {
            case JSON -> result.toJSON().toLocalIterator().forEachRemaining(out::println);
            case CSV -> printCsv(result, out);
            case TABLE -> printTable(result, limit, out);
        }
    }

    private static void printCsv(Dataset<Row> result, PrintStream out) throws IOException {
        CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(result.columns()).build());
        var rows = result.toLocalIterator();
        while (rows.hasNext()) {
            Row row = rows.next();
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                cells.add(row.isNullAt(i) ? "" : neutralizeFormula(String.valueOf(row.get(i))));
            }
            printer.printRecord(cells);
        }
        printer.flush();
    }

    /**
     * Spreadsheets run cells starting with = + - @ (and tab/CR) as formulas; a log value must never do that, so such
     * a cell is prefixed with a quote (OWASP's advice for CSV injection). Plain negative numbers are left as numbers.
     */
    static String neutralizeFormula(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '@' || first == '\t' || first == '\r'
                || (first == '-' && !cell.matches("-\\d+(\\.\\d+)?"));
        return risky ? "'" + cell : cell;
    }

    private static void printTable(Dataset<Row> result, int limit, PrintStream out) {
        String[] columns = result.columns();
        List<Row> rows = result.limit(limit + 1).collectAsList();
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
        }
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            width[i] = columns[i].length();
        }
        for (Row row : rows) {
            String[] line = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                line[i] = row.isNullAt(i) ? "NULL" : printable(String.valueOf(row.get(i)));
                width[i] = Math.max(width[i], line[i].length());
            }
            cells.add(line);
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        out.println(rule);
        out.println(tableLine(columns, width));
        out.println(rule);
        for (String[] line : cells) {
            out.println(tableLine(line, width));
        }
        out.println(rule);
        out.println(rows.size() + (rows.size() == 1 ? " row" : " rows")
                + (more ? " (more rows not shown: raise --limit or use --format csv)" : ""));
    }

    private static String tableLine(String[] values, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < values.length; i++) {
            sb.append(' ').append(values[i]).append(" ".repeat(width[i] - values[i].length())).append(" |");
        }
        return sb.toString();
    }

    /** Escapes control characters and cuts long values, for a terminal. */
    public static String printable(String value) {
        return printable(value, MAX_CELL);
    }

    /** Escapes control characters and cuts values longer than {@code max}. */
    public static String printable(String value, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length() && sb.length() < max; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= max && value.length() > max) {
            sb.setLength(max - 1);
            sb.append('…');
        }
        return sb.toString();
    }
}
