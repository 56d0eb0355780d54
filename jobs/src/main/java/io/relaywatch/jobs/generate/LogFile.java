package io.relaywatch.jobs.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One generated log file, written in time order while it streams: lines are buffered until the generator's clock has
 * passed them ({@link #flushBefore}), then sorted and written. Lines of the pre-planned stories wait in a sorted queue
 * and join the buffer when their time comes, so memory holds about one time slot of lines whatever the scale.
 *
 * <p>Sorting is on primitive keys (milliseconds since the start, shifted, plus the line's position in the buffer, so
 * that lines of the same millisecond keep their order), and the ASCII lines go to a byte buffer without a charset
 * encoder: this is the generator's hot path.
 */
final class LogFile implements Closeable {

    private static final int INDEX_BITS = 27;

    final String relative;
    final String format;
    final Path path;
    private final long base;
    private final OutputStream out;
    private final byte[] bytes = new byte[1 << 20];
    private int used;
    private long[] ts = new long[1024];
    private String[] text = new String[1024];
    private int size;
    private long[] plannedTs = new long[64];
    private String[] plannedText = new String[64];
    private int plannedSize;
    private int plannedNext;
    private boolean planning;
    private long lines;

    LogFile(Path root, String relative, String format, long base) throws IOException {
        this.relative = relative;
        this.format = format;
        this.path = root.resolve(relative);
        this.base = base;
        Files.createDirectories(path.getParent());
        this.out = Files.newOutputStream(path);
    }

    /** While planning, lines go to the story queue instead of the stream. */
    void planning(boolean on) {
        planning = on;
        if (!on) {
            long[] keys = keys(plannedTs, plannedSize);
            long[] sortedTs = new long[plannedSize];
            String[] sortedText = new String[plannedSize];
            for (int i = 0; i < plannedSize; i++) {
                int index = (int) (keys[i] & ((1L << INDEX_BITS) - 1));
                sortedTs[i] = plannedTs[index];
                sortedText[i] = plannedText[index];
            }
            plannedTs = sortedTs;
            plannedText = sortedText;
        }
    }

    void add(long ms, String line) {
        if (planning) {
            if (plannedSize == plannedTs.length) {
                plannedTs = Arrays.copyOf(plannedTs, plannedSize * 2);
                plannedText = Arrays.copyOf(plannedText, plannedSize * 2);
            }
            plannedTs[plannedSize] = ms;
            plannedText[plannedSize++] = line;
            return;
        }
        append(ms, line);
    }

    private void append(long ms, String line) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            text = Arrays.copyOf(text, size * 2);
        }
        ts[size] = ms;
        text[size++] = line;
    }

    /** A line written at once, ahead of everything buffered (headers, trailers). */
    void header(String line) throws IOException {
        write(line);
        lines++;
    }

    /** Sort keys: time since the start above, position below. */
    private long[] keys(long[] times, int n) {
        if (n >= 1 << INDEX_BITS) {
            throw new IllegalStateException("too many lines in one time slot");
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((times[i] - base) << INDEX_BITS) | i;
        }
        Arrays.sort(keys);
        return keys;
    }

    /** Writes, in time order, every line stamped before {@code limit}. */
    void flushBefore(long limit) throws IOException {
        while (plannedNext < plannedSize && plannedTs[plannedNext] < limit) {
            append(plannedTs[plannedNext], plannedText[plannedNext]);
            plannedText[plannedNext++] = null;
        }
        if (size == 0) {
            return;
        }
        long[] keys = keys(ts, size);
        long mask = (1L << INDEX_BITS) - 1;
        int i = 0;
        for (; i < size; i++) {
            int index = (int) (keys[i] & mask);
            if (ts[index] >= limit) {
                break;
            }
            write(text[index]);
        }
        lines += i;
        long[] restTs = new long[Math.max(1024, (size - i) * 2)];
        String[] restText = new String[restTs.length];
        int rest = 0;
        for (int k = i; k < size; k++) {
            int index = (int) (keys[k] & mask);
            restTs[rest] = ts[index];
            restText[rest++] = text[index];
        }
        if (ts.length > restTs.length && ts.length <= 4 * Math.max(size, 1024)) {
            // keep the larger arrays: the next slot will need them again
            Arrays.fill(text, 0, size, null);
            System.arraycopy(restTs, 0, ts, 0, rest);
            System.arraycopy(restText, 0, text, 0, rest);
        } else {
            ts = restTs;
            text = restText;
        }
        size = rest;
    }

    @SuppressWarnings("deprecation")
    private void write(String line) throws IOException {
        int n = line.length();
        if (used + n + 1 > bytes.length) {
            out.write(bytes, 0, used);
            used = 0;
            if (n + 1 > bytes.length) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                return;
            }
        }
        // the generated lines are ASCII: the low byte of each char is the byte
        line.getBytes(0, n, bytes, used);
        used += n;
        bytes[used++] = '\n';
    }

    long lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        flushBefore(Long.MAX_VALUE);
        out.write(bytes, 0, used);
        used = 0;
        out.close();
    }
}
