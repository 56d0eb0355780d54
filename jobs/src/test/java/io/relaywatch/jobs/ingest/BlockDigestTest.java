package io.relaywatch.jobs.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A file's checksum: its SHA-256 up to one block, the SHA-256 of its blocks' SHA-256s above; never split-dependent. */
class BlockDigestTest {

    static final long BLOCK = BlockDigest.DEFAULT_BLOCK_BYTES;

    private static String sha256(byte[] bytes, int from, int to) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(bytes, from, to - from);
        return HexFormat.of().formatHex(md.digest());
    }

    private static String wholeChecksum(byte[] bytes) {
        BlockDigest digest = new BlockDigest();
        digest.update(bytes, 0, bytes.length);
        return BlockDigest.checksum(digest.blockDigests());
    }

    @Test
    void upToOneBlockItIsTheSha256OfTheBytes() throws Exception {
        for (int size : new int[] {0, 1, 1000, (int) BLOCK}) {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            assertEquals(sha256(bytes, 0, size), wholeChecksum(bytes), size + " bytes");
        }
    }

    @Test
    void aboveOneBlockItIsTheSha256OfTheBlocksDigestsWhereverTheFileIsCut() throws Exception {
        int size = (int) (2 * BLOCK + 12345);
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        MessageDigest tree = MessageDigest.getInstance("SHA-256");
        for (int start = 0; start < size; start += (int) BLOCK) {
            tree.update(HexFormat.of().parseHex(sha256(bytes, start, (int) Math.min(size, start + BLOCK))));
        }
        String expected = HexFormat.of().formatHex(tree.digest());
        assertEquals(expected, wholeChecksum(bytes));
        assertNotEquals(sha256(bytes, 0, size), expected);

        // parts cut at block multiples, as FileSplits cuts them, each hashed on its own: the same checksum
        for (long partBytes : new long[] {BLOCK, 2 * BLOCK}) {
            List<byte[]> digests = new ArrayList<>();
            for (long start = 0; start < size; start += partBytes) {
                BlockDigest part = new BlockDigest();
                part.update(bytes, (int) start, (int) (Math.min(size, start + partBytes) - start));
                digests.addAll(part.blockDigests());
            }
            assertEquals(expected, BlockDigest.checksum(digests), "parts of " + partBytes);
        }

        // through the stream, in odd-sized reads, single bytes and skips: every byte counted once
        BlockDigest.Stream stream = new BlockDigest.Stream(new ByteArrayInputStream(bytes));
        readOddly(stream);
        assertEquals(expected, BlockDigest.checksum(stream.digest.blockDigests()));
    }

    private static void readOddly(InputStream in) throws IOException {
        byte[] buffer = new byte[7777];
        for (int round = 0; ; round++) {
            int n = switch (round % 3) {
                case 0 -> in.read(buffer, 0, buffer.length);
                case 1 -> in.read() < 0 ? -1 : 1;
                default -> (int) in.skip(50_000);
            };
            if (n < 0 || (n == 0 && in.read() < 0)) {
                return;
            }
        }
    }
}
