package io.relaywatch.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A table of the relaywatch warehouse: its name, what one row is, its columns (from one {@link Column} enum) and the
 * column it is partitioned by on disk, if any.
 *
 * @param name            the table (and folder) name in the warehouse
 * @param rowDescription  what one row stands for
 * @param columns         the columns, in order
 * @param partitionColumn the column whose value names the Parquet partition folders, or {@code null}
 */
public record TableSchema(String name, String rowDescription, List<Column> columns, Column partitionColumn) {

    public TableSchema {
        columns = List.copyOf(columns);
        if (partitionColumn != null && !columns.contains(partitionColumn)) {
            throw new IllegalArgumentException(name + ": partition column is not one of the columns");
        }
    }

    /** Builds a table from all constants of a column enum. */
    public static <C extends Enum<C> & Column> TableSchema of(
            String name, String rowDescription, Class<C> columnEnum, C partitionColumn) {
        return new TableSchema(name, rowDescription, List.of(columnEnum.getEnumConstants()), partitionColumn);
    }

    public int size() {
        return columns.size();
    }

    public Optional<Column> column(String columnName) {
        return Optional.ofNullable(byName().get(columnName));
    }

    private Map<String, Column> byName() {
        return columns.stream().collect(Collectors.toMap(Column::columnName, Function.identity()));
    }
}
