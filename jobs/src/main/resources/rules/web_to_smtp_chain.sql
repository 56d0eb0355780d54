-- web_to_smtp_chain: mail submitted to a web host's MTA from localhost, without authentication, in the same minutes
-- as proxy-style requests to that web server: outside clients -> web server (proxy) -> MTA -> recipient domains. The
-- web server and the MTA are matched by host name (vhost www.acme.example and syslog host www).
WITH proxied AS (
  SELECT lower(split(server, '\\.')[0]) AS host, date_trunc('MINUTE', ts) AS minute, client_ip,
         source_file, source_line
  FROM http_requests
  WHERE is_absolute_url AND coalesce(log_format, '') <> 'squid' AND server IS NOT NULL AND client_ip IS NOT NULL
),
local_mail AS (
  SELECT lower(split(mta_host, '\\.')[0]) AS host, mta_host, queue_id, date_trunc('MINUTE', ts) AS minute, ts,
         source_file, source_line
  FROM smtp_events
  WHERE event = 'message_accepted' AND sasl_username IS NULL AND client_ip IN ('127.0.0.1', '::1')
),
matched AS (
  SELECT m.host, m.mta_host, m.queue_id, m.ts, m.source_file, m.source_line
  FROM local_mail m
  WHERE EXISTS (SELECT 1 FROM proxied p WHERE p.host = m.host
                AND p.minute BETWEEN m.minute - INTERVAL ${window_minutes} MINUTES AND m.minute)
),
deliveries AS (
  SELECT d.mta_host, d.queue_id, lower(substring_index(d.recipient, '@', -1)) AS domain, d.relay_host
  FROM smtp_events d
  WHERE d.event = 'delivered' AND d.recipient LIKE '%@%'
),
per_host AS (
  SELECT host, first(mta_host) AS mta_host, count(DISTINCT queue_id) AS messages, min(ts) AS first_seen,
         max(ts) AS last_seen,
         ${evidence:smtp_events} AS mail_evidence
  FROM matched GROUP BY host
),
web AS (
  SELECT host, count(*) AS requests, count(DISTINCT client_ip) AS clients,
         concat_ws(', ', least_distinct(subnet_of(client_ip), 3).values) AS client_nets,
         ${evidence:http_requests} AS web_evidence
  FROM proxied GROUP BY host
),
onward AS (
  SELECT m.host, count(DISTINCT d.domain) AS domains,
         concat_ws(', ', least_distinct(d.relay_host, 3).values) AS next_hops
  FROM matched m JOIN deliveries d ON d.mta_host = m.mta_host AND d.queue_id = m.queue_id
  GROUP BY m.host
)
SELECT 'web_to_smtp_chain' AS rule,
       CASE WHEN p.messages >= ${many_messages} THEN 'critical' ELSE 'high' END AS severity,
       least(100.0, 60.0 + 8.0 * log2(p.messages)) AS score,
       'chain' AS entity_type,
       concat(coalesce(w.client_nets, '?'), ' -> ', p.host, ' (web) -> ', p.mta_host, ' (MTA)') AS entity,
       p.first_seen, p.last_seen, p.messages AS event_count,
       format_string('%d proxy-style requests from %d clients (%s) hit web server %s while its MTA %s accepted %d unauthenticated messages from localhost, relayed via %s to %d recipient domains.',
                     w.requests, w.clients, w.client_nets, p.host, p.mta_host, p.messages,
                     coalesce(o.next_hops, 'nowhere yet'), coalesce(o.domains, 0)) AS summary,
       slice(concat(slice(w.web_evidence, 1, ${evidence_cap} DIV 2), p.mail_evidence), 1, ${evidence_cap}) AS evidence
FROM per_host p
JOIN web w ON w.host = p.host
LEFT JOIN onward o ON o.host = p.host
WHERE p.messages >= ${min_messages}
