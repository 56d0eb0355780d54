package io.relaywatch.jobs.generate;

import io.relaywatch.jobs.SparkTestSupport;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The detection rules on the generated Microsoft sites: Exchange 2019 (hourly protocol and tracking logs, OWA's IIS
 * log) and Small Business Server 2003 (IIS SMTP and Exchange 2003 tracking logs), each analyzed as a whole and checked
 * against its ground truth by the same {@link GroundTruthCheck} as the ACME site.
 */
class ExchangeSiteDetectionTest {

    static final LocalDate START = LocalDate.of(2026, 11, 9);

    @TempDir
    Path tmp;

    @Test
    void exchangeStoriesAreFoundAndBenignTrafficRaisesNothingHigh() throws Exception {
        check(Generator.EXCHANGE, 2, ExchangeSite.MIN_SCALE);
    }

    @Test
    void sbs2003OpenRelayIsFoundFromItsTwoLogsAlone() throws Exception {
        check(Generator.SBS2003, 3, 2 * Sbs2003Site.MIN_SCALE);
    }

    private void check(String site, int days, long scale) throws Exception {
        SparkSession spark = SparkTestSupport.spark();
        long seed = Long.getLong("relaywatch.generate.seed", 20261109L);
        Generator.Result generated = Generator.generate(new Generator.Options(tmp.resolve(site), days, scale, seed,
                START, site));
        Path out = tmp.resolve(site + "-out");
        String summary = GroundTruthCheck.analyze(spark, generated, out);
        GroundTruthCheck check = GroundTruthCheck.of(spark, out.resolve("warehouse").toString(),
                generated.groundTruth());
        System.out.print(check.describe(String.format("ExchangeSiteDetectionTest, site %s (%d days, %,d lines, "
                + "seed %d)", site, days, generated.lines(), seed)));
        check.assertHolds(site, summary);
    }
}
