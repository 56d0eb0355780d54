package io.relaywatch.jobs.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checksum of a file's stored bytes, the same however the file is read: whole by one task, or in parts by several
 * (on any number of cores, on a cluster or locally). A file of up to {@link #blockBytes()} bytes has the 128-bit
 * MurmurHash3 of its bytes ({@link Murmur3Hash128}); a bigger one the MurmurHash3 of its blocks' MurmurHash3s, in
 * order (blocks of {@link #blockBytes()} bytes, the last one shorter). Parts of a split file start at block
 * boundaries, so each part hashes its own blocks in parallel and the file's checksum is put together from them.
 * Written as 32 hex digits; warehouses written before 2026-12-02 hold SHA-256 checksums (64 digits) made the same
 * way, which {@link #legacySha256} still computes to recognize their copies.
 */
final class BlockDigest {

    /** 16 MiB, the smallest part of a split file; {@code -Drelaywatch.ingest.hashBlockBytes} changes it (tests). */
    static final long DEFAULT_BLOCK_BYTES = 16L << 20;

    /** A hash fed in pieces. */
    interface Hash {
        void update(byte[] bytes, int offset, int length);

        byte[] digest();
    }

    /** The hash of today's checksums. */
    static final Supplier<Hash> MURMUR3 = Murmur3Hash128::new;
    /** The hash of the checksums written before 2026-12-02. */
    static final Supplier<Hash> SHA256 = () -> {
        MessageDigest digest = sha256();
        return new Hash() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                digest.update(bytes, offset, length);
            }

            @Override
            public byte[] digest() {
                return digest.digest();
            }
        };
    };

    private final long blockBytes;
    private final Supplier<Hash> hash;
    private final List<byte[]> blocks = new ArrayList<>();
    private Hash current;
    private long inBlock;

    BlockDigest() {
        this(blockBytes());
    }

    BlockDigest(long blockBytes) {
        this(blockBytes, MURMUR3);
    }

    BlockDigest(long blockBytes, Supplier<Hash> hash) {
        this.blockBytes = blockBytes;
        this.hash = hash;
        this.current = hash.get();
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
                current = hash.get();
                inBlock = 0;
            }
        }
    }

    /** The hash of each block seen so far and of the last, partial one (none for no bytes at all past the last). */
    List<byte[]> blockDigests() {
        List<byte[]> all = new ArrayList<>(blocks);
        if (inBlock > 0 || all.isEmpty()) {
            all.add(current.digest());
        }
        return all;
    }

    /** The file's checksum from its blocks' digests, in order (see the class comment). */
    static String checksum(List<byte[]> blockDigests) {
        return checksum(blockDigests, MURMUR3);
    }

    private static String checksum(List<byte[]> blockDigests, Supplier<Hash> hash) {
        if (blockDigests.size() == 1) {
            return HexFormat.of().formatHex(blockDigests.get(0));
        }
        Hash tree = hash.get();
        blockDigests.forEach(digest -> tree.update(digest, 0, digest.length));
        return HexFormat.of().formatHex(tree.digest());
    }

    /** A checksum as warehouses written before 2026-12-02 hold them: 64 hex digits (SHA-256), not 32. */
    static boolean isLegacy(String checksum) {
        return checksum != null && checksum.length() == 64;
    }

    /**
     * The checksum those warehouses gave these bytes: the same blocks, with SHA-256 for MurmurHash3 (slow without
     * the optimizing JIT: only for the rare file whose size equals that of such a file, to tell whether it is a copy).
     */
    static String legacySha256(InputStream in) throws IOException {
        BlockDigest legacy = new BlockDigest(blockBytes(), SHA256);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            legacy.update(buffer, 0, n);
        }
        return checksum(legacy.blockDigests(), SHA256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
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
