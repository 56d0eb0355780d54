-- smtp_flood_subnet: many addresses of one outside /24 talking SMTP to our MTAs: one actor spread over a network,
-- the basis for blocking the network rather than chasing addresses.
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
