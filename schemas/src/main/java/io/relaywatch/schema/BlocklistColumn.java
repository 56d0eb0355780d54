package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;

/**
 * Columns of {@code blocklist}: the outside sources of high and critical findings, merged into the smallest set of
 * CIDR networks that covers exactly them; local and allow-listed networks are never listed.
 */
public enum BlocklistColumn implements Column {
    NETWORK(STRING, "source.ip", "A network in CIDR notation (a single address is a /32 or /128)."),
    ADDRESS_COUNT(LONG, "", "How many addresses the network covers."),
    REASONS(STRING, "rule.name", "The rules whose findings put it here, comma-separated."),
    FINDING_IDS(STRING, "event.id", "The ids of those findings, comma-separated (capped at 20)."),
    MAX_SEVERITY(STRING, "event.severity", "The most severe of those findings.");

    private final Spec spec;

    BlocklistColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
