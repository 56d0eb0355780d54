package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.parsers.EventRecord;
import io.relaywatch.schema.SmtpEventColumn;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema {@link TableFileWriter} puts in every file's footer for Spark is written without Spark's types: it must
 * be what Spark itself writes for the file's columns, comments included. Partitions beyond the open-file cap are
 * closed and reopened as further files without losing or moving a row.
 */
class TableFileWriterTest {

    @Test
    void footerSchemaIsSparksOwnForEveryIngestedTable() {
        for (TableSchema table : Tables.INGESTED) {
            StructType expected = new StructType(Arrays.stream(SparkSchemas.structType(table).fields())
                    .filter(f -> table.partitionColumn() == null
                            || !f.name().equals(table.partitionColumn().columnName()))
                    .toArray(StructField[]::new));
            String json = TableFileWriter.sparkSchemaJson(table);
            assertEquals(expected, DataType.fromJson(json), table.name());
            assertEquals(expected.json(), json, table.name());
            if (table.partitionColumn() != null) {
                assertFalse(json.contains("\"" + table.partitionColumn().columnName() + "\""), table.name());
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void partitionsBeyondTheOpenCapGoToFurtherFilesWithEveryRowKept() throws Exception {
        // 40 days in order with a straggler from 3 days back after every fifth line: with 2 files open at once, the
        // stragglers' days were closed and get further files
        List<String> expected = new ArrayList<>();
        Path folder = dir.resolve(Tables.SMTP_EVENTS.name());
        TableFileWriter writer = new TableFileWriter(Tables.SMTP_EVENTS, new org.apache.hadoop.fs.Path(folder.toUri()),
                "part-00007-run.zstd.parquet", new Configuration(), 2);
        long line = 0;
        try (writer) {
            for (int day = 0; day < 40; day++) {
                for (int i = 0; i < 10; i++) {
                    int rowDay = i == 5 && day >= 3 ? day - 3 : day;
                    Instant ts = LocalDate.of(2026, 1, 1).plusDays(rowDay).atTime(12, i).toInstant(ZoneOffset.UTC);
                    EventRecord row = new EventRecord(Tables.SMTP_EVENTS)
                            .set(SmtpEventColumn.SOURCE_FILE, "mail.log")
                            .set(SmtpEventColumn.SOURCE_LINE, ++line)
                            .set(SmtpEventColumn.TS, ts)
                            .set(SmtpEventColumn.EVENT_DATE, LocalDate.ofInstant(ts, ZoneOffset.UTC));
                    writer.write(row.values());
                    expected.add(line + " " + ts + " " + LocalDate.ofInstant(ts, ZoneOffset.UTC));
                }
            }
        }
        assertTrue(writer.files().size() > 40, "stragglers' days got further files: " + writer.files().size());
        assertTrue(writer.files().stream().anyMatch(f -> f.endsWith("part-00007-run-1.zstd.parquet")));
        List<String> actual = SparkTestSupport.spark().read().schema(SparkSchemas.structType(Tables.SMTP_EVENTS))
                .parquet(folder.toString()).selectExpr("source_line", "ts", "event_date").orderBy("source_line")
                .collectAsList().stream().map(r -> r.getLong(0) + " " + r.getInstant(1) + " " + r.getLocalDate(2))
                .toList();
        assertEquals(expected, actual);
    }
}
