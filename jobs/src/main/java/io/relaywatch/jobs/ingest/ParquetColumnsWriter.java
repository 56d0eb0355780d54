package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.LocalFileSystems;
import io.relaywatch.schema.FieldType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One Parquet file written a column at a time. Each row's values go to per-column page buffers, encoded as parquet-mr's
 * own writer encodes them (data pages v1, RLE definition levels, strings dictionary-encoded per row group and falling
 * back to plain when the dictionary does not pay or passes 1 MiB, numbers plain), then compressed and laid out by
 * parquet-mr's page store and file writer, which own the file format (page headers, column and offset indexes,
 * footer). Encoding here rather than through parquet-mr's record and column writers is what makes ingest cheap: a
 * repeated string is hashed once and UTF-8 encoded once per row group, not once per row, and no value is boxed into
 * a {@code Binary}. Readers cannot tell the difference; {@code ParquetColumnsWriterTest} reads every type back.
 */
final class ParquetColumnsWriter implements Closeable {

    /** Rows per page, as parquet-mr's default page row limit. */
    static final int PAGE_ROWS = 20_000;
    /** A page is cut early when one column's buffer reaches this (parquet-mr's default page size). */
    static final int PAGE_BYTES = 1 << 20;
    /** A row group is cut when its encoded, uncompressed pages reach this. */
    static final long ROW_GROUP_BYTES = 64L << 20;
    /** Largest dictionary per column chunk (parquet-mr's default dictionary page size). */
    static final int DICTIONARY_BYTES = 1 << 20;
    /**
     * Longest probe in a dictionary's hash table. Log values are attacker-controlled and strings with equal hash codes
     * are easy to make: past this, the chunk goes plain instead of slowing down quadratically.
     */
    static final int MAX_PROBES = 64;

    private final ParquetFileWriter file;
    private final CodecFactory codecs;
    private final CodecFactory.BytesCompressor compressor;
    private final MessageType schema;
    private final Map<String, String> footer;
    private final int[] sources;
    private final ColumnBuffer[] columns;
    private final long rowGroupBytes;
    private ColumnChunkPageWriteStore store;
    private int pageRows;
    private long groupRows;
    private long groupBytes;

    /**
     * @param sources for each column of {@code schema}, the index of its value in the rows given to {@link #write}
     * @param types   for each column of {@code schema}, the relaywatch type of its values
     * @param footer  key-value metadata for the footer (Spark's schema)
     */
    ParquetColumnsWriter(Path path, MessageType schema, int[] sources, FieldType[] types, Map<String, String> footer,
                         Configuration conf, CompressionCodecName codec) throws IOException {
        this(path, schema, sources, types, footer, conf, codec, ROW_GROUP_BYTES);
    }

    /** With row groups of {@code rowGroupBytes} (tests use small ones). */
    ParquetColumnsWriter(Path path, MessageType schema, int[] sources, FieldType[] types, Map<String, String> footer,
                         Configuration conf, CompressionCodecName codec, long rowGroupBytes) throws IOException {
        this.rowGroupBytes = rowGroupBytes;
        this.schema = schema;
        this.sources = sources;
        this.footer = footer;
        this.file = new ParquetFileWriter(LocalFileSystems.output(LocalFileSystems.of(path, conf), path), schema,
                ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes, 0,
                ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH, false);
        this.codecs = new CodecFactory(conf, PAGE_BYTES);
        this.compressor = codecs.getCompressor(codec);
        List<ColumnDescriptor> descriptors = schema.getColumns();
        this.columns = new ColumnBuffer[descriptors.size()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = types[c] == FieldType.STRING ? new StringColumn(descriptors.get(c))
                    : new PlainColumn(descriptors.get(c), types[c]);
        }
        file.start();
        startRowGroup();
    }

    void write(Object[] row) throws IOException {
        boolean full = false;
        for (int c = 0; c < columns.length; c++) {
            full |= columns[c].add(row[sources[c]]);
        }
        groupRows++;
        if (++pageRows >= PAGE_ROWS || full) {
            flushPages();
            if (groupBytes >= rowGroupBytes) {
                flushRowGroup();
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (groupRows > 0) {
                flushRowGroup();
            }
            file.end(footer);
        } finally {
            codecs.release();
        }
    }

    private void startRowGroup() {
        store = new ColumnChunkPageWriteStore(compressor, schema, new HeapByteBufferAllocator(),
                ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH, false);
        for (ColumnBuffer column : columns) {
            column.startChunk(store.getPageWriter(column.descriptor));
        }
    }

    private void flushPages() throws IOException {
        if (pageRows == 0) {
            return;
        }
        for (ColumnBuffer column : columns) {
            groupBytes += column.flushPage();
        }
        pageRows = 0;
    }

    private void flushRowGroup() throws IOException {
        flushPages();
        file.startBlock(groupRows);
        for (ColumnBuffer column : columns) {
            column.endChunk();
        }
        store.flushToFileWriter(file);
        file.endBlock();
        groupRows = 0;
        groupBytes = 0;
        startRowGroup();
    }

    /** A byte buffer that grows, with the little-endian and varint writes Parquet's encodings need. */
    static final class Bytes {
        byte[] data = new byte[1 << 12];
        int size;

        void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
            }
        }

        void put(int b) {
            ensure(1);
            data[size++] = (byte) b;
        }

        void intLE(int v) {
            ensure(4);
            data[size] = (byte) v;
            data[size + 1] = (byte) (v >>> 8);
            data[size + 2] = (byte) (v >>> 16);
            data[size + 3] = (byte) (v >>> 24);
            size += 4;
        }

        void longLE(long v) {
            intLE((int) v);
            intLE((int) (v >>> 32));
        }

        void varint(int v) {
            while ((v & ~0x7F) != 0) {
                put((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            put(v);
        }

        void put(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, data, size, bytes.length);
            size += bytes.length;
        }

        /** A plain-encoded BYTE_ARRAY: its length, then its bytes. */
        void lengthAndBytes(byte[] bytes) {
            intLE(bytes.length);
            put(bytes);
        }

        BytesInput input() {
            return BytesInput.from(data, 0, size);
        }
    }

    /**
     * Writes {@code values[0..n)} with the RLE/bit-packing hybrid of width {@code width}: runs of 8 or more equal values
     * as RLE runs, the rest bit-packed by groups of 8 (only the last group padded, as the format requires). Not
     * parquet-mr's {@code RunLengthBitPackingHybridEncoder}: it takes one value per call and showed in profiles; a
     * whole page at once is cheaper.
     */
    static void hybrid(int[] values, int n, int width, Bytes out) {
        int valueBytes = (width + 7) / 8;
        int i = 0;
        while (i < n) {
            int run = runLength(values, i, n);
            if (run >= 8) {
                out.varint(run << 1);
                for (int b = 0; b < valueBytes; b++) {
                    out.put(values[i] >>> (8 * b));
                }
                i += run;
                continue;
            }
            int start = i;
            do {
                i = Math.min(i + 8, n);
            } while (i < n && runLength(values, i, n) < 8);
            int groups = (i - start + 7) / 8;
            out.varint(groups << 1 | 1);
            long bits = 0;
            int held = 0;
            for (int k = start; k < start + groups * 8; k++) {
                bits |= (long) (k < i ? values[k] : 0) << held;
                held += width;
                while (held >= 8) {
                    out.put((int) bits);
                    bits >>>= 8;
                    held -= 8;
                }
            }
        }
    }

    /**
     * A hash of a string's characters in four independent lanes, mixed: {@code String.hashCode} is one chain of
     * multiplies, the slowest part of looking a long value (a user agent) up in a dictionary, and every row's
     * strings are new objects whose hash code is not cached.
     */
    static int hash(String s) {
        int n = s.length();
        int h0 = n;
        int h1 = 0;
        int h2 = 0;
        int h3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            h0 = 31 * h0 + s.charAt(i);
            h1 = 31 * h1 + s.charAt(i + 1);
            h2 = 31 * h2 + s.charAt(i + 2);
            h3 = 31 * h3 + s.charAt(i + 3);
        }
        for (; i < n; i++) {
            h0 = 31 * h0 + s.charAt(i);
        }
        int h = (h0 + 0x85EBCA6B * h1 + 0xC2B2AE35 * h2 + 0x27D4EB2F * h3) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int runLength(int[] values, int from, int n) {
        int j = from + 1;
        while (j < n && values[j] == values[from]) {
            j++;
        }
        return j - from;
    }

    private abstract static class ColumnBuffer {
        final ColumnDescriptor descriptor;
        PageWriter pages;
        int[] defined = new int[PAGE_ROWS];
        int rows;
        int nulls;
        final Bytes levels = new Bytes();

        ColumnBuffer(ColumnDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        void startChunk(PageWriter writer) {
            this.pages = writer;
        }

        /** Adds a value; true when the page's buffer is full. */
        final boolean add(Object value) {
            if (rows == defined.length) {
                defined = Arrays.copyOf(defined, rows * 2);
            }
            if (value == null) {
                defined[rows++] = 0;
                nulls++;
                return false;
            }
            defined[rows++] = 1;
            return addValue(value);
        }

        abstract boolean addValue(Object value);

        /** Writes the page (definition levels and values) and starts the next; returns its uncompressed size. */
        abstract long flushPage() throws IOException;

        /** The end of a row group: whatever the chunk still owes (its dictionary). */
        void endChunk() throws IOException {
        }

        /** The page's definition levels (all optional, one level): hybrid-encoded after their 4-byte length. */
        final BytesInput levels() {
            levels.size = 0;
            levels.intLE(0);
            hybrid(defined, rows, 1, levels);
            int length = levels.size - 4;
            levels.size = 0;
            levels.intLE(length);
            levels.size = length + 4;
            return levels.input();
        }

        final long writePage(BytesInput values, Statistics<?> statistics, Encoding encoding) throws IOException {
            statistics.incrementNumNulls(nulls);
            BytesInput page = BytesInput.concat(levels(), values);
            long size = page.size();
            pages.writePage(page, rows, rows, statistics, Encoding.BIT_PACKED, Encoding.RLE, encoding);
            rows = 0;
            nulls = 0;
            return size;
        }
    }

    /** Numbers, booleans, timestamps (microseconds) and dates (days), plain-encoded. */
    private static final class PlainColumn extends ColumnBuffer {
        private final FieldType type;
        /** INT64 columns (longs, timestamps); the other numbers are INT32. */
        private final boolean wide;
        private final Bytes values = new Bytes();
        private int booleans;
        private boolean sawFalse;
        private boolean sawTrue;
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;
        private Statistics<?> doubleStats;

        PlainColumn(ColumnDescriptor descriptor, FieldType type) {
            super(descriptor);
            this.type = type;
            this.wide = type == FieldType.LONG || type == FieldType.TIMESTAMP;
        }

        @Override
        boolean addValue(Object value) {
            switch (type) {
                case INT -> number((Integer) value);
                case LONG -> number((Long) value);
                case TIMESTAMP -> {
                    Instant t = (Instant) value;
                    number(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000));
                }
                case DATE -> number(((LocalDate) value).toEpochDay());
                case DOUBLE -> {
                    double d = (Double) value;
                    values.longLE(Double.doubleToRawLongBits(d));
                    stats().updateStats(d);
                }
                case BOOLEAN -> {
                    boolean b = (Boolean) value;
                    // plain booleans are bit-packed, least significant bit first
                    if ((booleans & 7) == 0) {
                        values.put(0);
                    }
                    if (b) {
                        values.data[values.size - 1] |= (byte) (1 << (booleans & 7));
                        sawTrue = true;
                    } else {
                        sawFalse = true;
                    }
                    booleans++;
                }
                default -> throw new IllegalStateException(type + " is not a plain column");
            }
            return values.size >= PAGE_BYTES;
        }

        private void number(long v) {
            if (wide) {
                values.longLE(v);
            } else {
                values.intLE((int) v);
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        private Statistics<?> stats() {
            if (doubleStats == null) {
                doubleStats = Statistics.createStats(descriptor.getPrimitiveType());
            }
            return doubleStats;
        }

        @Override
        long flushPage() throws IOException {
            Statistics<?> statistics = doubleStats != null ? doubleStats
                    : Statistics.createStats(descriptor.getPrimitiveType());
            if (sawFalse) {
                statistics.updateStats(false);
            }
            if (sawTrue) {
                statistics.updateStats(true);
            }
            if (min <= max && wide) {
                statistics.updateStats(min);
                statistics.updateStats(max);
            } else if (min <= max) {
                statistics.updateStats((int) min);
                statistics.updateStats((int) max);
            }
            long size = writePage(values.input(), statistics, Encoding.PLAIN);
            values.size = 0;
            booleans = 0;
            min = Long.MAX_VALUE;
            max = Long.MIN_VALUE;
            doubleStats = null;
            sawFalse = false;
            sawTrue = false;
            return size;
        }
    }

    /**
     * UTF-8 strings: dictionary-encoded while the chunk's dictionary pays (smaller than the plain values of its first
     * page) and stays under {@link #DICTIONARY_BYTES}; plain for the rest of the chunk after that.
     */
    private static final class StringColumn extends ColumnBuffer {
        // the chunk's dictionary: an open-addressing table from string to id (with each key's hash, so that growing
        // the table hashes no string again), and each id's UTF-8 bytes
        private String[] keys = new String[1 << 10];
        private int[] keyIds = new int[1 << 10];
        private int[] keyHashes = new int[1 << 10];
        private final List<byte[]> dictionary = new ArrayList<>();
        private long dictionaryBytes;
        private boolean plain;
        private boolean dictionaryUsed;
        private int pagesInChunk;
        // the page: dictionary ids while dictionary-encoding, else plain values
        private int[] ids = new int[PAGE_ROWS];
        private int count;
        private long rawBytes;
        private final Bytes values = new Bytes();
        private byte[] min;
        private byte[] max;
        private int minId = -1;
        private int maxId = -1;
        private String lastKey;
        private int lastId;

        StringColumn(ColumnDescriptor descriptor) {
            super(descriptor);
        }

        @Override
        boolean addValue(Object value) {
            String s = (String) value;
            if (plain) {
                addPlain(s.getBytes(StandardCharsets.UTF_8));
                return values.size >= PAGE_BYTES;
            }
            int id = idOf(s);
            if (plain) {
                // the dictionary just outgrew its limit: this value went to the plain page
                return values.size >= PAGE_BYTES;
            }
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
            }
            ids[count++] = id;
            byte[] bytes = dictionary.get(id);
            rawBytes += 4 + bytes.length;
            if (id != minId && id != maxId) {
                if (min == null || Arrays.compareUnsigned(bytes, min) < 0) {
                    min = bytes;
                    minId = id;
                }
                if (max == null || Arrays.compareUnsigned(bytes, max) > 0) {
                    max = bytes;
                    maxId = id;
                }
            }
            return false;
        }

        /** The value's dictionary id, adding it; switches the chunk to plain when the dictionary grows too big. */
        private int idOf(String s) {
            if (s == lastKey) {
                return lastId; // the same object as the row before: a constant (the file's name) or a run
            }
            int mask = keys.length - 1;
            int hash = hash(s);
            int slot = hash & mask;
            int probes = 0;
            for (String key; (key = keys[slot]) != null; slot = (slot + 1) & mask) {
                if (key == s || (keyHashes[slot] == hash && key.equals(s))) {
                    lastKey = s;
                    lastId = keyIds[slot];
                    return lastId;
                }
                probes++;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (dictionaryBytes + 4 + bytes.length > DICTIONARY_BYTES || probes > MAX_PROBES) {
                fallBack();
                addPlain(bytes);
                return -1;
            }
            int id = dictionary.size();
            dictionary.add(bytes);
            dictionaryBytes += 4 + bytes.length;
            keys[slot] = s;
            keyIds[slot] = id;
            keyHashes[slot] = hash;
            lastKey = s;
            lastId = id;
            if (dictionary.size() * 2 > keys.length) {
                rehash();
            }
            return id;
        }

        private void rehash() {
            String[] oldKeys = keys;
            int[] oldIds = keyIds;
            int[] oldHashes = keyHashes;
            keys = new String[oldKeys.length * 2];
            keyIds = new int[oldKeys.length * 2];
            keyHashes = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    int slot = oldHashes[i] & mask;
                    while (keys[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[i];
                    keyIds[slot] = oldIds[i];
                    keyHashes[slot] = oldHashes[i];
                }
            }
        }

        /** Plain for the rest of the chunk: this page's values so far are re-encoded plain. */
        private void fallBack() {
            plain = true;
            values.size = 0;
            min = null;
            max = null;
            int n = count;
            count = 0;
            for (int i = 0; i < n; i++) {
                addPlain(dictionary.get(ids[i]));
            }
        }

        private void addPlain(byte[] bytes) {
            values.lengthAndBytes(bytes);
            if (min == null || Arrays.compareUnsigned(bytes, min) < 0) {
                min = bytes;
            }
            if (max == null || Arrays.compareUnsigned(bytes, max) > 0) {
                max = bytes;
            }
        }

        @Override
        long flushPage() throws IOException {
            if (!plain && pagesInChunk == 0 && count > 0 && dictionaryBytes + 4L * count >= rawBytes) {
                fallBack(); // the dictionary would not be smaller than the values: every value is about unique
            }
            Statistics<?> statistics = Statistics.createStats(descriptor.getPrimitiveType());
            if (min != null) {
                statistics.updateStats(Binary.fromConstantByteArray(min));
                statistics.updateStats(Binary.fromConstantByteArray(max));
            }
            long size;
            if (plain || count == 0) {
                size = writePage(values.input(), statistics, Encoding.PLAIN);
            } else {
                values.size = 0;
                int width = BytesUtils.getWidthFromMaxInt(dictionary.size() - 1);
                values.put(width);
                hybrid(ids, count, width, values);
                size = writePage(values.input(), statistics, Encoding.PLAIN_DICTIONARY);
                dictionaryUsed = true;
            }
            pagesInChunk++;
            values.size = 0;
            count = 0;
            rawBytes = 0;
            min = null;
            max = null;
            minId = -1;
            maxId = -1;
            return size;
        }

        @Override
        void endChunk() throws IOException {
            if (dictionaryUsed) {
                Bytes page = new Bytes();
                for (byte[] entry : dictionary) {
                    page.lengthAndBytes(entry);
                }
                pages.writeDictionaryPage(new DictionaryPage(page.input(), dictionary.size(),
                        Encoding.PLAIN_DICTIONARY));
            }
            Arrays.fill(keys, null);
            lastKey = null;
            dictionary.clear();
            dictionaryBytes = 0;
            plain = false;
            dictionaryUsed = false;
            pagesInChunk = 0;
        }
    }
}
