package io.relaywatch.jobs.report;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Writes a warehouse's report through Hadoop's file system, so the target may be a local path or any Hadoop URI. */
public final class ReportWriter {

    private ReportWriter() {
    }

    /** The file a target names: itself when it ends in .html/.htm, else {@code index.html} inside it. */
    public static Path reportFile(String target) {
        String lower = target.toLowerCase(Locale.ROOT);
        return lower.endsWith(".html") || lower.endsWith(".htm") ? new Path(target) : new Path(target, "index.html");
    }

    /** Gathers and renders the report of {@code warehouse} into {@code target}; returns the qualified file written. */
    public static String write(SparkSession spark, String warehouse, String target) throws IOException {
        String html = HtmlReport.render(Report.gather(spark, warehouse));
        Path file = reportFile(target);
        FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.setWriteChecksum(false); // no .index.html.crc next to a page meant to be mailed around
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(html.getBytes(StandardCharsets.UTF_8));
        }
        return fs.makeQualified(file).toString();
    }
}
