package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.DATE;
import static io.relaywatch.schema.FieldType.INT;
import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;
import static io.relaywatch.schema.FieldType.TIMESTAMP;

/** Columns of {@code firewall_events}: one row per connection or packet decision logged by a firewall. */
public enum FirewallEventColumn implements Column {
    TS(TIMESTAMP, "@timestamp", "When the firewall logged the event, in UTC."),
    DEVICE(STRING, "observer.name", "The firewall that logged it (syslog host, devname, serial), or null."),
    ACTION(STRING, "event.outcome", "Normalized decision: allow, deny (dropped or rejected) or close (connection teardown)."),
    VENDOR_ACTION(STRING, "event.action", "The decision as the device wrote it (ACCEPT, DROP, Built, Teardown, block, pass, ...)."),
    DIRECTION(STRING, "network.direction", "inbound, outbound or internal where the device says or interfaces imply; null otherwise."),
    PROTOCOL(STRING, "network.transport", "Transport protocol in lower case (tcp, udp, icmp, ...)."),
    SRC_IP(STRING, "source.ip", "Source address (the connection's originator)."),
    SRC_PORT(INT, "source.port", "Source port of the connection or packet."),
    DST_IP(STRING, "destination.ip", "Destination address of the connection or packet."),
    DST_PORT(INT, "destination.port", "Destination port of the connection or packet."),
    NAT_SRC_IP(STRING, "source.nat.ip", "Translated source address, where logged."),
    IN_INTERFACE(STRING, "observer.ingress.interface.name", "Interface or zone the packet came in on."),
    OUT_INTERFACE(STRING, "observer.egress.interface.name", "Interface or zone the packet left on."),
    RULE(STRING, "rule.name", "Rule, policy or ACL that decided (log prefix, policy id, access-group)."),
    BYTES(LONG, "network.bytes", "Bytes of the packet or connection, both directions, where logged."),
    PACKETS(LONG, "network.packets", "Packets of the connection, where logged."),
    DURATION_S(LONG, "event.duration", "Connection duration in seconds (teardown and session-end records)."),
    MESSAGE_ID(STRING, "event.code", "Vendor message or log id (ASA 302013, FortiGate logid, PAN subtype)."),
    MESSAGE(STRING, "message", "The device's text for events that are not a plain connection decision (so nothing is lost)."),
    LOG_FORMAT(STRING, "event.dataset", "Format the line was parsed as (iptables, cisco_asa, windows_firewall, pf_filterlog, fortigate, paloalto)."),
    SOURCE_FILE(STRING, "log.file.path", "URI of the file the line came from."),
    SOURCE_LINE(LONG, "log.origin.file.line", "1-based line number in the decompressed file."),
    EVENT_DATE(DATE, "", "UTC date of ts; the partition column.");

    private final Spec spec;

    FirewallEventColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
