package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.IngestFileColumn;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Ingest: every input file is parsed in one task (so stateful formats see their header lines and line numbers are
 * exact), into one staged dataset holding a struct per table; it is persisted once and each table is written from it
 * as Parquet, so every line is parsed exactly once however many tables it feeds.
 */
public final class IngestJob {

    private IngestJob() {
    }

    /** What an ingest run did: the per-file accounting rows, sorted by file. */
    public record Result(List<FileSummary> files) {
    }

    /** Builds the staged schema: {@code table} plus one nullable struct per table, named after it. */
    static StructType stagedSchema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("table", DataTypes.StringType, false));
        for (TableSchema table : Tables.INGESTED) {
            fields.add(DataTypes.createStructField(table.name(), SparkSchemas.structType(table), true));
        }
        return DataTypes.createStructType(fields);
    }

    public static Result run(SparkSession spark, List<String> inputs, String warehouse, IngestOptions options)
            throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        List<InputFile> files = InputFiles.list(inputs, hadoopConf);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no input files under " + inputs);
        }
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoopConf));
        int tableCount = Tables.INGESTED.size();
        List<String> tableNames = Tables.INGESTED.stream().map(TableSchema::name).toList();

        // one partition per file: a file is read by one task, start to end
        JavaRDD<Row> staged = jsc.parallelize(files, files.size()).flatMap(file -> {
            FileIngestor ingestor = new FileIngestor(file, options,
                    uri -> new Path(uri).getFileSystem(conf.value().value()).open(new Path(uri)));
            return new Iterator<Row>() {
                @Override
                public boolean hasNext() {
                    return ingestor.hasNext();
                }

                @Override
                public Row next() {
                    StagedRow row = ingestor.next();
                    Object[] values = new Object[tableCount + 1];
                    values[0] = row.table();
                    values[1 + tableNames.indexOf(row.table())] = RowFactory.create(row.values());
                    return RowFactory.create(values);
                }
            };
        });
        Dataset<Row> all = spark.createDataFrame(staged, stagedSchema()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            for (TableSchema table : Tables.INGESTED) {
                Dataset<Row> rows = all.filter(col("table").equalTo(table.name())).select(table.name() + ".*");
                var writer = rows.write().mode(SaveMode.Overwrite);
                // an empty partitioned write leaves no file at all; unpartitioned, Spark writes one file holding the
                // schema, so that any Parquet reader (DuckDB too) sees an empty table rather than no table
                if (table.partitionColumn() != null && !rows.isEmpty()) {
                    writer = writer.partitionBy(table.partitionColumn().columnName());
                }
                writer.parquet(Warehouse.tablePath(warehouse, table));
            }
            List<FileSummary> summaries = new ArrayList<>();
            for (Row row : Warehouse.read(spark, warehouse, Tables.INGEST_FILES)
                    .orderBy(IngestFileColumn.SOURCE_FILE.columnName()).collectAsList()) {
                summaries.add(FileSummary.of(row));
            }
            return new Result(summaries);
        } finally {
            all.unpersist();
        }
    }
}
