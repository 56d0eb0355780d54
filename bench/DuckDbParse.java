import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The peer for relaywatch's ingest: DuckDB regex-parsing an Apache combined/vhost_combined access log into Parquet, the
 * nearest job a DuckDB user would write (one regexp_extract with all groups, as in ../shared/research/perf-ecosystem.md).
 * Compiled once (javac -cp duckdb_jdbc.jar -d CLASSES bench/DuckDbParse.java), then measured as
 * java -cp CLASSES:duckdb_jdbc.jar DuckDbParse ACCESS_LOG OUT.parquet [THREADS]
 * Prints: lines parsed_rows seconds
 */
public class DuckDbParse {
    public static void main(String[] args) throws Exception {
        String in = args[0].replace("'", "''");
        String out = args[1].replace("'", "''");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        // vhost_combined: "host:port " before the combined fields; the group is optional so plain combined matches too
        String regex = "^(?:(\\S+):(\\d+) )?(\\S+) \\S+ (\\S+) \\[([^\\]]+)\\] \"(\\S+) (\\S+) ([^\"]*)\" (\\d{3}) (\\S+)"
                + "(?: \"([^\"]*)\" \"([^\"]*)\")?";
        String fields = "['vhost','port','client_ip','user_name','ts','method','target','protocol','status','bytes',"
                + "'referer','user_agent']";
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = " + threads);
            s.execute("CREATE VIEW raw AS SELECT line FROM read_csv('" + in + "', columns = {'line': 'VARCHAR'}, "
                    + "header = false, delim = chr(1), quote = '', escape = '', auto_detect = false)");
            s.execute("COPY (SELECT p.client_ip, nullif(p.user_name, '-') AS user_name, "
                    + "strptime(p.ts, '%d/%b/%Y:%H:%M:%S %z') AS ts, p.method, p.target, p.protocol, "
                    + "try_cast(p.status AS INTEGER) AS status, try_cast(p.bytes AS BIGINT) AS bytes_sent, "
                    + "nullif(p.referer, '-') AS referer, nullif(p.user_agent, '-') AS user_agent, p.vhost AS server, "
                    + "try_cast(p.port AS INTEGER) AS server_port "
                    + "FROM (SELECT regexp_extract(line, '" + regex.replace("'", "''") + "', " + fields + ") AS p "
                    + "FROM raw)) TO '" + out + "' (FORMAT parquet, COMPRESSION snappy)");
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(ts) FROM read_parquet('" + out + "')")) {
                rs.next();
                System.out.printf("%d %d %.3f%n", rs.getLong(1), rs.getLong(2), (System.nanoTime() - started) / 1e9);
            }
        }
    }
}
