-- helo_rotation: a real MTA presents one stable name; bots and stolen-credential senders invent one per connection.
WITH helos AS (
  SELECT ts, client_ip, subnet_of(client_ip) AS net, lower(helo) AS helo, source_file, source_line
  FROM smtp_events
  WHERE helo IS NOT NULL AND client_ip IS NOT NULL AND NOT is_local(client_ip) AND NOT is_allowed(client_ip)
)
SELECT 'helo_rotation' AS rule,
       CASE WHEN count(DISTINCT helo) >= 4 * ${min_helos_per_ip} THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 30.0 + 10.0 * log2(count(DISTINCT helo))) AS score,
       'ip' AS entity_type, client_ip AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%s presented %d different HELO names in %d SMTP events.', client_ip, count(DISTINCT helo),
                     count(*)) AS summary,
       ${evidence:smtp_events} AS evidence
FROM helos
GROUP BY client_ip
HAVING count(DISTINCT helo) >= ${min_helos_per_ip}
UNION ALL
SELECT 'helo_rotation' AS rule,
       'high' AS severity,
       least(100.0, 50.0 + 10.0 * log2(count(DISTINCT helo))) AS score,
       'cidr' AS entity_type, net AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%d addresses of %s presented %d different HELO names.', count(DISTINCT client_ip), net,
                     count(DISTINCT helo)) AS summary,
       ${evidence:smtp_events} AS evidence
FROM helos
WHERE net IS NOT NULL
GROUP BY net
HAVING count(DISTINCT helo) >= ${min_helos_per_net} AND count(DISTINCT client_ip) >= ${min_ips_per_net}
