package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;

/** Columns of {@code ip_info}: one row per outside address seen in any event table, with its geography. */
public enum IpInfoColumn implements Column {
    IP(STRING, "source.ip", "An outside address seen in smtp_events, http_requests or firewall_events."),
    COUNTRY(STRING, "source.geo.country_iso_code", "ISO country code from the GeoIP database, or cgnat/reserved; null if unknown."),
    ASN(STRING, "source.as.organization.name", "Autonomous system number and organisation, or null if unknown."),
    NETWORK(STRING, "source.network", "The /24 (IPv4) or /64 (IPv6) the address belongs to, as the rules group it."),
    TABLES(STRING, "", "The tables the address appears in, comma-separated."),
    EVENTS(LONG, "", "How many rows mention the address.");

    private final Spec spec;

    IpInfoColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
