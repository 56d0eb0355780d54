package io.relaywatch.schema;

import java.util.Locale;

/**
 * Renders the table declarations as Markdown ({@code schemas/TABLES.md}), so the documentation is generated from the
 * one declaration and a test keeps the committed copy current.
 */
public final class TableDocs {

    private TableDocs() {
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# relaywatch tables\n\n")
                .append("Generated from `schemas/src/main/java/io/relaywatch/schema/` (the single declaration of every ")
                .append("column); do not edit. Regenerate with\n`mvn -pl schemas test -Dtables.update=true`.\n\n")
                .append("Timestamps are UTC. Event tables are Parquet folders partitioned by `event_date` ")
                .append("(the UTC date of `ts`). `source_file` + `source_line` lead back to the raw line.\n");
        for (TableSchema table : Tables.ALL) {
            md.append("\n## ").append(table.name()).append("\n\nOne row: ").append(table.rowDescription())
                    .append(".").append(table.partitionColumn() == null ? ""
                            : " Partitioned by `" + table.partitionColumn().columnName() + "`.")
                    .append("\n\n| column | type | ECS | meaning |\n|---|---|---|---|\n");
            for (Column column : table.columns()) {
                md.append("| `").append(column.columnName()).append("` | ")
                        .append(column.type().name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(column.ecs().isEmpty() ? "" : "`" + column.ecs() + "`").append(" | ")
                        .append(column.doc().replace("|", "\\|")).append(" |\n");
            }
        }
        md.append("\n## smtp_events.event values\n\n| value | meaning |\n|---|---|\n");
        for (SmtpEvent event : SmtpEvent.values()) {
            md.append("| `").append(event.value()).append("` | ").append(event.description()).append(" |\n");
        }
        return md.toString();
    }
}
