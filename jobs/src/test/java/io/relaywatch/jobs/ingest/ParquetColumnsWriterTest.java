package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.schema.FieldType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ParquetColumnsWriter} encodes pages itself, so every path of its encodings is read back by three independent
 * readers (Spark's vectorized reader, parquet-mr's record reader through Spark, and DuckDB) and compared value by value
 * with what was written: dictionary strings, strings that fall back to plain at the first page and in the middle of a
 * chunk, strings with colliding hash codes, all-null columns, every number type at its limits, booleans, timestamps
 * before 1970, several row groups. Filters that Spark and DuckDB answer from the written statistics must count right.
 */
class ParquetColumnsWriterTest {

    static final int ROWS = 150_000;
    static final String[] COLUMNS = {"id", "s_low", "s_unique", "s_grow", "s_hostile", "s_none", "i", "l", "d", "b",
        "ts", "day"};
    static final FieldType[] TYPES = {FieldType.INT, FieldType.STRING, FieldType.STRING, FieldType.STRING,
        FieldType.STRING, FieldType.STRING, FieldType.INT, FieldType.LONG, FieldType.DOUBLE, FieldType.BOOLEAN,
        FieldType.TIMESTAMP, FieldType.DATE};
    static final String[] LOW = {"GET", "POST", "CONNECT", "HEAD", "été ☃"};
    /**
     * 4096 strings that all hash alike in the writer's dictionary: "Aa" and "BB" hash alike in a lane of 31 * h + c,
     * and the writer's hash puts every fourth character in the same lane.
     */
    static final List<String> COLLIDING = colliding(12);

    @TempDir
    static java.nio.file.Path dir;
    static String file;
    static List<Object[]> rows = new ArrayList<>();

    @BeforeAll
    static void write() throws Exception {
        Types.MessageTypeBuilder builder = Types.buildMessage();
        builder.optional(PrimitiveTypeName.INT32).named("id");
        for (String s : new String[] {"s_low", "s_unique", "s_grow", "s_hostile", "s_none"}) {
            builder.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(s);
        }
        builder.optional(PrimitiveTypeName.INT32).named("i");
        builder.optional(PrimitiveTypeName.INT64).named("l");
        builder.optional(PrimitiveTypeName.DOUBLE).named("d");
        builder.optional(PrimitiveTypeName.BOOLEAN).named("b");
        builder.optional(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts");
        builder.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day");
        MessageType schema = builder.named("spark_schema");
        int[] sources = new int[COLUMNS.length];
        Arrays.setAll(sources, c -> c);
        for (int r = 0; r < ROWS; r++) {
            rows.add(row(r));
        }
        file = dir.resolve("t.parquet").toString();
        // small row groups, so that dictionaries restart and several groups are written
        try (ParquetColumnsWriter writer = new ParquetColumnsWriter(new Path(file), schema, sources, TYPES, Map.of(),
                new Configuration(), CompressionCodecName.ZSTD, 16L << 20)) {
            for (Object[] row : rows) {
                writer.write(row);
            }
        }
    }

    static Object[] row(int r) {
        return new Object[] {
            r,
            r % 7 == 0 ? null : LOW[r % LOW.length],
            "u-" + r + (r % 3 == 0 ? "-日本" : "") + (r % 11 == 0 ? "-\uD83D\uDE00" : ""),
            // 45-byte values, a new one every second row: the dictionary pays at first and outgrows 1 MiB later
            String.format("grow-%040d", r / 2),
            COLLIDING.get(r % COLLIDING.size()),
            null,
            r % 5 == 0 ? null : switch (r % 4) {
                case 0 -> Integer.MIN_VALUE;
                case 1 -> Integer.MAX_VALUE;
                default -> r - ROWS / 2;
            },
            r % 13 == 0 ? null : switch (r % 3) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                default -> (long) r * 1_000_003L - 5;
            },
            r % 17 == 0 ? null : switch (r % 4) {
                case 0 -> -0.0;
                case 1 -> Double.MAX_VALUE;
                case 2 -> -Double.MIN_VALUE;
                default -> r / 3.0;
            },
            r % 6 == 0 ? null : r % 4 == 1,
            r % 19 == 0 ? null : Instant.ofEpochSecond(-86_400L * 400 + 3_600L * r, (r % 1000) * 1000),
            r % 23 == 0 ? null : LocalDate.ofEpochDay(r % 40_000 - 1000),
        };
    }

    static List<String> colliding(int pairs) {
        List<String> all = new ArrayList<>(List.of(""));
        for (int p = 0; p < pairs; p++) {
            List<String> next = new ArrayList<>();
            for (String s : all) {
                next.add(s + "A000a000");
                next.add(s + "B000B000");
            }
            all = next;
        }
        return all;
    }

    /** A value as read, with JDBC's date and time types turned into the ones written. */
    static Object asWritten(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return value;
    }

    @Test
    void hostileStringsReallyCollide() {
        assertEquals(1, COLLIDING.stream().map(ParquetColumnsWriter::hash).distinct().count());
        assertEquals(4096, new HashSet<>(COLLIDING).size());
    }

    @Test
    void sparkVectorizedReaderReadsBackEveryValue() {
        compareWithSpark(true);
    }

    @Test
    void sparkRecordReaderReadsBackEveryValue() {
        compareWithSpark(false);
    }

    void compareWithSpark(boolean vectorized) {
        SparkSession spark = SparkTestSupport.spark();
        String key = "spark.sql.parquet.enableVectorizedReader";
        String before = spark.conf().get(key);
        spark.conf().set(key, String.valueOf(vectorized));
        String zone = spark.conf().get("spark.sql.session.timeZone");
        try {
            List<Row> read = spark.read().parquet(file).orderBy("id").collectAsList();
            assertEquals(ROWS, read.size());
            for (int r = 0; r < ROWS; r++) {
                Object[] written = rows.get(r);
                Row row = read.get(r);
                for (int c = 0; c < COLUMNS.length; c++) {
                    Object want = written[c];
                    Object got = asWritten(row.get(c));
                    if (!Objects.equals(want, got)) {
                        fail("row " + r + " column " + COLUMNS[c] + ": wrote " + want + ", Spark (vectorized="
                                + vectorized + ", zone " + zone + ") read " + got);
                    }
                }
            }
            // answered with the help of row-group and page statistics: wrong min/max or null counts miscount here
            assertEquals(count(r -> r[1] == null), spark.read().parquet(file).where("s_low IS NULL").count());
            assertEquals(count(r -> "été ☃".equals(r[1])), spark.read().parquet(file)
                    .where("s_low = 'été ☃'").count());
            assertEquals(1, spark.read().parquet(file).where("s_unique = 'u-149999'").count());
            assertEquals(count(r -> r[3].equals(String.format("grow-%040d", 49_999))),
                    spark.read().parquet(file).where(String.format("s_grow = 'grow-%040d'", 49_999)).count());
            assertEquals(ROWS, spark.read().parquet(file).where("s_none IS NULL").count());
            assertEquals(count(r -> Long.valueOf(Long.MAX_VALUE).equals(r[7])),
                    spark.read().parquet(file).where("l = " + Long.MAX_VALUE).count());
            assertEquals(count(r -> r[6] != null && (Integer) r[6] > 70_000),
                    spark.read().parquet(file).where("i > 70000").count());
        } finally {
            spark.conf().set(key, before);
        }
    }

    static long count(java.util.function.Predicate<Object[]> p) {
        return rows.stream().filter(p).count();
    }

    @Test
    void duckDbReadsBackEveryValue() throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", COLUMNS) + " FROM read_parquet('"
                    + file + "') ORDER BY id")) {
                int r = 0;
                while (rs.next()) {
                    Object[] written = rows.get(r);
                    for (int c = 0; c < COLUMNS.length; c++) {
                        Object want = written[c];
                        Object got = switch (TYPES[c]) {
                            case TIMESTAMP -> rs.getObject(c + 1) == null ? null
                                    : rs.getObject(c + 1, java.time.OffsetDateTime.class).toInstant();
                            case DATE -> rs.getObject(c + 1) == null ? null
                                    : rs.getObject(c + 1, LocalDate.class);
                            default -> rs.getObject(c + 1);
                        };
                        if (!Objects.equals(want, got)) {
                            fail("row " + r + " column " + COLUMNS[c] + ": wrote " + want + ", DuckDB read " + got);
                        }
                    }
                    r++;
                }
                assertEquals(ROWS, r);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + file
                    + "') WHERE s_hostile = '" + COLLIDING.get(4095) + "'")) {
                rs.next();
                assertEquals(count(r -> COLLIDING.get(4095).equals(r[4])), rs.getLong(1));
            }
        }
    }

    @Test
    void encodingsAreTheOnesDescribed() throws Exception {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file),
                new Configuration()))) {
            List<BlockMetaData> groups = reader.getFooter().getBlocks();
            assertTrue(groups.size() > 1, "several row groups: " + groups.size());
            Function<String, Set<Encoding>> encodings = name -> {
                Set<Encoding> all = new HashSet<>();
                for (BlockMetaData group : groups) {
                    for (ColumnChunkMetaData chunk : group.getColumns()) {
                        if (chunk.getPath().toDotString().equals(name)) {
                            all.addAll(chunk.getEncodings());
                        }
                    }
                }
                return all;
            };
            ColumnChunkMetaData firstGrow = groups.get(0).getColumns().get(3);
            assertTrue(encodings.apply("s_low").contains(Encoding.PLAIN_DICTIONARY), "s_low is dictionary-encoded");
            assertTrue(!encodings.apply("s_unique").contains(Encoding.PLAIN_DICTIONARY),
                    "unique strings fall back to plain at the first page: " + encodings.apply("s_unique"));
            assertTrue(firstGrow.getEncodings().containsAll(List.of(Encoding.PLAIN_DICTIONARY, Encoding.PLAIN)),
                    "a dictionary outgrown mid-chunk leaves dictionary pages, then plain ones: "
                            + firstGrow.getEncodings());
            assertTrue(encodings.apply("s_hostile").contains(Encoding.PLAIN),
                    "colliding hash codes send the chunk to plain: " + encodings.apply("s_hostile"));
            long nulls = 0;
            for (BlockMetaData group : groups) {
                nulls += group.getColumns().get(1).getStatistics().getNumNulls();
            }
            assertEquals(count(r -> r[1] == null), nulls, "null counts in the statistics");
        }
        assertTrue(Files.size(java.nio.file.Path.of(file)) > 0);
    }
}
