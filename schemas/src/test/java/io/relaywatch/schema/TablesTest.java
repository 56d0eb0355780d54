package io.relaywatch.schema;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TablesTest {

    /** The columns the ingest issue promises to users, by name; more are allowed, none of these may go. */
    @Test
    void tablesHaveTheAgreedColumns() {
        assertHasColumns(Tables.HTTP_REQUESTS, "ts, server, client_ip, user_name, method, target, is_absolute_url, "
                + "url_scheme, url_host, url_port, url_path, protocol, status, bytes_sent, referer, user_agent, "
                + "proxy_action, log_format, source_file, source_line");
        assertHasColumns(Tables.SMTP_EVENTS, "ts, mta_host, program, queue_id, event, client_ip, client_host, helo, "
                + "sasl_username, sasl_method, sender, recipient, relay_host, relay_ip, smtp_code, dsn, status, reason, "
                + "size, nrcpt, message_id, next_queue_id, session_id, log_format, source_file, source_line");
        assertHasColumns(Tables.FIREWALL_EVENTS, "ts, device, action, direction, protocol, src_ip, src_port, dst_ip, "
                + "dst_port, in_interface, out_interface, rule, bytes, packets, log_format, source_file, source_line");
        assertHasColumns(Tables.REJECTED_LINES, "source_file, source_line, log_format, reason, raw_line");
    }

    private static void assertHasColumns(TableSchema table, String names) {
        for (String name : names.split(",\\s*")) {
            assertTrue(table.column(name).isPresent(), table.name() + " lacks " + name);
        }
    }

    @Test
    void everyColumnIsDocumentedSnakeCaseAndUnique() {
        for (TableSchema table : Tables.ALL) {
            Set<String> seen = new HashSet<>();
            for (Column column : table.columns()) {
                String where = table.name() + "." + column.columnName();
                assertTrue(column.columnName().matches("[a-z][a-z0-9_]*"), where + " is not snake_case");
                assertTrue(seen.add(column.columnName()), where + " is declared twice");
                assertTrue(column.doc().length() > 15 && column.doc().endsWith("."), where + " needs a sentence of doc");
                assertTrue(column.ecs().isEmpty() || column.ecs().matches("@?[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*"),
                        where + " has a malformed ECS name " + column.ecs());
            }
        }
    }

    @Test
    void eventTablesArePartitionedByUtcDateOfTs() {
        for (TableSchema table : Tables.EVENT_TABLES) {
            assertEquals("event_date", table.partitionColumn().columnName(), table.name());
            assertEquals(FieldType.DATE, table.partitionColumn().type());
            assertEquals(FieldType.TIMESTAMP, table.column("ts").orElseThrow().type());
            // the partition column is last, where Spark puts partition columns when it reads the table back
            assertEquals(table.partitionColumn(), table.columns().get(table.size() - 1));
        }
        assertFalse(Tables.REJECTED_LINES.column("ts").isPresent());
        assertHasColumns(Tables.FINDINGS, "finding_id, rule, severity, score, entity_type, entity, first_seen, "
                + "last_seen, event_count, summary, evidence");
    }

    @Test
    void smtpEventValuesAreLowerSnakeCase() {
        List<String> values = java.util.Arrays.stream(SmtpEvent.values()).map(SmtpEvent::value).toList();
        assertTrue(values.containsAll(List.of("connect", "disconnect", "auth_success", "auth_failure", "reject",
                "message_accepted", "delivered", "deferred", "bounced", "expired", "non_smtp_command")));
        values.forEach(v -> assertTrue(v.matches("[a-z_]+"), v));
    }

    @Test
    void fieldTypesAcceptOnlyTheirJavaType() {
        assertTrue(FieldType.LONG.accepts(1L));
        assertFalse(FieldType.LONG.accepts(1));
        assertTrue(FieldType.TIMESTAMP.accepts(java.time.Instant.EPOCH));
        assertFalse(FieldType.STRING.accepts(1));
        assertTrue(FieldType.INT.accepts(null));
    }
}
