package io.relaywatch.jobs;

import io.relaywatch.jobs.detect.DetectConfig;
import io.relaywatch.jobs.detect.DetectJob;
import io.relaywatch.jobs.detect.FindingsSummary;
import io.relaywatch.jobs.ingest.FileSummary;
import io.relaywatch.jobs.ingest.IngestJob;
import io.relaywatch.jobs.ingest.IngestOptions;
import io.relaywatch.jobs.ingest.IngestTasks;
import io.relaywatch.jobs.report.ReportWriter;
import io.relaywatch.parsers.LogFormats;
import io.relaywatch.parsers.LogParser;
import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.time.DateTimeException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The command line. {@code main} never sets a master: {@code ./relaywatch} passes {@code -Dspark.master=local[*]},
 * and {@code spark-submit --master ...} passes the cluster's.
 */
public final class RelayWatch {

    static final String USAGE = """
            usage: relaywatch <command> [options]

              analyze PATH... --out DIR [--format NAME] [--tz ZONE] [--year YYYY] [--config FILE] [--replace true]
                  the main job: ingest PATH... into DIR/warehouse, then detect; prints both summaries and writes
                  DIR/report/index.html
              report --warehouse WAREHOUSE --out FILE_OR_DIR
                  write the HTML report of a warehouse (one self-contained page) to FILE (.html) or DIR/index.html
              detect --warehouse WAREHOUSE [--config FILE]
                  run the detection rules over an ingested warehouse into its findings and blocklist tables
              blocklist --warehouse WAREHOUSE [--export postfix|iptables|nginx|csv]
                  print the blocklist in a form the named software reads (default csv)
              ingest PATH... --out WAREHOUSE [--format NAME] [--tz ZONE] [--year YYYY] [--replace true]
                  parse log files or folders (plain, .gz, .bz2; format detected per file) into Parquet tables;
                  files ingested before are skipped, changed ones replaced, new ones added (--replace true: start over)
              sql --warehouse WAREHOUSE [--format table|csv|json] [--limit N] ["SELECT ..." | --query NAME | --file F]
                  [--param NAME=VALUE ...]
                  query the tables (%s); a triage query by NAME (list: --query list) or a .sql file;
                  without a query, an interactive prompt (statements end with ';', .help for commands)
              serve-sql --warehouse WAREHOUSE [--port 10000] [--host 127.0.0.1]
                  a JDBC/ODBC endpoint (HiveServer2 protocol: beeline, BI tools) over the tables, on loopback
              generate --out DIR --days N --scale LINES [--seed S] [--start YYYY-MM-DD] [--site SITE]
                  write about LINES lines of synthetic mixed SMTP/web/firewall logs over N days (UTC, from
                  2026-11-09 by default) to DIR/logs, with the abuse stories of sample-logs/README.md injected at
                  known times, DIR/ground-truth.json (what detection must find) and DIR/detect.json (the site config
                  for analyze --config); the same seed (default 1) gives byte-identical files. --site acme (default:
                  Postfix, Exim, Apache, ASA, iptables, Zeek), exchange (Exchange 2019: SMTP protocol and message
                  tracking logs, OWA's IIS log) or sbs2003 (Small Business Server 2003: IIS SMTP and Exchange 2003
                  tracking logs)
              formats          list the supported log formats
              tables [--ddl WAREHOUSE]
                  list the tables and their documented columns; with --ddl, the SQL that registers a warehouse's
                  tables in any Spark catalog (CREATE TABLE ... USING parquet LOCATION ...)

            --tz is the zone of timestamps that carry none (syslog, local-time W3C), default UTC.
            --year is the year of the first syslog line; by default a date in the file name (mail.log-20261116),
            else the file's modification time, decides.
            """;

    private RelayWatch() {
    }

    public static void main(String[] args) {
        LogSetup.simpleUntilSpark();
        System.exit(run(List.of(args), System.out, System.err));
    }

    /**
     * Runs one command; returns the process exit code (0 ok, 1 failure, 2 usage error, 75 Spark needed but not on the
     * classpath: {@link SparkUnavailable}).
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            out.print(usage());
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "ingest" -> ingest(rest, false, out);
                case "analyze" -> ingest(rest, true, out);
                case "sql" -> sql(rest, out, err);
                case "serve-sql" -> serveSql(rest, out);
                case "detect" -> detect(rest, out);
                case "report" -> report(rest, out);
                case "blocklist" -> blocklist(rest, out);
                case "generate" -> generate(rest, out);
                case "formats" -> formats(out);
                case "tables" -> tables(rest, out);
                default -> throw new CommandLine.UsageException("unknown command '" + command + "'");
            };
        } catch (SparkUnavailable e) {
            err.println("relaywatch: " + e.getMessage());
            return SparkUnavailable.EXIT_CODE;
        } catch (CommandLine.UsageException | IllegalArgumentException | DateTimeException e) {
            err.println("relaywatch: " + e.getMessage());
            if (e instanceof CommandLine.UsageException) {
                err.print(usage());
                return 2;
            }
            return 1;
        } catch (Exception e) {
            err.println("relaywatch " + command + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static String usage() {
        return String.format(USAGE, String.join(", ", Tables.ALL.stream().map(TableSchema::name).toList()));
    }

    private static int ingest(List<String> args, boolean analyze, PrintStream out) throws Exception {
        CommandLine cli = new CommandLine(args, analyze ? Set.of("out", "format", "tz", "year", "config", "replace")
                : Set.of("out", "format", "tz", "year", "replace"));
        if (cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("give at least one log file or folder");
        }
        String format = cli.option("format");
        if (format != null && LogFormats.byName(format).isEmpty()) {
            throw new CommandLine.UsageException("unknown --format " + format + " (supported: " + LogFormats.names()
                    + ")");
        }
        String out0 = cli.required("out");
        String warehouse = analyze ? new Path(out0, "warehouse").toString() : out0;
        IngestOptions options = new IngestOptions(format, cli.option("tz", "UTC"), cli.intOption("year"),
                System.currentTimeMillis());
        DetectConfig config = analyze ? config(cli.option("config")) : null;
        // Spark starts only when needed: for analyze's rules, for a cluster master, or to rewrite changed files' rows
        Supplier<SparkSession> spark = new Supplier<>() {
            private SparkSession session;

            @Override
            public SparkSession get() {
                if (session == null) {
                    session = session();
                }
                return session;
            }
        };
        boolean replace = Boolean.parseBoolean(cli.option("replace", "false"));
        long started = System.nanoTime();
        IngestJob.Result result = IngestJob.run(IngestTasks.forMaster(spark), spark, cli.positional(), warehouse,
                options, replace);
        double seconds = (System.nanoTime() - started) / 1e9;
        result.notes().forEach(note -> out.println("note: " + note));
        if (!result.files().isEmpty()) {
            FileSummary.print(result.files(), out);
        }
        long lines = result.files().stream().mapToLong(FileSummary::read).sum();
        if (lines > 0) {
            // the ingest phase alone (JVM and Spark start-up excluded): the figure the benchmark compares
            out.printf(Locale.ROOT, "ingested %,d lines in %.1f s (%,.0f lines/s)%n", lines, seconds, lines / seconds);
        }
        if (!result.unchanged().isEmpty()) {
            out.println(result.unchanged().size() + " file(s) unchanged since they were ingested (same path, size and "
                    + "time): not read again" + (result.files().isEmpty() ? "; nothing new to ingest" : ""));
        }
        if (analyze) {
            out.println();
            FindingsSummary.print(DetectJob.run(spark.get(), warehouse, config), out);
        }
        out.println("tables written to " + warehouse + "; query them with: ./relaywatch sql --warehouse "
                + warehouse + " \"SELECT ...\"");
        if (analyze) {
            out.println("report written to " + ReportWriter.write(spark.get(), warehouse, new Path(out0, "report")
                    .toString()));
        }
        return result.files().stream().allMatch(FileSummary::balances) ? 0 : 1;
    }

    private static int detect(List<String> args, PrintStream out) {
        CommandLine cli = new CommandLine(args, Set.of("warehouse", "config"));
        if (!cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("detect takes no positional arguments");
        }
        DetectConfig config = config(cli.option("config"));
        String warehouse = cli.required("warehouse");
        SparkSession spark = session();
        if (Warehouse.registerViews(spark, warehouse) == 0) {
            throw new CommandLine.UsageException("no relaywatch tables under " + warehouse + " (run ingest first)");
        }
        FindingsSummary.print(DetectJob.run(spark, warehouse, config), out);
        return 0;
    }

    private static int report(List<String> args, PrintStream out) throws java.io.IOException {
        CommandLine cli = new CommandLine(args, Set.of("warehouse", "out"));
        if (!cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("report takes no positional arguments");
        }
        String warehouse = cli.required("warehouse");
        String target = cli.required("out");
        SparkSession spark = session();
        if (!Warehouse.exists(spark, warehouse, Tables.FINDINGS)) {
            throw new CommandLine.UsageException("no findings under " + warehouse + " (run detect or analyze first)");
        }
        out.println("report written to " + ReportWriter.write(spark, warehouse, target));
        return 0;
    }

    private static int blocklist(List<String> args, PrintStream out) throws java.io.IOException {
        CommandLine cli = new CommandLine(args, Set.of("warehouse", "export"));
        String warehouse = cli.required("warehouse");
        SparkSession spark = session();
        if (!Warehouse.exists(spark, warehouse, Tables.BLOCKLIST)) {
            throw new CommandLine.UsageException("no blocklist under " + warehouse + " (run detect or analyze first)");
        }
        BlocklistExport.Format format;
        try {
            format = BlocklistExport.Format.valueOf(cli.option("export", "csv").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("--export is postfix, iptables, nginx or csv");
        }
        BlocklistExport.write(Warehouse.read(spark, warehouse, Tables.BLOCKLIST).orderBy("network").collectAsList(),
                format, out);
        return 0;
    }

    /** The detection config: defaults, or the JSON file given; unknown keys and thresholds are errors. */
    static DetectConfig config(String path) {
        if (path == null) {
            return DetectConfig.defaults();
        }
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(path))) {
            DetectConfig config = DetectConfig.read(in);
            List<String> unknown = DetectJob.unknownThresholds(config);
            if (!unknown.isEmpty()) {
                throw new CommandLine.UsageException("unknown thresholds in " + path + ": " + unknown);
            }
            config.localNetworks(); // validates the CIDRs now, with the file named
            config.allowed();
            return config;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read config " + path + ": " + e.getMessage());
        }
    }

    private static int sql(List<String> args, PrintStream out, PrintStream err) throws Exception {
        CommandLine cli = new CommandLine(args, Set.of("warehouse", "format", "limit", "query", "file", "param"));
        int sources = cli.positional().size() + (cli.has("query") ? 1 : 0) + (cli.has("file") ? 1 : 0);
        if (sources > 1 || cli.positional().size() > 1) {
            throw new CommandLine.UsageException("give one query: in quotes, --query NAME or --file FILE");
        }
        if ("list".equals(cli.option("query"))) {
            TriageQuery.list(out, parameter -> "--param " + parameter + "=...");
            return 0;
        }
        SqlCommand.OutputFormat format;
        try {
            format = SqlCommand.OutputFormat.valueOf(cli.option("format", "table").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("--format is table, csv or json");
        }
        Integer limit0 = cli.intOption("limit");
        int limit = limit0 == null ? 1000 : limit0;
        java.util.Map<String, String> arguments = TriageQuery.arguments(cli.options("param"));
        String text;
        if (cli.has("query")) {
            text = TriageQuery.byId(cli.option("query")).orElseThrow(() -> new CommandLine.UsageException(
                    "no triage query " + cli.option("query") + " (--query list shows them)")).text();
        } else if (cli.has("file")) {
            try {
                text = java.nio.file.Files.readString(java.nio.file.Path.of(cli.option("file")));
            } catch (java.io.IOException e) {
                throw new CommandLine.UsageException("cannot read " + cli.option("file") + ": " + e.getMessage());
            }
        } else if (!cli.positional().isEmpty()) {
            text = cli.positional().get(0);
        } else {
            text = null;
        }
        SparkSession spark = session();
        SqlCommand.registerWarehouse(spark, cli.required("warehouse"));
        if (text == null) {
            boolean terminal = System.console() != null;
            try (SqlShell.LineSource lines = SqlShell.standardInput(terminal)) {
                int failures = new SqlShell(spark, format, limit, out, err).run(lines, terminal);
                return failures == 0 ? 0 : 1;
            }
        }
        text = text.strip();
        if (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1);
        }
        SqlCommand.print(TriageQuery.run(spark, text, arguments), format, limit, out);
        return 0;
    }

    private static int serveSql(List<String> args, PrintStream out) throws InterruptedException {
        CommandLine cli = new CommandLine(args, Set.of("warehouse", "port", "host"));
        if (!cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("serve-sql takes no positional arguments");
        }
        Integer port0 = cli.intOption("port");
        int port = port0 == null ? 10000 : port0;
        String host = cli.option("host", "127.0.0.1");
        SparkSession spark = session(SqlServer.SESSION_SETTINGS);
        var server = SqlServer.start(spark, cli.required("warehouse"), host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "relaywatch-serve-sql-stop"));
        out.println("serving the tables of " + cli.required("warehouse") + " at " + SqlServer.jdbcUrl(host, port)
                + " (no authentication" + (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
                ? ", loopback only" : "; reachable from the network") + ")");
        out.println("connect with: beeline -u '" + SqlServer.jdbcUrl(host, port) + "'; stop with Ctrl-C");
        out.flush();
        Thread.currentThread().join(); // serves until the process is stopped
        return 0;
    }

    private static int generate(List<String> args, PrintStream out) throws java.io.IOException {
        CommandLine cli = new CommandLine(args, Set.of("out", "days", "scale", "seed", "start", "site"));
        if (!cli.positional().isEmpty()) {
            throw new CommandLine.UsageException("generate takes no positional arguments");
        }
        String dir = cli.required("out");
        Integer days = cli.intOption("days");
        if (days == null) {
            throw new CommandLine.UsageException("--days is required");
        }
        long scale;
        long seed;
        try {
            scale = Long.parseLong(cli.required("scale").replace("_", ""));
            seed = Long.parseLong(cli.option("seed", "1"));
        } catch (NumberFormatException e) {
            throw new CommandLine.UsageException("--scale and --seed take whole numbers");
        }
        java.time.LocalDate start;
        try {
            start = java.time.LocalDate.parse(cli.option("start", "2026-11-09"));
        } catch (DateTimeException e) {
            throw new CommandLine.UsageException("--start takes a date YYYY-MM-DD");
        }
        String site = cli.option("site", io.relaywatch.jobs.generate.Generator.ACME);
        if (!io.relaywatch.jobs.generate.Generator.SITES.contains(site)) {
            throw new CommandLine.UsageException("--site takes one of "
                    + String.join(", ", io.relaywatch.jobs.generate.Generator.SITES));
        }
        io.relaywatch.jobs.generate.Generator.Result result = io.relaywatch.jobs.generate.Generator.generate(
                new io.relaywatch.jobs.generate.Generator.Options(java.nio.file.Path.of(dir), days, scale, seed,
                        start, site));
        for (io.relaywatch.jobs.generate.Generator.FileStat f : result.files()) {
            out.printf("%-40s %-12s %,12d lines%n", f.path(), f.format(), f.lines());
        }
        out.printf("%,d lines in %d files in %.2f s (%,.0f lines/s)%n", result.lines(), result.files().size(),
                result.seconds(), result.linesPerSecond());
        out.println("ground truth: " + result.groundTruth());
        out.println("analyze with: ./relaywatch analyze " + result.logs() + " --out OUT --config " + result.config());
        return 0;
    }

    private static int formats(PrintStream out) {
        for (LogParser parser : LogFormats.all()) {
            out.printf("%-24s %-16s %s%n", parser.format(), parser.table().name(), parser.description());
        }
        return 0;
    }

    private static int tables(List<String> args, PrintStream out) {
        CommandLine cli = new CommandLine(args, Set.of("ddl"));
        if (cli.has("ddl")) {
            Warehouse.catalogStatements(cli.option("ddl"), null).forEach(statement -> out.println(statement + ";"));
            return 0;
        }
        for (TableSchema table : Tables.ALL) {
            out.printf("%s: %s%n", table.name(), table.rowDescription());
            for (Column column : table.columns()) {
                out.printf("  %-16s %-9s %-28s %s%n", column.columnName(), column.type().name().toLowerCase(Locale.ROOT),
                        column.ecs().isEmpty() ? "" : "ecs:" + column.ecs(), column.doc());
            }
        }
        return 0;
    }

    /** The session every command uses: UTC session zone, Java 8 time types, Parquet timestamps as INT64 micros. */
    static SparkSession session() {
        return session(java.util.Map.of());
    }

    /** The session, with more settings that must be fixed when it is created (static SQL settings). */
    static SparkSession session(java.util.Map<String, String> settings) {
        SparkUnavailable.requireOnClasspath();
        LogSetup.beforeSpark();
        SparkSession.Builder builder = SparkSession.builder();
        settings.forEach(builder::config);
        if (System.getProperty("spark.hadoop.fs.file.impl") == null) {
            // Spark's local writes without a chmod process per file and folder, as ingest's (LocalFileSystems)
            builder.config("spark.hadoop.fs.file.impl", LocalFileSystems.NoForkLocalFileSystem.class.getName());
        }
        return builder
                .appName("relaywatch")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                .config("spark.sql.parquet.compression.codec", "zstd")
                .config("spark.sql.sources.partitionOverwriteMode", "static")
                .getOrCreate();
    }
}
