package io.relaywatch.jobs.ingest;

import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A file's checksum: the 128-bit MurmurHash3 of its bytes up to one block, the MurmurHash3 of its blocks' hashes
 * above; never split-dependent. MurmurHash3 is checked against Apache Commons Codec's one-shot implementation.
 */
class BlockDigestTest {

    static final long BLOCK = BlockDigest.DEFAULT_BLOCK_BYTES;

    /** Commons Codec's MurmurHash3 x64_128 (seed 0) as the reference writes its output: h1, h2 little-endian. */
    static byte[] murmur(byte[] bytes, int from, int to) {
        long[] h = MurmurHash3.hash128x64(bytes, from, to - from, 0);
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(h[0]).putLong(h[1]).array();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String wholeChecksum(byte[] bytes) {
        BlockDigest digest = new BlockDigest();
        digest.update(bytes, 0, bytes.length);
        return BlockDigest.checksum(digest.blockDigests());
    }

    @Test
    void murmurFedInAnyPiecesIsTheReferenceHash() {
        Random random = new Random(3);
        for (int size = 0; size <= 200; size++) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            for (int round = 0; round < 5; round++) {
                Murmur3Hash128 hash = new Murmur3Hash128();
                for (int at = 0; at < size; ) {
                    int n = Math.min(size - at, random.nextInt(round == 0 ? 1 : 40) + 1);
                    hash.update(bytes, at, n);
                    at += n;
                }
                assertEquals(hex(murmur(bytes, 0, size)), hex(hash.digest()), size + " bytes, round " + round);
            }
        }
        // with seed 0, the empty input hashes to zeros in the reference too
        assertEquals("00000000000000000000000000000000", hex(new Murmur3Hash128().digest()));
    }

    @Test
    void upToOneBlockItIsTheMurmurOfTheBytes() {
        for (int size : new int[] {0, 1, 15, 16, 17, 1000, (int) BLOCK}) {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            assertEquals(hex(murmur(bytes, 0, size)), wholeChecksum(bytes), size + " bytes");
        }
    }

    @Test
    void aboveOneBlockItIsTheMurmurOfTheBlocksHashesWhereverTheFileIsCut() throws Exception {
        int size = (int) (2 * BLOCK + 12345);
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        byte[] blockHashes = new byte[3 * 16];
        for (int i = 0, start = 0; start < size; i++, start += (int) BLOCK) {
            System.arraycopy(murmur(bytes, start, (int) Math.min(size, start + BLOCK)), 0, blockHashes, 16 * i, 16);
        }
        String expected = hex(murmur(blockHashes, 0, blockHashes.length));
        assertEquals(expected, wholeChecksum(bytes));
        assertNotEquals(hex(murmur(bytes, 0, size)), expected);

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

    /** What warehouses written before 2026-12-02 hold: SHA-256 in the same block layout (kept to find their copies). */
    @Test
    void theLegacyChecksumIsTheSha256BlockTree() throws Exception {
        byte[] small = new byte[1000];
        new Random(1).nextBytes(small);
        assertEquals(hex(MessageDigest.getInstance("SHA-256").digest(small)),
                BlockDigest.legacySha256(new ByteArrayInputStream(small)));
        int size = (int) (BLOCK + 99);
        byte[] bytes = new byte[size];
        new Random(2).nextBytes(bytes);
        MessageDigest tree = MessageDigest.getInstance("SHA-256");
        for (int start = 0; start < size; start += (int) BLOCK) {
            MessageDigest block = MessageDigest.getInstance("SHA-256");
            block.update(bytes, start, (int) Math.min(size, start + BLOCK) - start);
            tree.update(block.digest());
        }
        String legacy = BlockDigest.legacySha256(new ByteArrayInputStream(bytes));
        assertEquals(hex(tree.digest()), legacy);
        assertEquals(true, BlockDigest.isLegacy(legacy));
        assertEquals(false, BlockDigest.isLegacy(wholeChecksum(bytes)));
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
