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
 */
public record IngestOptions(String forcedFormat, String zone, Integer forcedYear, long runStartedAt)
        implements Serializable {

    public IngestOptions {
        ZoneId.of(zone); // fail on the driver, with the user's value in the message, not in a task
    }

    public ZoneId zoneId() {
        return ZoneId.of(zone);
    }
}
