package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.DOUBLE;
import static io.relaywatch.schema.FieldType.EVIDENCE;
import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;
import static io.relaywatch.schema.FieldType.TIMESTAMP;

/** Columns of {@code findings}: one row per detection rule firing on one entity (an IP, a network, a user, a host). */
public enum FindingColumn implements Column {
    FINDING_ID(STRING, "event.id", "Stable id of the finding: a hash of rule, entity and first_seen, the same on every run over the same data."),
    RULE(STRING, "rule.name", "The rule that fired (proxy_probe, relay_probe, ...); see the rules table in the README."),
    SEVERITY(STRING, "event.severity", "info, low, medium, high or critical."),
    SCORE(DOUBLE, "event.risk_score", "0-100: how strongly the evidence supports the finding, for sorting within a severity."),
    ENTITY_TYPE(STRING, "", "What the finding is about: ip, cidr, asn, user, host or chain."),
    ENTITY(STRING, "", "The entity itself: an address, a network in CIDR notation, a user name, a host name."),
    COUNTRY(STRING, "source.geo.country_iso_code", "For ip and cidr entities: the country from the GeoIP database, or private, cgnat, loopback or reserved; null if unknown or not an address."),
    ASN(STRING, "source.as.organization.name", "For ip and cidr entities: the autonomous system (AS number and organisation) from the bundled IP-to-ASN ranges, or null."),
    FIRST_SEEN(TIMESTAMP, "event.start", "Time of the first event behind the finding, in UTC."),
    LAST_SEEN(TIMESTAMP, "event.end", "Time of the last event behind the finding, in UTC."),
    EVENT_COUNT(LONG, "", "How many events support the finding (evidence lists at most a capped number of them)."),
    SUMMARY(STRING, "message", "One sentence for a person, naming the numbers."),
    EVIDENCE(FieldType.EVIDENCE, "", "Pointers to the raw lines that prove the finding: table, source_file, source_line (capped).");

    private final Spec spec;

    FindingColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
