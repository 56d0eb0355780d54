package io.relaywatch.jobs.ingest;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a possibly compressed stream by its first bytes rather than its name: rotated logs are often gzipped without a
 * {@code .gz} suffix, and a {@code .gz} that is really plain text should still be read. Handles gzip (also multi-member,
 * as logrotate's delaycompress and {@code cat a.gz b.gz} make) and bzip2.
 */
public final class Decompression {

    private Decompression() {
    }

    /** The decompressed stream and what compression was found ("gzip", "bzip2" or "none"). */
    public record Opened(InputStream stream, String compression) {
    }

    public static Opened open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(4);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new Opened(new GZIPInputStream(in, 64 * 1024), "gzip");
        }
        if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
            return new Opened(new BZip2CompressorInputStream(in, true), "bzip2");
        }
        return new Opened(in, "none");
    }
}
