package io.relaywatch.jobs.detect;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cap} smallest evidence pointers (table, source_file, source_line) of a group, in ascending order: what
 * {@code slice(array_sort(collect_list(named_struct(...))), 1, cap)} gives, but holding at most {@code cap} pointers
 * per group instead of every row of it, so that one entity with most of the traffic costs O(cap) memory in its task.
 * Each input row carries {@code pointers} pointers (table, source_file, source_line, ...); a pointer whose table is
 * null is absent (like a null struct in collect_list). Order: table, source_file, source_line, nulls first, strings by
 * code point (Spark's order for these structs); duplicates are kept, as collect_list keeps them.
 *
 * <p>Spark's typed aggregates cannot return a bare array from Java, so the result is a struct whose one field,
 * {@code pointers}, is the array: SQL reads it as {@code evidence_first(t, f, l).pointers}.
 */
public final class EvidenceFirst extends Aggregator<Row, EvidenceFirst.Buffer, Row> {

    private static final long serialVersionUID = 1L;

    /** The element type of the evidence column (a kept pointer always has its table). */
    public static final StructType POINTER = new StructType(new StructField[] {
        DataTypes.createStructField("table", DataTypes.StringType, false),
        DataTypes.createStructField("source_file", DataTypes.StringType, true),
        DataTypes.createStructField("source_line", DataTypes.LongType, true)});
    /** The result: one field, the ordered, capped pointers. */
    public static final StructType RESULT = new StructType(new StructField[] {
        DataTypes.createStructField("pointers", DataTypes.createArrayType(POINTER, false), false)});

    private final int cap;
    private final int pointers;

    public EvidenceFirst(int cap, int pointers) {
        if (cap < 0 || pointers < 1) {
            throw new IllegalArgumentException("cap " + cap + ", pointers per row " + pointers);
        }
        this.cap = cap;
        this.pointers = pointers;
    }

    /**
     * Registers {@code evidence_first(table, source_file, source_line)} and
     * {@code evidence_first2(table1, file1, line1, table2, file2, line2)} and {@code evidence_first3} (two and three
     * pointers per row) with this cap.
     */
    public static void register(SparkSession spark, int cap) {
        spark.udf().register("evidence_first", functions.udaf(new EvidenceFirst(cap, 1), inputEncoder(1)));
        for (int n = 2; n <= 3; n++) {
            spark.udf().register("evidence_first" + n, functions.udaf(new EvidenceFirst(cap, n), inputEncoder(n)));
        }
    }

    static Encoder<Row> inputEncoder(int pointers) {
        List<StructField> fields = new ArrayList<>();
        for (int i = 1; i <= pointers; i++) {
            fields.add(DataTypes.createStructField("table" + i, DataTypes.StringType, true));
            fields.add(DataTypes.createStructField("source_file" + i, DataTypes.StringType, true));
            fields.add(DataTypes.createStructField("source_line" + i, DataTypes.LongType, true));
        }
        return Encoders.row(new StructType(fields.toArray(new StructField[0])));
    }

    /**
     * The sorted pointers kept so far (at most cap): parallel arrays, a plain mutable class so that Kryo moves it
     * between the partial and the final aggregation cheaply.
     */
    public static final class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        String[] tables;
        String[] files;
        Long[] lines;
        int size;

        public Buffer() {
            this(0);
        }

        Buffer(int cap) {
            tables = new String[cap];
            files = new String[cap];
            lines = new Long[cap];
        }

        /** Adds one pointer, dropping the largest beyond cap: O(log cap) when it does not belong, O(cap) when it does. */
        void add(String table, String file, Long line) {
            int cap = tables.length;
            if (cap == 0) {
                return;
            }
            if (size == cap && compare(table, file, line, size - 1) >= 0) {
                return;
            }
            // after equal ones, so that insertion order among equals does not matter (they are equal anyway)
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (compare(table, file, line, mid) >= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int moved = Math.min(size, cap - 1) - lo;
            if (moved > 0) {
                System.arraycopy(tables, lo, tables, lo + 1, moved);
                System.arraycopy(files, lo, files, lo + 1, moved);
                System.arraycopy(lines, lo, lines, lo + 1, moved);
            }
            tables[lo] = table;
            files[lo] = file;
            lines[lo] = line;
            size = Math.min(size + 1, cap);
        }

        private int compare(String table, String file, Long line, int i) {
            int c = compareStrings(table, tables[i]);
            if (c != 0) {
                return c;
            }
            c = compareStrings(file, files[i]);
            if (c != 0) {
                return c;
            }
            if (line == null || lines[i] == null) {
                return line == null ? (lines[i] == null ? 0 : -1) : 1;
            }
            return Long.compare(line, lines[i]);
        }
    }

    /** Nulls first, then by Unicode code point: the order of UTF-8 bytes, which is Spark's string order. */
    static int compareStrings(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // UTF-16 order differs from code point order only between surrogates and U+E000..U+FFFF
                if (x >= 0xD800 && y >= 0xD800) {
                    return codePointRank(x) - codePointRank(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int codePointRank(char c) {
        return c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    }

    @Override
    public Buffer zero() {
        return new Buffer(cap);
    }

    @Override
    public Buffer reduce(Buffer buffer, Row input) {
        for (int p = 0; p < pointers; p++) {
            int at = 3 * p;
            if (!input.isNullAt(at)) {
                buffer.add(input.getString(at), input.isNullAt(at + 1) ? null : input.getString(at + 1),
                        input.isNullAt(at + 2) ? null : input.getLong(at + 2));
            }
        }
        return buffer;
    }

    @Override
    public Buffer merge(Buffer a, Buffer b) {
        if (a.size < b.size) {
            Buffer t = a;
            a = b;
            b = t;
        }
        for (int i = 0; i < b.size; i++) {
            a.add(b.tables[i], b.files[i], b.lines[i]);
        }
        return a;
    }

    @Override
    public Row finish(Buffer buffer) {
        List<Row> out = new ArrayList<>(buffer.size);
        for (int i = 0; i < buffer.size; i++) {
            out.add(RowFactory.create(buffer.tables[i], buffer.files[i], buffer.lines[i]));
        }
        return RowFactory.create(scala.collection.JavaConverters.asScalaBuffer(out)); // Row arrays are Scala Seqs
    }

    @Override
    public Encoder<Buffer> bufferEncoder() {
        return Encoders.kryo(Buffer.class);
    }

    @Override
    public Encoder<Row> outputEncoder() {
        return Encoders.row(RESULT);
    }
}
