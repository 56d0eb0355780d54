package io.relaywatch.jobs;

import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warehouse is plain Parquet that other engines read without relaywatch: the README's DuckDB query and its
 * {@code CREATE TABLE ... USING parquet LOCATION} lines for any Spark give the same rows as relaywatch's own views.
 */
class WarehouseInteropTest {

    @Test
    void duckDbReadsEveryTable() throws Exception {
        String warehouse = SampleWarehouse.get().warehouse();
        SparkSession spark = SparkTestSupport.spark();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement()) {
            for (TableSchema table : Tables.ALL) {
                Path folder = Path.of(warehouse, table.name());
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                long expected = Warehouse.read(spark, warehouse, table).count();
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet('" + folder
                        + "/**/*.parquet', hive_partitioning = true)")) {
                    assertTrue(rs.next());
                    assertEquals(expected, rs.getLong(1), table.name());
                }
            }
            // nested evidence and timestamps come through as such
            try (ResultSet rs = statement.executeQuery("SELECT entity, len(evidence), evidence[1].source_line, "
                    + "year(first_seen) FROM read_parquet('" + warehouse + "/findings/*.parquet') "
                    + "WHERE rule = 'auth_account_abuse'")) {
                assertTrue(rs.next());
                assertEquals("jmeier", rs.getString(1));
                assertTrue(rs.getInt(2) > 0);
                assertTrue(rs.getLong(3) > 0);
                assertEquals(2026, rs.getInt(4));
            }
        }
    }

    @Test
    void anySparkReadsThemAsCatalogTables() {
        String warehouse = SampleWarehouse.get().warehouse();
        SparkSession spark = SparkTestSupport.spark();
        try {
            // exactly what `relaywatch tables --ddl WAREHOUSE` prints for users
            Warehouse.catalogStatements(warehouse, "relaywatch_interop").forEach(spark::sql);
            for (TableSchema table : Tables.ALL) {
                assertEquals(Warehouse.read(spark, warehouse, table).count(),
                        spark.sql("SELECT * FROM relaywatch_interop." + table.name()).count(), table.name());
            }
        } finally {
            spark.sql("DROP DATABASE relaywatch_interop CASCADE");
        }
    }
}
