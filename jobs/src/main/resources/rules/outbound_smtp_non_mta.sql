-- outbound_smtp_non_mta: only MTAs should talk SMTP to the internet. An internal host that connects to port 25 of
-- outside addresses is usually infected (spam bot) or misconfigured. MTAs come from the config and from the mail logs
-- (internal addresses that other MTAs deliver to).
SELECT 'outbound_smtp_non_mta' AS rule,
       CASE WHEN allowed > 0 THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 40.0 + 10.0 * log2(destinations)) AS score,
       'ip' AS entity_type, src_ip AS entity,
       first_seen, last_seen, connections AS event_count,
       format_string('Internal host %s, not an MTA, connected to port 25 of %d outside addresses (%d connections, %d let through), seen by %s.',
                     src_ip, destinations, connections, allowed, devices) AS summary,
       evidence
FROM (
  SELECT src_ip,
         count(DISTINCT dst_ip) AS destinations,
         count(*) AS connections,
         count_if(action IN ('allow', 'close')) AS allowed,
         concat_ws(', ', array_sort(collect_set(log_format))) AS devices,
         min(ts) AS first_seen, max(ts) AS last_seen,
         ${evidence:firewall_events} AS evidence
  FROM firewall_events
  WHERE dst_port = 25 AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
    AND is_local(src_ip) AND NOT is_local(dst_ip) AND NOT is_allowed(src_ip)
    AND src_ip NOT IN (SELECT ip FROM mtas)
  GROUP BY src_ip
) talkers
WHERE destinations >= ${min_destinations}
