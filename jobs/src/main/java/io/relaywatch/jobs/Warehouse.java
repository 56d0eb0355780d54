package io.relaywatch.jobs;

import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The warehouse: a folder (any Hadoop file system) with one Parquet folder per table, named after the table. Tables are
 * always read with their declared schema, so an empty or missing table reads as an empty table rather than failing
 * schema inference.
 */
public final class Warehouse {

    private Warehouse() {
    }

    public static String tablePath(String warehouse, TableSchema table) {
        return new Path(warehouse, table.name()).toString();
    }

    public static boolean exists(SparkSession spark, String warehouse, TableSchema table) {
        Path path = new Path(tablePath(warehouse, table));
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Dataset<Row> read(SparkSession spark, String warehouse, TableSchema table) {
        if (!exists(spark, warehouse, table)) {
            return spark.createDataFrame(java.util.List.of(), SparkSchemas.structType(table));
        }
        return spark.read().schema(SparkSchemas.structType(table)).parquet(tablePath(warehouse, table));
    }

    /** Registers every table of the warehouse as a temporary view named after it; returns how many existed. */
    public static int registerViews(SparkSession spark, String warehouse) {
        int found = 0;
        for (TableSchema table : Tables.ALL) {
            if (exists(spark, warehouse, table)) {
                found++;
            }
            read(spark, warehouse, table).createOrReplaceTempView(table.name());
        }
        return found;
    }
}
