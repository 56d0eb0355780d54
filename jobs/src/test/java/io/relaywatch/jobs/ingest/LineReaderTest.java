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
}
