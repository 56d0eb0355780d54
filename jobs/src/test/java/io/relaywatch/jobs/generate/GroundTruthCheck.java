package io.relaywatch.jobs.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaywatch.jobs.RelayWatch;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.jobs.detect.Networks;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warehouse's findings against a generated ground truth (what {@code ground-truth.json}'s "matching" says): recall of
 * the expected findings (rule and entity, any severity), precision of the high and critical ones (true when some
 * story expects that rule and entity), and no high or critical finding on a benign entity.
 *
 * @param total      expected findings
 * @param missed     expected findings not found, "story: rule entity"
 * @param severe     high and critical findings
 * @param unexpected high and critical findings no story expects, "severity rule type entity"
 * @param benignHits high and critical findings on benign entities
 */
record GroundTruthCheck(int total, List<String> missed, int severe, List<String> unexpected,
                        List<String> benignHits) {

    /**
     * Runs {@code analyze} on generated logs into {@code out} and checks the ingest's accounting: every file read, as
     * many lines as were written, none rejected. Returns analyze's printed summary.
     */
    static String analyze(SparkSession spark, Generator.Result generated, Path out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of("analyze", generated.logs().toString(), "--out", out.toString(), "--config",
                generated.config().toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        String summary = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, summary);
        Row ingested = Warehouse.read(spark, out.resolve("warehouse").toString(), Tables.INGEST_FILES)
                .selectExpr("count(*)", "sum(lines_read)", "sum(lines_rejected)").first();
        assertEquals(generated.files().size(), ingested.getLong(0), summary);
        assertEquals(generated.lines(), ingested.getLong(1), summary);
        assertEquals(0L, ingested.getLong(2), summary);
        return summary;
    }

    /** Checks the findings of {@code warehouse} against {@code groundTruth}. */
    static GroundTruthCheck of(SparkSession spark, String warehouse, Path groundTruth) throws IOException {
        List<Row> findings = Warehouse.read(spark, warehouse, Tables.FINDINGS)
                .select("rule", "severity", "entity_type", "entity").collectAsList();
        JsonNode truth = new ObjectMapper().readTree(groundTruth.toFile());

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
        return new GroundTruthCheck(total, missed, severe.size(), unexpected, benignHits);
    }

    double recall() {
        return (double) (total - missed.size()) / total;
    }

    double precision() {
        return severe == 0 ? 0 : (double) (severe - unexpected.size()) / severe;
    }

    /** The figures and every miss, for the test's output. */
    String describe(String what) {
        StringBuilder b = new StringBuilder(String.format("%s: recall %.3f (%d of %d expected findings), precision "
                        + "%.3f (%d of %d high/critical findings are injected stories)%n", what, recall(),
                total - missed.size(), total, precision(), severe - unexpected.size(), severe));
        missed.forEach(m -> b.append("  missed: ").append(m).append('\n'));
        unexpected.forEach(u -> b.append("  not in the ground truth: ").append(u).append('\n'));
        benignHits.forEach(h -> b.append("  on a benign entity: ").append(h).append('\n'));
        return b.toString();
    }

    /**
     * Every expected finding found, at least 90% of the high and critical findings expected, none on a benign
     * entity.
     */
    void assertHolds(String what, String context) {
        String report = describe(what);
        assertTrue(missed.isEmpty(), report + context);
        assertTrue(precision() >= 0.9, report + context);
        assertTrue(benignHits.isEmpty(), report + context);
    }
}
