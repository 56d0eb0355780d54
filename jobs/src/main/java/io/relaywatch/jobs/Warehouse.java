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

    /**
     * The statements that register the warehouse's tables in any Spark catalog (Hive metastore, Unity, in-memory):
     * one {@code CREATE TABLE ... USING parquet LOCATION}, and for partitioned tables the partition discovery that
     * such a table needs before it shows rows.
     */
    public static java.util.List<String> catalogStatements(String warehouse, String database) {
        java.util.List<String> statements = new java.util.ArrayList<>();
        String prefix = database == null ? "" : database + ".";
        if (database != null) {
            statements.add("CREATE DATABASE IF NOT EXISTS " + database);
        }
        for (TableSchema table : Tables.ALL) {
            String location = tablePath(warehouse, table).replace("'", "\\'");
            // the declared schema, so that a table without files yet is still created with its columns
            statements.add("CREATE TABLE IF NOT EXISTS " + prefix + table.name() + " ("
                    + SparkSchemas.structType(table).toDDL() + ") USING parquet"
                    + (table.partitionColumn() == null ? "" : " PARTITIONED BY ("
                    + table.partitionColumn().columnName() + ")") + " LOCATION '" + location + "'");
            if (table.partitionColumn() != null) {
                statements.add("MSCK REPAIR TABLE " + prefix + table.name());
            }
        }
        return statements;
    }
}
