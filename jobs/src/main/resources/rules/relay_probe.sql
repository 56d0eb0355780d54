-- relay_probe: clients our MTAs refused to relay for, per address and per /24 (many addresses of one network probing
-- together are one actor; the /24 is what a blocklist should carry).
WITH denied AS (
  SELECT ts, client_ip, subnet_of(client_ip) AS net, source_file, source_line
  FROM smtp_events
  WHERE event = 'reject' AND client_ip IS NOT NULL AND NOT is_local(client_ip) AND NOT is_allowed(client_ip)
    AND (reason RLIKE '(?i)relay access denied|relay not permitted|relaying denied|unable to relay')
)
SELECT 'relay_probe' AS rule,
       CASE WHEN count(*) >= 10 * ${min_per_ip} THEN 'medium' ELSE 'low' END AS severity,
       least(100.0, 20.0 + 10.0 * log2(count(*))) AS score,
       'ip' AS entity_type, client_ip AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%s was refused relaying %d times.', client_ip, count(*)) AS summary,
       ${evidence:smtp_events} AS evidence
FROM denied
GROUP BY client_ip
HAVING count(*) >= ${min_per_ip}
UNION ALL
SELECT 'relay_probe' AS rule,
       CASE WHEN count(DISTINCT client_ip) >= 3 * ${min_ips_per_net} THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 40.0 + 10.0 * log2(count(DISTINCT client_ip))) AS score,
       'cidr' AS entity_type, net AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%d addresses of %s were refused relaying %d times in all.', count(DISTINCT client_ip), net,
                     count(*)) AS summary,
       ${evidence:smtp_events} AS evidence
FROM denied
WHERE net IS NOT NULL
GROUP BY net
HAVING count(DISTINCT client_ip) >= ${min_ips_per_net}
