package io.relaywatch.parsers;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;

import java.util.Arrays;

/**
 * One row for an event table, filled by a parser column by column. Values are plain Java objects of the column's
 * {@link io.relaywatch.schema.FieldType}; a wrong type is a parser bug and fails at once.
 */
public final class EventRecord {

    private final TableSchema table;
    private final Object[] values;

    public EventRecord(TableSchema table) {
        this.table = table;
        this.values = new Object[table.size()];
    }

    private EventRecord(TableSchema table, Object[] values) {
        this.table = table;
        this.values = values;
    }

    public TableSchema table() {
        return table;
    }

    /** Sets a column; {@code null} clears it. Empty strings and "-" are kept as given: parsers decide what is absent. */
    public EventRecord set(Column column, Object value) {
        if (table.columns().get(column.ordinal()) != column) {
            throw new IllegalArgumentException(column + " is not a column of " + table.name());
        }
        if (!column.type().accepts(value)) {
            throw new IllegalArgumentException(column.columnName() + " takes " + column.type() + ", not "
                    + value.getClass().getSimpleName());
        }
        values[column.ordinal()] = value;
        return this;
    }

    /** Sets a column only if it is still empty: lets a generic step fill what a specific step left open. */
    public EventRecord setIfAbsent(Column column, Object value) {
        return get(column) == null ? set(column, value) : this;
    }

    public Object get(Column column) {
        return values[column.ordinal()];
    }

    /** The values in column order. The array is live: the job reads it without copying. */
    public Object[] values() {
        return values;
    }

    /** An independent copy, for lines that yield one row per recipient. */
    public EventRecord copy() {
        return new EventRecord(table, values.clone());
    }

    @Override
    public String toString() {
        return table.name() + Arrays.toString(values);
    }
}
