package io.relaywatch.jobs.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;

/**
 * One generated log file, written in time order while it streams: lines are buffered until the generator's clock has
 * passed them ({@link #flushBefore}), then sorted and written. Lines of the pre-planned stories wait in a sorted queue
 * and join the buffer when their time comes, so memory holds about one time slot of lines whatever the scale.
 */
final class LogFile implements Closeable {

    record Line(long ts, long seq, String text) {
    }

    private static final Comparator<Line> ORDER = Comparator.comparingLong(Line::ts).thenComparingLong(Line::seq);

    final String relative;
    final String format;
    final Path path;
    private final BufferedWriter out;
    private ArrayList<Line> buffer = new ArrayList<>();
    private final ArrayList<Line> planned = new ArrayList<>();
    private int plannedNext;
    private boolean planning;
    private long lines;

    LogFile(Path root, String relative, String format) throws IOException {
        this.relative = relative;
        this.format = format;
        this.path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        this.out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8),
                1 << 20);
    }

    /** While planning, lines go to the story queue instead of the stream. */
    void planning(boolean on) {
        planning = on;
        if (!on) {
            planned.sort(ORDER);
        }
    }

    void add(long ts, long seq, String text) {
        (planning ? planned : buffer).add(new Line(ts, seq, text));
    }

    /** A line written at once, ahead of everything (headers). */
    void header(String text) throws IOException {
        out.write(text);
        out.write('\n');
        lines++;
    }

    /** Writes, in time order, every line stamped before {@code limit}. */
    void flushBefore(long limit) throws IOException {
        while (plannedNext < planned.size() && planned.get(plannedNext).ts() < limit) {
            buffer.add(planned.get(plannedNext));
            planned.set(plannedNext++, null);
        }
        if (buffer.isEmpty()) {
            return;
        }
        buffer.sort(ORDER);
        int n = buffer.size();
        int i = 0;
        for (; i < n; i++) {
            Line line = buffer.get(i);
            if (line.ts() >= limit) {
                break;
            }
            out.write(line.text());
            out.write('\n');
        }
        lines += i;
        if (i == n) {
            buffer.clear();
        } else if (i > 0) {
            buffer = new ArrayList<>(buffer.subList(i, n));
        }
    }

    long lines() {
        return lines;
    }

    @Override
    public void close() throws IOException {
        flushBefore(Long.MAX_VALUE);
        out.close();
    }
}
