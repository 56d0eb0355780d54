package io.relaywatch.jobs;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.simple.SimpleLoggerContextFactory;

/**
 * When log4j's core starts. Starting it (reading {@code conf/log4j2.properties}, finding its plugins, building the
 * appenders) takes 0.13 s, a tenth of a short local ingest, which never starts Spark and has nothing to log but the
 * rare warnings of Hadoop and Parquet. So a relaywatch process logs through log4j's simple logger (warnings and errors,
 * to standard error, as the configuration file does) until Spark starts, and switches to log4j's core with the
 * configuration file then: Spark needs the core (it configures it at start-up). The loggers made before keep printing
 * in the simple logger's format.
 */
public final class LogSetup {

    private static final String PREFIX = "org.apache.logging.log4j.simplelog.";
    private static boolean deferred;

    private LogSetup() {
    }

    /**
     * Called first in {@code main}: the simple logger until {@link #beforeSpark}. Does nothing when the user chose a
     * logger factory ({@code -Dlog4j2.loggerContextFactory}) or log4j had started already.
     */
    public static synchronized void simpleUntilSpark() {
        if (System.getProperty(LogManager.FACTORY_PROPERTY_NAME) != null) {
            return;
        }
        setIfAbsent(PREFIX + "level", "WARN");
        setIfAbsent(PREFIX + "showShortLogname", "true");
        setIfAbsent(PREFIX + "showdatetime", "true");
        setIfAbsent(PREFIX + "dateTimeFormat", "HH:mm:ss");
        // as conf/log4j2.properties: Hadoop's warning that its native library is missing is irrelevant here
        setIfAbsent(PREFIX + "org.apache.hadoop.util.NativeCodeLoader.level", "ERROR");
        System.setProperty(LogManager.FACTORY_PROPERTY_NAME, SimpleLoggerContextFactory.class.getName());
        // under spark-submit, log4j started before main (spark-submit logs): then it stays as it is
        deferred = LogManager.getFactory() instanceof SimpleLoggerContextFactory;
        if (!deferred) {
            System.clearProperty(LogManager.FACTORY_PROPERTY_NAME);
        }
    }

    /** Called before a Spark session is made: log4j's core from here on, if {@link #simpleUntilSpark} deferred it. */
    public static synchronized void beforeSpark() {
        if (deferred) {
            System.clearProperty(LogManager.FACTORY_PROPERTY_NAME);
            LogManager.setFactory(new Log4jContextFactory());
            deferred = false;
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
