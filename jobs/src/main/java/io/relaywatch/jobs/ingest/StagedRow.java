package io.relaywatch.jobs.ingest;

import io.relaywatch.schema.TableSchema;

/**
 * A row on its way to a table: the table's name and the values in column order. The ingest task writes each to its
 * table's Parquet file, so that a single parse feeds every table.
 *
 * @param table  the table name
 * @param values the column values
 */
public record StagedRow(String table, Object[] values) {

    public static StagedRow of(TableSchema table, Object[] values) {
        return new StagedRow(table.name(), values);
    }
}
