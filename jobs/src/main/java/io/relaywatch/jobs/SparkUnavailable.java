package io.relaywatch.jobs;

/**
 * Spark is needed but not on the classpath. The launcher runs a local {@code ingest} on the few jars it uses (a
 * tenth of a second less start-up: see the launcher), and such an ingest needs Spark only to rewrite the rows of files
 * that changed since they were ingested; it then stops before writing anything, with {@link #EXIT_CODE}, and the
 * launcher runs it again with Spark's jars.
 */
public final class SparkUnavailable extends RuntimeException {

    /** The exit code that tells the launcher to run the command again with Spark's classpath (EX_TEMPFAIL). */
    public static final int EXIT_CODE = 75;

    private SparkUnavailable(String message) {
        super(message);
    }

    /** Throws when Spark's classes cannot be loaded here. */
    public static void requireOnClasspath() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkUnavailable.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SparkUnavailable("this run needs Spark, which is not on the classpath");
        }
    }
}
