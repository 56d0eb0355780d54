package io.relaywatch.jobs.detect;

import io.relaywatch.jobs.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "One attacker IP with 90% of the traffic does not make one task run out of memory": the bounded evidence aggregate
 * on its own (order, cap, nulls, merging of partial buffers, same result as the unbounded expression it replaces),
 * and a whole analyze run in a child JVM with a small heap over a log where one address has 90% of the lines.
 */
class SkewTest {

    private static final String ATTACKER = "45.155.205.55";

    private static Row in(String table, String file, Long line) {
        return RowFactory.create(table, file, line);
    }

    private static List<String> pointers(Row result) {
        List<String> out = new ArrayList<>();
        for (Row r : result.<Row>getList(0)) {
            out.add(r.get(0) + "|" + r.get(1) + "|" + r.get(2));
        }
        return out;
    }

    @Test
    void keepsTheCapSmallestInOrderAndMergesPartialBuffers() {
        EvidenceFirst agg = new EvidenceFirst(3, 1);
        EvidenceFirst.Buffer a = agg.zero();
        for (long line : new long[] {9, 4, 7, 4, 12}) {
            a = agg.reduce(a, in("smtp_events", "b.log", line));
        }
        // duplicates are kept (collect_list keeps them), the largest beyond the cap are dropped
        assertEquals(List.of("smtp_events|b.log|4", "smtp_events|b.log|4", "smtp_events|b.log|7"),
                pointers(agg.finish(a)));
        EvidenceFirst.Buffer b = agg.zero();
        b = agg.reduce(b, in("smtp_events", "a.log", 100L));
        b = agg.reduce(b, in(null, "a.log", 1L));           // a null table is an absent pointer
        b = agg.reduce(b, in("http_requests", "z.log", 5L)); // tables first, then files, then lines
        b = agg.reduce(b, in("smtp_events", null, 50L));     // null fields sort first, as in array_sort
        assertEquals(List.of("http_requests|z.log|5", "smtp_events|null|50", "smtp_events|a.log|100"),
                pointers(agg.finish(agg.merge(a, b))));
        assertEquals(List.of("http_requests|z.log|5", "smtp_events|null|50", "smtp_events|a.log|100"),
                pointers(agg.finish(agg.merge(agg.zero(), agg.merge(b, agg.zero())))));
        assertEquals(List.of(), pointers(agg.finish(agg.zero())));
        assertEquals(List.of(), pointers(new EvidenceFirst(0, 1).finish(new EvidenceFirst(0, 1).reduce(
                new EvidenceFirst(0, 1).zero(), in("t", "f", 1L)))));

        LeastDistinct least = new LeastDistinct();
        LeastDistinct.Buffer x = least.zero();
        for (String v : new String[] {"c", "a", "c", null, "d"}) {
            x = least.reduce(x, RowFactory.create(v, 2));
        }
        LeastDistinct.Buffer y = least.reduce(least.zero(), RowFactory.create("b", 2));
        assertEquals(List.of("a", "b"), least.finish(least.merge(least.zero(), least.merge(y, x))).getList(0));
        // strings in code point order (Spark's UTF-8 byte order), not UTF-16 order
        assertTrue(EvidenceFirst.compareStrings("\uFF01", "\uD83D\uDE00") < 0);
        assertTrue(EvidenceFirst.compareStrings("a", "ab") < 0);
    }

    /** Random groups over several partitions: the same arrays as the collect_list / collect_set expressions. */
    @Test
    void sameResultAsTheUnboundedExpressions() {
        SparkSession spark = SparkTestSupport.spark();
        EvidenceFirst.register(spark, 5);
        LeastDistinct.register(spark);
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(RowFactory.create("g" + random.nextInt(12),
                    random.nextInt(10) == 0 ? null : new String[] {"smtp_events", "http_requests"}[random.nextInt(2)],
                    random.nextInt(20) == 0 ? null : "f" + random.nextInt(4) + (random.nextBoolean() ? "\u00e9" : ""),
                    random.nextInt(20) == 0 ? null : (long) random.nextInt(500),
                    random.nextInt(30) == 0 ? null : "v" + random.nextInt(40)));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("g", DataTypes.StringType, false),
            DataTypes.createStructField("t", DataTypes.StringType, true),
            DataTypes.createStructField("f", DataTypes.StringType, true),
            DataTypes.createStructField("l", DataTypes.LongType, true),
            DataTypes.createStructField("v", DataTypes.StringType, true)});
        spark.createDataFrame(rows, schema).repartition(4).createOrReplaceTempView("skew_rows");
        Dataset<Row> both = spark.sql("SELECT g,"
                + " evidence_first(t, f, l).pointers AS bounded,"
                + " slice(array_sort(collect_list(CASE WHEN t IS NOT NULL THEN named_struct('table', t,"
                + "   'source_file', f, 'source_line', l) END)), 1, 5) AS unbounded,"
                + " evidence_first2(t, f, l, 'smtp_events', v, l).pointers AS bounded2,"
                + " slice(array_sort(flatten(collect_list(filter(array("
                + "   CASE WHEN t IS NOT NULL THEN named_struct('table', t, 'source_file', f, 'source_line', l) END,"
                + "   named_struct('table', 'smtp_events', 'source_file', v, 'source_line', l)), p -> p IS NOT NULL)))),"
                + "   1, 5) AS unbounded2,"
                + " concat_ws(', ', least_distinct(v, 3).values) AS few,"
                + " concat_ws(', ', slice(array_sort(collect_set(v)), 1, 3)) AS few_unbounded"
                + " FROM skew_rows GROUP BY g");
        List<Row> result = both.collectAsList();
        assertEquals(12, result.size());
        for (Row r : result) {
            assertEquals(r.getList(2), r.getList(1), "evidence_first of " + r.get(0));
            assertEquals(5, r.getList(1).size());
            assertEquals(r.getList(4), r.getList(3), "evidence_first2 of " + r.get(0));
            assertEquals(r.getString(6), r.getString(5), "least_distinct of " + r.get(0));
        }
    }

    /**
     * A Postfix log where one outside address has 90% of the lines, analyzed in a child JVM with a 512 MB heap.
     * With the former collect_list evidence, 500,000 and 1,000,000 lines (90% from one address) ended in
     * OutOfMemoryError (exit 52) under this heap (200,000 still passed); with evidence_first 1,000,000 and 2,000,000
     * lines pass ({@code -Dskew.lines=N} and
     * {@code -Dskew.xmx=SIZE} change the size, {@code -Dskew.prependClasspath=DIR} runs other classes).
     */
    @Test
    void oneAddressWithNinetyPercentOfTheTrafficFitsASmallHeap(@TempDir Path dir) throws Exception {
        int lines = Integer.getInteger("skew.lines", 1_000_000);
        Path logs = Files.createDirectories(dir.resolve("logs/mx1"));
        long attackerLines = writeLog(logs.resolve("mail.log"), lines);
        Path out = dir.resolve("out");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + System.getProperty("skew.xmx", "512m"));
        command.addAll(Arrays.asList(System.getProperty("relaywatch.java17.opens", "").trim().split("\\s+")));
        command.removeIf(String::isEmpty);
        command.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1"));
        String prepend = System.getProperty("skew.prependClasspath"); // to measure another build of the classes
        command.addAll(List.of("-cp", (prepend == null ? "" : prepend + File.pathSeparator)
                + System.getProperty("java.class.path"), "io.relaywatch.jobs.RelayWatch",
                "analyze", dir.resolve("logs").toString(), "--out", out.toString(), "--year", "2026", "--tz", "UTC"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        long start = System.nanoTime();
        Process child = builder.start();
        boolean done = child.waitFor(8, TimeUnit.MINUTES);
        if (!done) {
            child.destroyForcibly().waitFor();
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String log = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
        System.out.println("SkewTest: " + lines + " lines, " + attackerLines + " from " + ATTACKER + ", analyze took "
                + seconds + " s, exit " + (done ? child.exitValue() : "timeout"));
        String tail = log.length() > 6000 ? log.substring(log.length() - 6000) : log;
        assertTrue(done, "analyze did not finish:\n" + tail);
        assertEquals(0, child.exitValue(), "analyze failed:\n" + tail);

        SparkSession spark = SparkTestSupport.spark();
        List<Row> found = spark.read().parquet(out.resolve("warehouse/findings").toString())
                .filter("rule = 'relay_probe' AND entity_type = 'ip' AND entity = '" + ATTACKER + "'")
                .select("event_count", "evidence").collectAsList();
        assertEquals(1, found.size(), "one relay_probe finding for " + ATTACKER);
        assertEquals(attackerLines, found.get(0).getLong(0));
        List<Row> evidence = found.get(0).getList(1);
        assertEquals(new DetectConfig().evidenceCap, evidence.size());
        // the first lines of the file are the attacker's smallest line numbers
        assertEquals("smtp_events", evidence.get(0).getString(0));
        assertTrue(evidence.get(0).getString(1).endsWith("mail.log"), evidence.get(0).getString(1));
        for (int i = 1; i < evidence.size(); i++) {
            assertTrue(evidence.get(i - 1).getLong(2) < evidence.get(i).getLong(2));
        }
    }

    /** Writes the log line by line; returns the attacker's line count. 9 lines in 10 are the attacker's. */
    static long writeLog(Path file, int lines) throws IOException {
        long attacker = 0;
        Random random = new Random(42);
        long second = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                if (i % 40 == 0) {
                    second++;
                }
                long s = second % 86400;
                String ts = String.format("Nov %2d %02d:%02d:%02d", 9 + (int) (second / 86400), s / 3600, s / 60 % 60,
                        s % 60);
                boolean fromAttacker = i % 10 != 9;
                String ip = fromAttacker ? ATTACKER
                        : "203.0." + (113 + random.nextInt(4)) % 256 + "." + (1 + random.nextInt(250));
                if (fromAttacker) {
                    attacker++;
                }
                w.write(ts);
                w.write(" mx1 postfix/smtpd[");
                w.write(Integer.toString(200000 + i % 5000));
                w.write("]: NOQUEUE: reject: RCPT from unknown[");
                w.write(ip);
                w.write("]: 554 5.7.1 <u");
                w.write(Integer.toString(i % 100000));
                w.write("@victim");
                w.write(Integer.toString(i % 997));
                w.write(".example>: Relay access denied; from=<spam@sender.example> to=<u");
                w.write(Integer.toString(i % 100000));
                w.write("@victim");
                w.write(Integer.toString(i % 997));
                w.write(".example> proto=ESMTP helo=<");
                w.write(ip);
                w.write(">\n");
            }
        }
        return attacker;
    }
}
