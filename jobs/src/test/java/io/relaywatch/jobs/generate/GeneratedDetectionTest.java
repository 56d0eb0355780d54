package io.relaywatch.jobs.generate;

import io.relaywatch.jobs.SparkTestSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The detection rules on generated data (the ACME site): every finding the ground truth expects is there (recall), the
 * high and critical findings are the injected stories (precision), and the benign entities raise nothing high
 * ({@link GroundTruthCheck}).
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
        Path out = tmp.resolve("out");
        String summary = GroundTruthCheck.analyze(spark, generated, out);
        assertEquals(7, generated.files().size());
        GroundTruthCheck check = GroundTruthCheck.of(spark, out.resolve("warehouse").toString(),
                generated.groundTruth());
        System.out.print(check.describe(String.format("GeneratedDetectionTest (%d days, %,d lines, seed %d)", days,
                generated.lines(), seed)));
        check.assertHolds("acme", summary);
    }
}
