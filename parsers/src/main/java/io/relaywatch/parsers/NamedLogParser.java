package io.relaywatch.parsers;

import io.relaywatch.schema.TableSchema;

/** Base for formats: holds the name, table and description that every {@link LogParser} reports. */
public abstract class NamedLogParser implements LogParser {

    private final String format;
    private final TableSchema table;
    private final String description;

    protected NamedLogParser(String format, TableSchema table, String description) {
        this.format = format;
        this.table = table;
        this.description = description;
    }

    @Override
    public final String format() {
        return format;
    }

    @Override
    public final TableSchema table() {
        return table;
    }

    @Override
    public final String description() {
        return description;
    }
}
