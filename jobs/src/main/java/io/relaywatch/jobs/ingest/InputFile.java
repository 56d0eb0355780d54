package io.relaywatch.jobs.ingest;

import java.io.Serializable;

/**
 * An input file found by {@link InputFiles}: its URI, size and modification time (epoch ms).
 *
 * @param uri      fully qualified URI (file:/..., hdfs://..., s3a://...)
 * @param size     size in bytes on disk
 * @param modified last modification time, epoch milliseconds
 */
public record InputFile(String uri, long size, long modified) implements Serializable {
}
