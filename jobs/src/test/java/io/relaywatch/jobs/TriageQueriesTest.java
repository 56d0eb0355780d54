package io.relaywatch.jobs;

import io.relaywatch.jobs.detect.AsnRanges;
import io.relaywatch.jobs.detect.GeoIp;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden tests of the shipped triage queries: each one's CSV result over the analyzed sample-logs/ equals
 * {@code src/test/resources/triage/<query>.expected.csv}. Regenerate with
 * {@code mvn -pl jobs -am test -Dtest=TriageQueriesTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}
 * and review the diff.
 */
class TriageQueriesTest {

    /** The arguments each parameterized query is run with: the sample week's stolen account and relay chain. */
    static final Map<TriageQuery, Map<String, String>> ARGUMENTS = Map.of(
            TriageQuery.USER_SESSIONS, Map.of("user", "jmeier"),
            TriageQuery.CHAIN_TRAFFIC, Map.of("chain", "branch-mx -> mx1"));

    static final Path GOLDEN = Path.of("src/test/resources/triage");

    static SparkSession spark;

    @BeforeAll
    static void analyzedSamples() {
        Assumptions.assumeTrue(GeoIp.open(null) != null && AsnRanges.open(null) != null,
                "no GeoIP/ASN data (run conf/fetch-geo.sh): the goldens name countries and AS; skipped");
        SqlCommand.registerWarehouse(SparkTestSupport.spark(), SampleWarehouse.get().warehouse());
        spark = SparkTestSupport.spark();
    }

    static Map<String, String> arguments(TriageQuery query) {
        if (query == TriageQuery.FINDING_EVIDENCE) {
            // the stolen account's finding: ids are stable hashes, but looked up rather than copied here
            String id = spark.sql("SELECT finding_id FROM findings WHERE rule = 'auth_account_abuse' "
                    + "AND entity = 'jmeier'").first().getString(0);
            return Map.of("finding_id", id);
        }
        return ARGUMENTS.getOrDefault(query, Map.of());
    }

    @ParameterizedTest
    @EnumSource(TriageQuery.class)
    void resultEqualsGolden(TriageQuery query) throws IOException {
        // the shared views may have been replaced by another test's warehouse: register ours again
        SqlCommand.registerWarehouse(spark, SampleWarehouse.get().warehouse());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SqlCommand.print(query.run(spark, arguments(query)), SqlCommand.OutputFormat.CSV, 0,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String actual = bytes.toString(StandardCharsets.UTF_8).replace(SampleWarehouse.samples().toUri()
                .toString().replaceAll("/$", ""), "sample-logs");
        Path golden = GOLDEN.resolve(query.id() + ".expected.csv");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual);
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + " (run with -Dgolden.update=true)");
        assertEquals(Files.readString(golden), actual, query.id() + " differs from " + golden);
        assertTrue(actual.lines().count() > 1, query.id() + " returned no rows on sample-logs");
    }

    @Test
    void everyShippedSqlFileIsAQueryAndTheOtherWayRound() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/triage"))) {
            TreeSet<String> shipped = files.map(p -> p.getFileName().toString().replaceFirst("\\.sql$", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
            TreeSet<String> declared = Stream.of(TriageQuery.values()).map(TriageQuery::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(declared, shipped);
        }
        for (TriageQuery query : TriageQuery.values()) {
            assertTrue(query.text().startsWith("-- " + query.id() + ": "), query.id() + " starts with its name");
            assertTrue(query.text().contains("-- Parameters:"), query.id() + " documents its parameters");
        }
    }

    @Test
    void parametersAreFoundOutsideCommentsAndLiterals() {
        assertEquals(List.of("user"), TriageQuery.USER_SESSIONS.parameters());
        assertEquals(List.of("chain"), TriageQuery.CHAIN_TRAFFIC.parameters());
        assertEquals(List.of(), TriageQuery.MAIL_TIMELINE.parameters());
        assertEquals(List.of("a", "b"), TriageQuery.parameters(
                "-- :not_me\nSELECT ':nor_me', `:x`, 12:30 FROM t WHERE a = :a AND b = :b AND c = :a"));
    }

    @Test
    void argumentsAreBoundAsValuesNotSql() {
        SqlCommand.registerWarehouse(spark, SampleWarehouse.get().warehouse());
        // a user name from a log that looks like SQL stays a value: no rows, no error, no other user's rows
        assertEquals(0, TriageQuery.USER_SESSIONS.run(spark, Map.of("user", "x' OR '1'='1")).count());
        assertThrows(CommandLine.UsageException.class, () -> TriageQuery.USER_SESSIONS.run(spark, Map.of()));
        assertThrows(CommandLine.UsageException.class, () -> TriageQuery.MAIL_TIMELINE.run(spark,
                Map.of("user", "jmeier")));
    }
}
