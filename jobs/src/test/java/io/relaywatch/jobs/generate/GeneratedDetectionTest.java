package io.relaywatch.jobs.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.jobs.detect.Networks;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detection rules on generated data: every finding the ground truth expects is there (recall), the high and
 * critical findings are the injected stories (precision), and the benign entities raise nothing high.
 */
class GeneratedDetectionTest {

    @TempDir
    Path tmp;

    @Test
    void detectionFindsTheInjectedStoriesAndLittleElse() throws Exception {
        SparkSession spark = SparkTestSupport.spark();
        // other worlds can be checked the same way: -Drelaywatch.generate.days=7 -Drelaywatch.generate.seed=5 ...
        int days = Integer.getInteger("relaywatch.generate.days", 3);
        long scale = Long.getLong("relaywatch.generate.scale", 150_000L);
        long seed = Long.getLong("relaywatch.generate.seed", 20261109L);
        Generator.Result generated = Generator.generate(new Generator.Options(tmp.resolve("gen"), days, scale, seed,
                LocalDate.of(2026, 11, 9)));
        String out = tmp.resolve("out").toString();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of("analyze", generated.logs().toString(), "--out", out, "--config",
                generated.config().toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        String summary = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, summary);
        Row ingested = Warehouse.read(spark, Path.of(out, "warehouse").toString(), Tables.INGEST_FILES)
                .selectExpr("count(*)", "sum(lines_read)", "sum(lines_rejected)").first();
        assertEquals(7L, ingested.getLong(0), summary);
        assertEquals(generated.lines(), ingested.getLong(1), summary);
        assertEquals(0L, ingested.getLong(2), summary);

        List<Row> findings = Warehouse.read(spark, Path.of(out, "warehouse").toString(), Tables.FINDINGS)
                .select("rule", "severity", "entity_type", "entity").collectAsList();
        JsonNode truth = new ObjectMapper().readTree(generated.groundTruth().toFile());

        Set<String> expected = new HashSet<>();
        List<String> missed = new ArrayList<>();
        int total = 0;
        for (JsonNode story : truth.get("stories")) {
            for (JsonNode e : story.get("expected")) {
                total++;
                String key = e.get("rule").asText() + " " + e.get("entity").asText();
                expected.add(key);
                boolean found = findings.stream().anyMatch(f -> key.equals(f.getString(0) + " " + f.getString(3)));
                if (!found) {
                    missed.add(story.get("story").asText() + ": " + key);
                }
            }
        }
        List<Row> severe = findings.stream().filter(f -> f.getString(1).equals("high")
                || f.getString(1).equals("critical")).toList();
        List<String> unexpected = new ArrayList<>();
        for (Row f : severe) {
            if (!expected.contains(f.getString(0) + " " + f.getString(3))) {
                unexpected.add(f.getString(1) + " " + f.getString(0) + " " + f.getString(2) + " " + f.getString(3));
            }
        }
        List<String> benignHits = new ArrayList<>();
        for (JsonNode b : truth.get("benign")) {
            String type = b.get("entity_type").asText();
            String entity = b.get("entity").asText();
            String except = b.has("except") ? b.get("except").asText() : null;
            Networks net = type.equals("cidr") ? new Networks(List.of(entity)) : null;
            for (Row f : severe) {
                String fe = f.getString(3);
                boolean hit = fe.equals(entity) || (net != null && (f.getString(2).equals("ip")
                        || f.getString(2).equals("cidr")) && net.contains(fe.contains("/")
                        ? fe.substring(0, fe.indexOf('/')) : fe));
                if (hit && !fe.equals(except)) {
                    benignHits.add(f.getString(1) + " " + f.getString(0) + " " + fe + " (benign: " + entity + ")");
                }
            }
        }
        double recall = (double) (total - missed.size()) / total;
        double precision = severe.isEmpty() ? 0 : (double) (severe.size() - unexpected.size()) / severe.size();
        System.out.printf("GeneratedDetectionTest (%d days, %,d lines, seed %d): recall %.3f (%d of %d expected "
                        + "findings), precision %.3f (%d of %d high/critical findings are injected stories)%n", days,
                generated.lines(), seed, recall, total - missed.size(), total, precision,
                severe.size() - unexpected.size(), severe.size());
        unexpected.forEach(u -> System.out.println("  not in the ground truth: " + u));
        assertEquals(List.of(), missed, "missed:\n" + summary);
        assertEquals(1.0, recall);
        assertTrue(precision >= 0.9, "precision " + precision + ", not in the ground truth: " + unexpected);
        assertEquals(List.of(), benignHits);
    }
}
