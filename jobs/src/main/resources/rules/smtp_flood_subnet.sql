-- smtp_flood_subnet: many addresses of one outside /24, or of one autonomous system across several /24s, talking SMTP
-- to our MTAs: one actor spread over a network, the basis for blocking the network rather than chasing addresses.
SELECT 'smtp_flood_subnet' AS rule,
       CASE WHEN count(DISTINCT client_ip) >= 3 * ${min_ips} THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 30.0 + 10.0 * log2(count(DISTINCT client_ip))) AS score,
       'cidr' AS entity_type, subnet_of(client_ip) AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%d addresses of %s produced %d SMTP events at %d MTA(s).', count(DISTINCT client_ip),
                     subnet_of(client_ip), count(*), count(DISTINCT mta_host)) AS summary,
       ${evidence:smtp_events} AS evidence
FROM smtp_events
WHERE client_ip IS NOT NULL AND NOT is_local(client_ip) AND NOT is_allowed(client_ip)
  AND subnet_of(client_ip) IS NOT NULL
GROUP BY subnet_of(client_ip)
HAVING count(DISTINCT client_ip) >= ${min_ips}
UNION ALL
SELECT 'smtp_flood_subnet' AS rule,
       'medium' AS severity,
       least(100.0, 20.0 + 10.0 * log2(count(DISTINCT client_ip))) AS score,
       'asn' AS entity_type, asn AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%d addresses in %d /24 networks of %s produced %d SMTP events at %d MTA(s).',
                     count(DISTINCT client_ip), count(DISTINCT subnet_of(client_ip)), asn, count(*),
                     count(DISTINCT mta_host)) AS summary,
       ${evidence:smtp_events} AS evidence
FROM (SELECT *, asn_of(client_ip) AS asn FROM smtp_events
      WHERE client_ip IS NOT NULL AND NOT is_local(client_ip) AND NOT is_allowed(client_ip)) with_asn
WHERE asn IS NOT NULL
GROUP BY asn
HAVING count(DISTINCT client_ip) >= ${min_ips_per_asn} AND count(DISTINCT subnet_of(client_ip)) >= ${min_nets_per_asn}
