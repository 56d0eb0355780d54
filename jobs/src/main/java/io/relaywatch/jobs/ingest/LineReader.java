package io.relaywatch.jobs.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines from a byte stream without trusting it: a line ends at LF (a CR before it is dropped), a line longer
 * than {@code maxLineBytes} is cut and its full length remembered, and bytes that are not UTF-8 are replaced by U+FFFD
 * with a flag, so that a binary file or a 10 MB line costs bounded memory and is still accounted for, line by line.
 */
public final class LineReader implements AutoCloseable {

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private final CharsetDecoder strictUtf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int bufferPos;
    private int bufferEnd;
    private byte[] line = new byte[256];
    private int lineLength;
    private long fullLength;
    private boolean malformed;
    private long lineNumber;
    private long consumed;
    private long lineStart;

    public LineReader(InputStream in, int maxLineBytes) {
        this(in, maxLineBytes, 0);
    }

    /** A reader whose first line is line {@code linesBefore + 1} (for a file read in parts). */
    public LineReader(InputStream in, int maxLineBytes, long linesBefore) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.lineNumber = linesBefore;
    }

    /** The next line, or {@code null} at the end of the stream. */
    public String next() throws IOException {
        lineLength = 0;
        fullLength = 0;
        lineStart = consumed;
        boolean sawAny = false;
        while (true) {
            if (bufferPos == bufferEnd) {
                bufferEnd = in.read(buffer);
                bufferPos = 0;
                if (bufferEnd <= 0) {
                    bufferEnd = 0;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            int start = bufferPos;
            int newline = indexOfNewline(buffer, start, bufferEnd);
            int end = newline < 0 ? bufferEnd : newline;
            append(start, end - start);
            bufferPos = newline < 0 ? bufferEnd : newline + 1;
            consumed += bufferPos - start;
            if (newline >= 0) {
                break;
            }
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r' && fullLength == lineLength) {
            lineLength--;
            fullLength--;
        }
        lineNumber++;
        return decode();
    }

    private void append(int from, int count) {
        fullLength += count;
        int room = maxLineBytes - lineLength;
        int take = Math.min(room, count);
        if (take <= 0) {
            return;
        }
        if (lineLength + take > line.length) {
            byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(line.length * 2, lineLength + take))];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(buffer, from, line, lineLength, take);
        lineLength += take;
    }

    private String decode() {
        malformed = false;
        if (isAscii(line, lineLength)) {
            return new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = strictUtf8.reset().decode(ByteBuffer.wrap(line, 0, lineLength));
            return chars.toString();
        } catch (CharacterCodingException e) {
            // a cut inside a multi-byte character is not the input's fault: only flag real encoding errors
            malformed = !isTruncated() || !validUpToLastChar();
            return new String(line, 0, lineLength, StandardCharsets.UTF_8);
        }
    }

    private boolean validUpToLastChar() {
        int end = lineLength;
        int back = 0;
        while (end > 0 && back < 3 && (line[end - 1] & 0xC0) == 0x80) {
            end--;
            back++;
        }
        if (end > 0 && (line[end - 1] & 0xC0) == 0xC0) {
            end--;
        }
        try {
            strictUtf8.reset().decode(ByteBuffer.wrap(line, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // Newline search and ASCII test eight bytes at a time: they run over every byte of every input file.
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** The high bit of each byte of {@code word} that is a newline, and no other bit. */
    private static long newlineBits(long word) {
        long x = word ^ NEWLINES; // newline bytes become zero bytes
        return ~((((x & LOW_BITS) + LOW_BITS) | x) | LOW_BITS);
    }

    /** Index of the first newline in {@code bytes[from..to)}, or -1. */
    static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long bits = newlineBits((long) LONGS.get(bytes, i));
            if (bits != 0) {
                return i + (Long.numberOfTrailingZeros(bits) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where the first line starting at or after {@code position} (greater than 0) starts, for a stream positioned at
     * {@code position - 1}: a newline there means a line starts exactly at {@code position}; otherwise the line under
     * way is read past, up to its newline. The stream is left at the returned offset.
     */
    static long skipToLineStart(InputStream in, long position) throws IOException {
        long start = position;
        for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
            start++;
        }
        return start;
    }

    /** Number of newlines in {@code bytes[from..to)}. */
    static long countNewlines(byte[] bytes, int from, int to) {
        long count = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            count += Long.bitCount(newlineBits((long) LONGS.get(bytes, i)));
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    static boolean isAscii(byte[] bytes, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Offset in the stream (bytes from where this reader started) of the first byte of the line last returned. */
    public long lineStart() {
        return lineStart;
    }

    /** 1-based number of the line last returned. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Whether the line last returned was cut at {@code maxLineBytes}. */
    public boolean isTruncated() {
        return fullLength > lineLength;
    }

    /** Length in bytes of the line last returned, before any cut. */
    public long fullLength() {
        return fullLength;
    }

    /** Whether the line last returned had bytes that are not UTF-8 (replaced by U+FFFD). */
    public boolean hadMalformedBytes() {
        return malformed;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
