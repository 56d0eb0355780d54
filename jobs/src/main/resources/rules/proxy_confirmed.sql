-- proxy_confirmed: proof that a web server really proxied. A 200 alone is not proof (servers answer absolute-form
-- requests for their own sites); proof is a 2xx to an absolute-URL or CONNECT request, followed within
-- ${follow_seconds} seconds either by the same host's MTA accepting mail from localhost (SMTP ports), or by a firewall
-- seeing a local host connect out to the named port (and address, when the target names one).
WITH answered AS (
  SELECT lower(split(server, '\\.')[0]) AS host, ts, client_ip, url_host, url_port, source_file, source_line
  FROM http_requests
  WHERE is_absolute_url AND coalesce(log_format, '') <> 'squid' AND server IS NOT NULL
    AND status BETWEEN 200 AND 299 AND url_port IS NOT NULL
),
followed AS (
  SELECT a.*, 'smtp_events' AS proof_table, m.source_file AS mail_file, m.source_line AS mail_line
  FROM answered a
  JOIN smtp_events m
    ON lower(split(m.mta_host, '\\.')[0]) = a.host AND m.event = 'message_accepted'
   AND m.client_ip IN ('127.0.0.1', '::1') AND m.sasl_username IS NULL
   AND m.ts BETWEEN a.ts AND a.ts + INTERVAL ${follow_seconds} SECONDS
  WHERE a.url_port IN (25, 465, 587)
  UNION ALL
  SELECT a.*, 'firewall_events' AS proof_table, f.source_file AS mail_file, f.source_line AS mail_line
  FROM answered a
  JOIN firewall_events f
    ON f.dst_port = a.url_port AND is_local(f.src_ip) AND NOT is_local(f.dst_ip)
   AND coalesce(f.action, 'allow') <> 'deny'
   AND f.ts BETWEEN a.ts AND a.ts + INTERVAL ${follow_seconds} SECONDS
  -- a named address must match; a host name only counts on SMTP ports, where outbound traffic is rare
  WHERE (f.dst_ip = a.url_host OR (subnet_of(a.url_host) IS NULL AND a.url_port IN (25, 465, 587)))
    AND NOT EXISTS (SELECT 1 FROM mtas WHERE mtas.ip = f.src_ip)
)
SELECT 'proxy_confirmed' AS rule,
       'critical' AS severity,
       least(100.0, 70.0 + 5.0 * log2(count(DISTINCT source_line))) AS score,
       'host' AS entity_type, host AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(DISTINCT source_file, source_line) AS event_count,
       format_string('Web server %s proxied: %d answered requests for %s were followed within %d s by mail accepted from localhost by its MTA or by outbound connections to the named port.',
                     host, count(DISTINCT source_file, source_line),
                     concat_ws(', ', least_distinct(concat(url_host, ':', url_port), 3).values),
                     ${follow_seconds}) AS summary,
       -- the request and its proof, the first ${evidence_cap} of them, gathered in O(cap) memory
       evidence_first2('http_requests', source_file, source_line, proof_table, mail_file, mail_line).pointers
           AS evidence
FROM followed
GROUP BY host
HAVING count(DISTINCT source_file, source_line) >= ${min_confirmations}
