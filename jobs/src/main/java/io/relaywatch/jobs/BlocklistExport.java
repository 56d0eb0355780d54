package io.relaywatch.jobs;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes the blocklist for the software that will enforce it. Reasons go into comments, never into the directives:
 * the networks are validated CIDRs, the only values taken from logs.
 */
public final class BlocklistExport {

    /** Export formats. */
    public enum Format {
        /** A Postfix cidr: table for smtpd_client_restrictions (check_client_access cidr:/etc/postfix/relaywatch.cidr). */
        POSTFIX,
        /** iptables commands appending DROP rules to a RELAYWATCH chain (ip6tables for IPv6). */
        IPTABLES,
        /** nginx deny directives, to include in a server or http block. */
        NGINX,
        /** CSV with network, address_count, max_severity, reasons and finding_ids. */
        CSV
    }

    private BlocklistExport() {
    }

    public static void write(List<Row> rows, Format format, PrintStream out) throws IOException {
        if (format == Format.CSV) {
            CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                    .setHeader("network", "address_count", "max_severity", "reasons", "finding_ids").build());
            for (Row r : rows) {
                csv.printRecord(r.getAs("network"), r.getAs("address_count"), r.getAs("max_severity"),
                        SqlCommand.neutralizeFormula(r.getAs("reasons")), r.getAs("finding_ids"));
            }
            csv.flush();
            return;
        }
        out.println("# relaywatch blocklist: " + rows.size() + " networks");
        if (format == Format.IPTABLES) {
            out.println("iptables -N RELAYWATCH 2>/dev/null; ip6tables -N RELAYWATCH 2>/dev/null");
        }
        for (Row r : rows) {
            String network = r.getAs("network");
            String why = r.getAs("max_severity") + ": " + r.getAs("reasons");
            switch (format) {
                case POSTFIX -> out.println(network + "\tREJECT listed by relaywatch (" + why + ")");
                case IPTABLES -> out.println((network.contains(":") ? "ip6tables" : "iptables")
                        + " -A RELAYWATCH -s " + network + " -j DROP -m comment --comment \"relaywatch " + why + "\"");
                case NGINX -> out.println("deny " + network + ";  # " + why);
                default -> throw new IllegalStateException(format.toString());
            }
        }
    }
}
