package io.relaywatch.jobs.ingest;

import java.io.Serializable;
import java.time.ZoneId;

/**
 * Options of an ingest run, shipped to the tasks.
 *
 * @param forcedFormat format name given with {@code --format}, or {@code null} to detect per file
 * @param zone         zone id for zone-less timestamps ({@code --tz}, default UTC)
 * @param forcedYear   year for syslog timestamps ({@code --year}), or {@code null}
 * @param runStartedAt epoch ms when the run started, written to {@code ingest_files.ingested_at}
 * @param runId        the run's id (start time and a random suffix), written to {@code ingest_files.ingest_run}
 */
public record IngestOptions(String forcedFormat, String zone, Integer forcedYear, long runStartedAt, String runId)
        implements Serializable {

    public IngestOptions {
        ZoneId.of(zone); // fail on the driver, with the user's value in the message, not in a task
    }

    /** Options of a new run, with a fresh run id. */
    public IngestOptions(String forcedFormat, String zone, Integer forcedYear, long runStartedAt) {
        this(forcedFormat, zone, forcedYear, runStartedAt, newRunId(runStartedAt));
    }

    /** A run id: the UTC start time, readable, and a random suffix against runs started in the same second. */
    public static String newRunId(long startedAt) {
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(startedAt));
        return time + "-" + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffffL);
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }
}
