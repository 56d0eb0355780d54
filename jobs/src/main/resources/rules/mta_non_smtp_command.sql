-- mta_non_smtp_command: an MTA received HTTP on its SMTP port. From a local peer (localhost, the web server) it means
-- a proxy is relaying web requests into the MTA, the classic open-proxy spam path.
SELECT
  'mta_non_smtp_command' AS rule,
  CASE WHEN is_local(client_ip) THEN 'high' ELSE 'medium' END AS severity,
  least(100.0, 50.0 + 10.0 * log2(commands)) AS score,
  'ip' AS entity_type,
  client_ip AS entity,
  first_seen, last_seen,
  commands AS event_count,
  format_string('%s sent %d HTTP requests to the SMTP service of %s (%s), e.g. "%s".',
                client_ip, commands, coalesce(mta_host, 'an unnamed MTA'),
                CASE WHEN is_local(client_ip) THEN 'a local peer: something on that host relays web traffic into the MTA'
                     ELSE 'an outside peer probing for proxies' END,
                example) AS summary,
  evidence
FROM (
  SELECT client_ip, mta_host,
         count(*) AS commands,
         min(ts) AS first_seen, max(ts) AS last_seen,
         min(reason) AS example,
         ${evidence:smtp_events} AS evidence
  FROM smtp_events
  WHERE event = 'non_smtp_command' AND client_ip IS NOT NULL AND NOT is_allowed(client_ip)
  GROUP BY client_ip, mta_host
) relayed
WHERE commands >= ${min_commands}
