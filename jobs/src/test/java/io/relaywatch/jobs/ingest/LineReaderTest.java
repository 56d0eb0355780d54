package io.relaywatch.jobs.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {

    static LineReader reader(byte[] bytes, int max) {
        return new LineReader(new ByteArrayInputStream(bytes), max);
    }

    @Test
    void splitsOnLfDropsCrAndKeepsALastLineWithoutNewline() throws IOException {
        LineReader r = reader("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8), 100);
        assertEquals("a", r.next());
        assertEquals("b", r.next());
        assertEquals("", r.next());
        assertEquals("c", r.next());
        assertEquals(4, r.lineNumber());
        assertNull(r.next());
    }

    @Test
    void longLinesAreCutButCounted() throws IOException {
        byte[] bytes = ("x".repeat(200_000) + "\nshort\n").getBytes(StandardCharsets.UTF_8);
        LineReader r = reader(bytes, 1000);
        assertEquals(1000, r.next().length());
        assertTrue(r.isTruncated());
        assertEquals(200_000, r.fullLength());
        assertEquals("short", r.next());
        assertFalse(r.isTruncated());
    }

    @Test
    void invalidUtf8IsReplacedAndFlagged() throws IOException {
        byte[] bytes = {'o', 'k', '\n', 'b', (byte) 0xFF, 'd', '\n', (byte) 0xC3, (byte) 0xA9, '\n'};
        LineReader r = reader(bytes, 100);
        assertEquals("ok", r.next());
        assertFalse(r.hadMalformedBytes());
        assertEquals("b\uFFFDd", r.next());
        assertTrue(r.hadMalformedBytes());
        assertEquals("é", r.next());
        assertFalse(r.hadMalformedBytes());
    }

    @Test
    void aCutInsideAMultiByteCharacterIsNotAnEncodingError() throws IOException {
        byte[] bytes = "ééé\n".getBytes(StandardCharsets.UTF_8); // 6 bytes + newline
        LineReader r = reader(bytes, 5);
        r.next();
        assertTrue(r.isTruncated());
        assertFalse(r.hadMalformedBytes());
    }

    /** The eight-bytes-at-a-time search and count agree with a byte loop, at every offset and with every byte value. */
    @Test
    void wordAtATimeNewlineSearchMatchesByteLoop() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(80)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly bytes one bit away from a newline (0x0B, 0x8A, 0x08...), some newlines, some anything
                int kind = random.nextInt(4);
                bytes[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? ('\n' ^ (1 << random.nextInt(8)))
                        : random.nextInt(256));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int first = -1;
            long count = 0;
            boolean ascii = true;
            for (int i = from; i < to; i++) {
                if (bytes[i] == '\n') {
                    count++;
                    first = first < 0 ? i : first;
                }
            }
            for (int i = 0; i < to; i++) {
                ascii &= bytes[i] >= 0;
            }
            assertEquals(first, LineReader.indexOfNewline(bytes, from, to), "first newline in round " + round);
            assertEquals(count, LineReader.countNewlines(bytes, from, to), "newlines in round " + round);
            assertEquals(ascii, LineReader.isAscii(bytes, to), "ASCII in round " + round);
        }
    }
}
