package io.relaywatch.parsers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text encoding of a log file, told by its byte-order mark. Logs are read as UTF-8 bytes (the line reader splits
 * them at LF bytes); a file that starts with a UTF-16 mark (some Windows tools, PowerShell's {@code Out-File} before
 * version 6, exports of Exchange logs) is decoded and handed on as UTF-8, so that nothing downstream needs to know. A
 * UTF-8 mark is left in place here and dropped by {@link FileParser} as the first character of a line, which also
 * covers files concatenated with {@code cat}, where every part begins with its own mark.
 */
public final class TextEncoding {

    /** U+FEFF, the byte-order mark, as a character: what a UTF-8 mark decodes to. */
    public static final char BOM = '\uFEFF';

    private TextEncoding() {
    }

    /**
     * A file's bytes as UTF-8.
     *
     * @param stream   the bytes to read: the input itself, or UTF-8 transcoded from UTF-16
     * @param encoding what the file was written in: {@code utf-8}, {@code utf-16le} or {@code utf-16be}
     */
    public record Decoded(InputStream stream, String encoding) {

        /** Whether the bytes are those of the file (and so may be entered at any offset). */
        public boolean asStored() {
            return encoding.equals("utf-8");
        }
    }

    /** Sniffs the byte-order mark at the start of {@code in} and returns its content as UTF-8. */
    public static Decoded open(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 64 * 1024);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        if (b0 == 0xFF && b1 == 0xFE) {
            return new Decoded(new Utf8Transcoder(new InputStreamReader(buffered, StandardCharsets.UTF_16LE)),
                    "utf-16le");
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return new Decoded(new Utf8Transcoder(new InputStreamReader(buffered, StandardCharsets.UTF_16BE)),
                    "utf-16be");
        }
        buffered.reset();
        return new Decoded(buffered, "utf-8");
    }

    /** {@code line} without a leading byte-order mark. */
    public static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == BOM ? line.substring(1) : line;
    }

    /**
     * Characters re-encoded as UTF-8 bytes. Unpaired surrogates (a UTF-16 file cut in the middle of a pair) become
     * U+FFFD, as the decoder makes of any other malformed input: the line is kept and its bytes stay countable.
     */
    private static final class Utf8Transcoder extends InputStream {
        private final Reader reader;
        private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final CharBuffer chars = CharBuffer.allocate(8192);
        private final ByteBuffer bytes = ByteBuffer.allocate(8192 * 3 + 16);
        private boolean endOfInput;
        private boolean flushed;

        Utf8Transcoder(Reader reader) {
            this.reader = reader;
            chars.flip();
            bytes.flip();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!bytes.hasRemaining()) {
                if (flushed) {
                    return -1;
                }
                fill();
            }
            int n = Math.min(len, bytes.remaining());
            bytes.get(b, off, n);
            return n;
        }

        private void fill() throws IOException {
            bytes.clear();
            if (!endOfInput) {
                chars.compact();
                int n = reader.read(chars);
                chars.flip();
                if (n < 0) {
                    endOfInput = true;
                }
            }
            CoderResult result = encoder.encode(chars, bytes, endOfInput);
            if (result.isError()) {
                throw new IllegalStateException("UTF-8 encoder refused input despite REPLACE: " + result);
            }
            if (endOfInput && !chars.hasRemaining()) {
                encoder.flush(bytes);
                flushed = true;
            }
            bytes.flip();
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
