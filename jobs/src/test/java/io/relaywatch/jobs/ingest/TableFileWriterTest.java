package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The schema {@link TableFileWriter} puts in every file's footer for Spark is written without Spark's types: it must
 * be what Spark itself writes for the file's columns, comments included.
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
}
