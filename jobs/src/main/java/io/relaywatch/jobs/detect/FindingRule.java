package io.relaywatch.jobs.detect;

import java.util.Locale;
import java.util.Map;

/**
 * The detection rules, each one SQL file in {@code jobs/src/main/resources/rules/} over the warehouse tables, with
 * named thresholds ({@code ${name}} in the SQL) and their defaults. Some files emit more than one rule id (a probe that
 * targets SMTP ports becomes {@code proxy_smtp_tunnel}); {@link #emits} lists them.
 */
public enum FindingRule {

    PROXY_PROBE("Absolute-URL or CONNECT requests sent to a web server (not to a forward proxy), per client; those "
            + "aimed at SMTP ports (25/465/587) are reported as proxy_smtp_tunnel, critical when answered 2xx.",
            Map.of("min_requests", 1.0, "many_requests", 20.0), "proxy_probe", "proxy_smtp_tunnel"),
    MTA_NON_SMTP_COMMAND("HTTP requests arriving on an MTA's SMTP port (Postfix 'non-SMTP command', Exim's "
            + "equivalent), per peer; high when the peer is local (a web server or proxy relayed them).",
            Map.of("min_commands", 1.0), "mta_non_smtp_command"),
    RELAY_PROBE("Relay-denied rejections (Relay access denied, relay not permitted, Relaying denied, Unable to relay),"
            + " per client and per /24.", Map.of("min_per_ip", 2.0, "min_ips_per_net", 3.0), "relay_probe"),
    AUTH_BRUTEFORCE("Failed logons per client (fail2ban's maxretry 5 by default) and per account tried from several "
            + "addresses: SMTP AUTH and Exchange's web logons (OWA, EWS, ActiveSync, ...).",
            Map.of("min_failures", 5.0, "many_failures", 50.0, "min_ips_per_user", 3.0), "auth_bruteforce"),
    HELO_ROTATION("One outside address or /24 presenting many different HELO names.",
            Map.of("min_helos_per_ip", 5.0, "min_helos_per_net", 10.0, "min_ips_per_net", 3.0), "helo_rotation"),
    OUTBOUND_SMTP_NON_MTA("Firewalls show an internal host other than the MTAs connecting to port 25 of outside "
            + "addresses; MTAs are configured or inferred (internal addresses other MTAs relay through).",
            Map.of("min_destinations", 3.0), "outbound_smtp_non_mta"),
    BLACKLISTED_BY_REMOTE("Remote servers refusing our MTA's mail while citing a DNS blocklist (spamhaus, spamcop, "
            + "barracuda, ...); our own DNSBL rejections of clients do not count.", Map.of("min_refusals", 1.0),
            "blacklisted_by_remote"),
    OPEN_RELAY_ACCEPTED("An MTA accepted and passed on mail from unauthenticated clients outside the local networks, "
            + "with sender and recipients outside the local domains (local domains configured or inferred from "
            + "mailbox deliveries); on Exchange also mail queued for outside recipients by an anonymous session "
            + "whose connector lets it relay.", Map.of("min_messages", 1.0, "many_messages", 100.0),
            "open_relay_accepted"),
    MTA_HOP_CHAIN("Relay chains: messages handed from one MTA to another, joined through the receiving MTA's queue "
            + "id ('queued as'); high when the upstream MTA took them from unauthenticated outside clients.",
            Map.of("min_messages", 1.0, "min_outside_clients", 10.0), "mta_hop_chain"),
    QUEUE_BACKLOG("An MTA whose deliveries are deferred at many recipient domains.",
            Map.of("min_deferrals", 50.0, "min_domains", 20.0), "queue_backlog"),
    BACKSCATTER("Bounces (null sender) sent to outside addresses: with forged senders, they hit third parties.",
            Map.of("min_bounces", 20.0), "backscatter"),
    AUTH_ACCOUNT_ABUSE("An authenticated account used from many outside addresses (10, as Exim's "
            + "DetectSMTPAuthAbuse), from several countries, holding long sessions, or sending far above its own "
            + "hourly median (median + 10 MAD).",
            Map.of("min_outside_ips", 10.0, "mad_factor", 10.0, "min_peak", 50.0, "min_hours", 3.0,
                    "min_countries", 3.0, "long_session_seconds", 120.0, "min_long_sessions", 3.0),
            "auth_account_abuse"),
    WEB_TO_SMTP_CHAIN("Mail submitted from localhost without authentication to a web host's MTA in the same minutes as "
            + "proxy-style requests hit that web server: clients -> web server -> MTA -> recipient domains.",
            Map.of("window_minutes", 2.0, "min_messages", 5.0, "many_messages", 50.0), "web_to_smtp_chain"),
    PROXY_CONFIRMED("A 2xx answer to an absolute-URL/CONNECT request for an SMTP port, followed within seconds by "
            + "the same host's MTA accepting mail from localhost: the web server really proxied.",
            Map.of("follow_seconds", 10.0, "min_confirmations", 1.0), "proxy_confirmed"),
    SMTP_FLOOD_SUBNET("Many addresses of one outside /24, or of one AS across several /24s, talking SMTP to our MTAs.",
            Map.of("min_ips", 10.0, "min_ips_per_asn", 20.0, "min_nets_per_asn", 2.0), "smtp_flood_subnet");

    private final String description;
    private final Map<String, Double> defaults;
    private final String[] emits;

    FindingRule(String description, Map<String, Double> defaults, String... emits) {
        this.description = description;
        this.defaults = defaults;
        this.emits = emits;
    }

    /** The rule's id (the SQL file's name). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    /** Threshold defaults by parameter name. */
    public Map<String, Double> defaults() {
        return defaults;
    }

    /** The rule ids this rule's findings carry. */
    public String[] emits() {
        return emits.clone();
    }

    /** The classpath resource holding the rule's SQL. */
    public String resource() {
        return "/rules/" + id() + ".sql";
    }
}
