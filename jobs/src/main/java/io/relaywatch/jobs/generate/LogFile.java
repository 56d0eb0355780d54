package io.relaywatch.jobs.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One generated log file, written in time order while it streams: lines are buffered until the generator's clock has
 * passed them ({@link #flushBefore}), then sorted and written. Lines of the pre-planned stories wait in a sorted queue
 * and join the buffer when their time comes, so memory holds about one time slot of lines whatever the scale.
 *
 * <p>Sorting is on primitive keys (milliseconds since the start, shifted, plus the line's position in the buffer, so
 * that lines of the same millisecond keep their order), and the ASCII lines go to a byte buffer without a charset
 * encoder: this is the generator's hot path.
 *
 * <p>A file may also be written as Windows products write theirs ({@link Style}: a UTF-8 byte-order mark, CRLF) and
 * roll over by period ({@link Rotation}: Exchange's hourly logs, IIS's daily ones): since lines are written in time
 * order, a line past the current period closes the file and opens the next, whose header lines come first.
 */
final class LogFile implements Closeable {

    private static final int INDEX_BITS = 27;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** How a file's bytes begin and its lines end. */
    record Style(boolean bom, boolean crlf) {
        static final Style UNIX = new Style(false, false);
        static final Style WINDOWS = new Style(false, true);
        static final Style WINDOWS_BOM = new Style(true, true);
    }

    /**
     * Files per period of UTC time: {@code name} gives the relative path of the file that starts at a period start,
     * {@code headers} the lines that open it, given the time of its first line.
     */
    record Rotation(long period, LongFunction<String> name, LongFunction<List<String>> headers) {
    }

    /** One file written: its path under the root and its line count. */
    record Part(String relative, long lines) {
    }

    final String relative;
    final String format;
    final Path path;
    private final long base;
    private final Path root;
    private final Style style;
    private final Rotation rotation;
    private OutputStream out;
    private long partEnd;
    private String partRelative;
    private long partLines;
    private final List<Part> parts = new ArrayList<>();
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
        this(root, relative, format, base, Style.UNIX);
    }

    LogFile(Path root, String relative, String format, long base, Style style) throws IOException {
        this.relative = relative;
        this.format = format;
        this.root = root;
        this.path = root.resolve(relative);
        this.base = base;
        this.style = style;
        this.rotation = null;
        this.partRelative = relative;
        Files.createDirectories(path.getParent());
        this.out = Files.newOutputStream(path);
        if (style.bom()) {
            out.write(BOM);
        }
    }

    /** A log that rolls over by {@code rotation}; {@code pattern} names its files in summaries. */
    LogFile(Path root, String pattern, String format, long base, Style style, Rotation rotation) {
        this.relative = pattern;
        this.format = format;
        this.root = root;
        this.path = null;
        this.base = base;
        this.style = style;
        this.rotation = rotation;
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
        partLines++;
    }

    /** Closes the current file of a rotating log and opens the one of the period that holds {@code ms}. */
    private void roll(long ms) throws IOException {
        endPart();
        long periodStart = ms - Math.floorMod(ms, rotation.period());
        partEnd = periodStart + rotation.period();
        partRelative = rotation.name().apply(periodStart);
        Path file = root.resolve(partRelative);
        Files.createDirectories(file.getParent());
        out = Files.newOutputStream(file);
        if (style.bom()) {
            out.write(BOM);
        }
        for (String h : rotation.headers().apply(ms)) {
            header(h);
        }
    }

    private void endPart() throws IOException {
        if (out == null) {
            return;
        }
        out.write(bytes, 0, used);
        used = 0;
        out.close();
        out = null;
        parts.add(new Part(partRelative, partLines));
        partLines = 0;
    }

    /** Header lines a rotating log will write over {@code [from, to)} when every period has lines. */
    long expectedHeaders(long from, long to) {
        if (rotation == null) {
            return 0;
        }
        return (to - from + rotation.period() - 1) / rotation.period() * rotation.headers().apply(from).size();
    }

    /** The files written, each with its line count; complete after {@link #close}. */
    List<Part> parts() {
        return parts;
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
            if (rotation != null && ts[index] >= partEnd) {
                roll(ts[index]);
            }
            write(text[index]);
        }
        lines += i;
        partLines += i;
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
        if (used + n + 2 > bytes.length) {
            out.write(bytes, 0, used);
            used = 0;
            if (n + 2 > bytes.length) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                if (style.crlf()) {
                    out.write('\r');
                }
                out.write('\n');
                return;
            }
        }
        // the generated lines are ASCII: the low byte of each char is the byte
        line.getBytes(0, n, bytes, used);
        used += n;
        if (style.crlf()) {
            bytes[used++] = '\r';
        }
        bytes[used++] = '\n';
    }

    long lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        flushBefore(Long.MAX_VALUE);
        endPart();
    }
}
