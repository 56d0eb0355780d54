package io.relaywatch.jobs.report;

import io.relaywatch.jobs.ingest.Decompression;
import io.relaywatch.jobs.ingest.LineReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;

/**
 * Reads the raw text of evidence lines back from the source files, the way ingest read them (Hadoop file system,
 * compression by magic bytes, the same line splitting), so that line numbers agree. Each file is read once, from the
 * start up to the last wanted line.
 */
final class EvidenceReader {

    /** The longest line kept, in bytes; evidence is for looking at, not for archiving. */
    static final int MAX_LINE_BYTES = 4096;

    /** What happened to one file: the lines found, or why it could not be read. */
    record FileLines(Map<Long, String> lines, Optional<String> error) {
    }

    /** Opens a source file's raw bytes; the report passes Hadoop's file system, tests may pass anything. */
    @FunctionalInterface
    interface Opener {
        InputStream open(String uri) throws IOException;
    }

    private final Opener opener;

    EvidenceReader(Opener opener) {
        this.opener = opener;
    }

    static EvidenceReader hadoop(Configuration conf) {
        return new EvidenceReader(uri -> new Path(uri).getFileSystem(conf).open(new Path(uri)));
    }

    /** The wanted lines of one file (1-based numbers); lines the file does not have are simply absent. */
    FileLines read(String uri, NavigableSet<Long> wanted) {
        Map<Long, String> found = new HashMap<>();
        if (wanted.isEmpty()) {
            return new FileLines(found, Optional.empty());
        }
        long last = wanted.last();
        try (LineReader reader = new LineReader(Decompression.open(opener.open(uri)).stream(), MAX_LINE_BYTES)) {
            String line;
            while ((line = reader.next()) != null) {
                if (wanted.contains(reader.lineNumber())) {
                    found.put(reader.lineNumber(), reader.isTruncated() ? line + " \u2026 (line cut at "
                            + MAX_LINE_BYTES + " bytes of " + reader.fullLength() + ")" : line);
                }
                if (reader.lineNumber() >= last) {
                    break;
                }
            }
            return new FileLines(found, Optional.empty());
        } catch (IOException | RuntimeException e) {
            // keep what was read before a truncated archive ended
            return new FileLines(found, Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }
}
