package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TextEncodingTest {

    private static byte[] readAll(InputStream in, Random random) throws IOException {
        // in pieces of random sizes, as the line reader's buffer meets them
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[97];
        while (true) {
            int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Text with ASCII, Latin-1, CJK and a character outside the BMP (a surrogate pair in UTF-16). */
    static final String TEXT = "#Fields: date-time,client-ip\r\n2026-11-12T12:00:00.000Z,192.0.2.41,Grüße – 東京 \uD83D\uDCE7\r\n"
            .repeat(500);

    @Test
    void utf16LittleAndBigEndianWithMarkAreReadAsUtf8() throws IOException {
        Random random = new Random(7);
        byte[] le = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, TEXT.getBytes(StandardCharsets.UTF_16LE));
        TextEncoding.Decoded decoded = TextEncoding.open(new ByteArrayInputStream(le));
        assertEquals("utf-16le", decoded.encoding());
        assertArrayEquals(TEXT.getBytes(StandardCharsets.UTF_8), readAll(decoded.stream(), random));
        byte[] be = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, TEXT.getBytes(StandardCharsets.UTF_16BE));
        decoded = TextEncoding.open(new ByteArrayInputStream(be));
        assertEquals("utf-16be", decoded.encoding());
        assertArrayEquals(TEXT.getBytes(StandardCharsets.UTF_8), readAll(decoded.stream(), random));
    }

    @Test
    void utf8IsHandedOnAsStoredMarkIncluded() throws IOException {
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, TEXT.getBytes(StandardCharsets.UTF_8));
        TextEncoding.Decoded decoded = TextEncoding.open(new ByteArrayInputStream(bytes));
        assertEquals("utf-8", decoded.encoding());
        assertArrayEquals(bytes, readAll(decoded.stream(), new Random(1)));
        assertEquals("#Fields", TextEncoding.withoutBom(TextEncoding.BOM + "#Fields"));
        assertEquals("", TextEncoding.withoutBom(""));
        // one-byte and empty inputs are not a mark
        assertArrayEquals(new byte[] {(byte) 0xFF}, readAll(TextEncoding.open(new ByteArrayInputStream(
                new byte[] {(byte) 0xFF})).stream(), new Random(1)));
        assertArrayEquals(new byte[0], readAll(TextEncoding.open(new ByteArrayInputStream(new byte[0])).stream(),
                new Random(1)));
    }

    @Test
    void brokenUtf16BecomesReplacementCharactersNotAnError() throws IOException {
        // a high surrogate with no low one, then a file cut in the middle of a code unit
        byte[] bytes = {(byte) 0xFF, (byte) 0xFE, 'a', 0, (byte) 0x3D, (byte) 0xD8, 'b', 0, '\n', 0, 'c'};
        String text = new String(readAll(TextEncoding.open(new ByteArrayInputStream(bytes)).stream(), new Random(3)),
                StandardCharsets.UTF_8);
        // the decoder may take the unit after a lone surrogate into the replacement; the line break stays
        assertEquals(2, text.split("\n", -1).length, text);
        assertEquals("a\uFFFD", text.substring(0, 2));
        assertEquals("\uFFFD", text.substring(text.indexOf('\n') + 1));
    }
}
