package io.relaywatch.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for the whole test JVM (starting one per test class would cost seconds each): two threads,
 * UI off, two shuffle partitions, loopback only. The JVM runs in a non-UTC zone (surefire's argLine) while the session
 * zone is UTC, so that code relying on the JVM default zone shows up in tests.
 */
public final class SparkTestSupport {

    private static SparkSession session;

    private SparkTestSupport() {
    }

    public static synchronized SparkSession spark() {
        if (session == null) {
            System.setProperty("spark.master", "local[2]");
            System.setProperty("spark.ui.enabled", "false");
            System.setProperty("spark.driver.host", "127.0.0.1");
            System.setProperty("spark.driver.bindAddress", "127.0.0.1");
            System.setProperty("spark.sql.shuffle.partitions", "2");
            // with serve-sql's static settings, so that the JDBC endpoint can be tested on this session too
            session = RelayWatch.session(SqlServer.SESSION_SETTINGS);
        }
        return session;
    }
}
