package io.relaywatch.jobs.detect;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.PrintStream;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.when;

/** Prints findings for a terminal: counts by severity, then the most severe findings, one line each. */
public final class FindingsSummary {

    private static final int SHOWN = 40;

    private FindingsSummary() {
    }

    public static void print(Dataset<Row> findings, PrintStream out) {
        var rank = when(col("severity").equalTo("critical"), 0).when(col("severity").equalTo("high"), 1)
                .when(col("severity").equalTo("medium"), 2).when(col("severity").equalTo("low"), 3).otherwise(4);
        List<Row> rows = findings.orderBy(rank, desc("score"), col("rule"), col("entity")).collectAsList();
        StringBuilder counts = new StringBuilder();
        for (String severity : DetectJob.SEVERITIES) {
            long n = rows.stream().filter(r -> severity.equals(r.getAs("severity"))).count();
            counts.append(counts.length() == 0 ? "" : ", ").append(n).append(' ').append(severity);
        }
        out.println("findings: " + rows.size() + " (" + counts + ")");
        for (Row r : rows.subList(0, Math.min(SHOWN, rows.size()))) {
            out.printf("  %-8s %-22s %-5s %-28s %s%n", r.<String>getAs("severity"), r.<String>getAs("rule"),
                    r.<String>getAs("entity_type"), io.relaywatch.jobs.SqlCommand.printable(r.getAs("entity")),
                    io.relaywatch.jobs.SqlCommand.printable(r.getAs("summary"), 400));
        }
        if (rows.size() > SHOWN) {
            out.println("  ... " + (rows.size() - SHOWN) + " more: ./relaywatch sql --warehouse ... \"SELECT * FROM findings\"");
        }
    }
}
