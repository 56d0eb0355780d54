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
import java.util.Arrays;

/**
 * {@code least_distinct(value, k).values}: the k smallest distinct non-null strings of a group, ascending; what
 * {@code slice(array_sort(collect_set(value)), 1, k)} gives, holding at most k values per group instead of every
 * distinct one (the examples a summary names: a few networks or targets out of possibly millions). {@code k} is
 * a constant of the call.
 */
public final class LeastDistinct extends Aggregator<Row, LeastDistinct.Buffer, Row> {

    private static final long serialVersionUID = 1L;

    static final StructType INPUT = new StructType(new StructField[] {
        DataTypes.createStructField("value", DataTypes.StringType, true),
        DataTypes.createStructField("k", DataTypes.IntegerType, true)});
    static final StructType RESULT = new StructType(new StructField[] {
        DataTypes.createStructField("values", DataTypes.createArrayType(DataTypes.StringType, false), false)});

    public static void register(SparkSession spark) {
        spark.udf().register("least_distinct", functions.udaf(new LeastDistinct(), Encoders.row(INPUT)));
    }

    /** The sorted distinct values so far (at most k). */
    public static final class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        String[] values = new String[0];
        int size;

        void add(String value, int k) {
            if (values.length < k) {
                values = Arrays.copyOf(values, k);
            }
            if (k <= 0 || size == k && EvidenceFirst.compareStrings(value, values[size - 1]) >= 0) {
                return;
            }
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int c = EvidenceFirst.compareStrings(value, values[mid]);
                if (c == 0) {
                    return;
                }
                if (c > 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int moved = Math.min(size, k - 1) - lo;
            if (moved > 0) {
                System.arraycopy(values, lo, values, lo + 1, moved);
            }
            values[lo] = value;
            size = Math.min(size + 1, k);
        }
    }

    @Override
    public Buffer zero() {
        return new Buffer();
    }

    @Override
    public Buffer reduce(Buffer buffer, Row input) {
        if (!input.isNullAt(0) && !input.isNullAt(1)) {
            buffer.add(input.getString(0), input.getInt(1));
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
        // a buffer that saw no rows does not know k; the other one's array length is k (or less if it is empty too)
        int k = Math.max(a.values.length, b.values.length);
        for (int i = 0; i < b.size; i++) {
            a.add(b.values[i], k);
        }
        return a;
    }

    @Override
    public Row finish(Buffer buffer) {
        return RowFactory.create(scala.collection.JavaConverters.asScalaBuffer(
                Arrays.asList(Arrays.copyOf(buffer.values, buffer.size))));
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
