-- proxy_confirmed: proof that a web server really proxied. A 200 alone is not proof (servers answer absolute-form
-- requests for their own sites); proof is a 2xx to an absolute-URL or CONNECT request aimed at an SMTP port, followed
-- within ${follow_seconds} seconds by the same host's MTA accepting mail from localhost, or by that host connecting
-- out to the named port (firewall, when the web server's address is configured as a local network).
WITH answered AS (
  SELECT lower(split(server, '\\.')[0]) AS host, ts, client_ip, url_host, url_port, source_file, source_line
  FROM http_requests
  WHERE is_absolute_url AND coalesce(log_format, '') <> 'squid' AND server IS NOT NULL
    AND status BETWEEN 200 AND 299 AND url_port IN (25, 465, 587)
),
followed AS (
  SELECT a.*, m.source_file AS mail_file, m.source_line AS mail_line
  FROM answered a
  JOIN smtp_events m
    ON lower(split(m.mta_host, '\\.')[0]) = a.host AND m.event = 'message_accepted'
   AND m.client_ip IN ('127.0.0.1', '::1') AND m.sasl_username IS NULL
   AND m.ts BETWEEN a.ts AND a.ts + INTERVAL ${follow_seconds} SECONDS
)
SELECT 'proxy_confirmed' AS rule,
       'critical' AS severity,
       least(100.0, 70.0 + 5.0 * log2(count(DISTINCT source_line))) AS score,
       'host' AS entity_type, host AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(DISTINCT source_file, source_line) AS event_count,
       format_string('Web server %s proxied to SMTP: %d answered requests for %s were followed within %d s by mail accepted from localhost by its MTA.',
                     host, count(DISTINCT source_file, source_line),
                     concat_ws(', ', slice(array_sort(collect_set(concat(url_host, ':', url_port))), 1, 3)),
                     ${follow_seconds}) AS summary,
       slice(array_sort(flatten(collect_list(array(
             named_struct('table', 'http_requests', 'source_file', source_file, 'source_line', source_line),
             named_struct('table', 'smtp_events', 'source_file', mail_file, 'source_line', mail_line))))), 1,
             ${evidence_cap}) AS evidence
FROM followed
GROUP BY host
HAVING count(DISTINCT source_file, source_line) >= ${min_confirmations}
