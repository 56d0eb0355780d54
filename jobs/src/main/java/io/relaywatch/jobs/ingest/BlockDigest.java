package io.relaywatch.jobs.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The checksum of a file's stored bytes, the same however the file is read: whole by one task, or in parts by several
 * (on any number of cores, on a cluster or locally). A file of up to {@link #blockBytes()} bytes has the SHA-256 of its
 * bytes; a bigger one the SHA-256 of its blocks' SHA-256s, in order (blocks of {@link #blockBytes()} bytes, the last
 * one shorter). Parts of a split file start at block boundaries, so each part hashes its own blocks in parallel and the
 * file's checksum is put together from them; before this, a split file's checksum depended on how many parts the
 * cores made, so the same bytes copied elsewhere (to HDFS, say) and ingested on another machine were not recognized
 * as a duplicate.
 */
final class BlockDigest {

    /** 16 MiB, the smallest part of a split file; {@code -Drelaywatch.ingest.hashBlockBytes} changes it (tests). */
    static final long DEFAULT_BLOCK_BYTES = 16L << 20;

    private final long blockBytes;
    private final List<byte[]> blocks = new ArrayList<>();
    private MessageDigest current = FileIngestor.sha256();
    private long inBlock;

    BlockDigest() {
        this(blockBytes());
    }

    BlockDigest(long blockBytes) {
        this.blockBytes = blockBytes;
    }

    static long blockBytes() {
        return Long.getLong("relaywatch.ingest.hashBlockBytes", DEFAULT_BLOCK_BYTES);
    }

    void update(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int n = (int) Math.min(length, blockBytes - inBlock);
            current.update(bytes, offset, n);
            inBlock += n;
            offset += n;
            length -= n;
            if (inBlock == blockBytes) {
                blocks.add(current.digest());
                current = FileIngestor.sha256();
                inBlock = 0;
            }
        }
    }

    /** The SHA-256 of each block seen so far and of the last, partial one (none for no bytes at all past the last). */
    List<byte[]> blockDigests() {
        List<byte[]> all = new ArrayList<>(blocks);
        if (inBlock > 0 || all.isEmpty()) {
            all.add(current.digest());
        }
        return all;
    }

    /** The file's checksum from its blocks' digests, in order (see the class comment). */
    static String checksum(List<byte[]> blockDigests) {
        if (blockDigests.size() == 1) {
            return HexFormat.of().formatHex(blockDigests.get(0));
        }
        MessageDigest tree = FileIngestor.sha256();
        blockDigests.forEach(tree::update);
        return HexFormat.of().formatHex(tree.digest());
    }

    /** An input stream that feeds every byte read through it to a block digest. */
    static final class Stream extends FilterInputStream {
        final BlockDigest digest = new BlockDigest();

        Stream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = in.read(bytes, offset, length);
            if (n > 0) {
                digest.update(bytes, offset, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // skipped bytes must be hashed too
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            long done = 0;
            while (done < n) {
                int r = read(buffer, 0, (int) Math.min(buffer.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
