-- open_relay_accepted: an MTA accepted mail from an unauthenticated client outside the local networks, for a sender
-- and recipients both outside the local domains, and passed it on. That is relaying for strangers: an open relay, or
-- a trust list (mynetworks, relay_from_hosts) far too wide. Messages are assembled per MTA and queue id, because the
-- client, the sender and the recipients sit on different lines in most MTA logs.
WITH messages AS (
  SELECT mta_host, queue_id,
         max(CASE WHEN event = 'message_accepted' THEN client_ip END) AS client_ip,
         max(CASE WHEN event = 'message_accepted' THEN sasl_username END) AS sasl_username,
         max(sender) AS sender,
         collect_set(CASE WHEN event = 'delivered' THEN lower(substring_index(recipient, '@', -1)) END) AS delivered_domains,
         min(ts) AS first_seen, max(ts) AS last_seen,
         collect_list(named_struct('table', 'smtp_events', 'source_file', source_file, 'source_line', source_line)) AS lines
  FROM smtp_events
  WHERE queue_id IS NOT NULL AND mta_host IS NOT NULL
  GROUP BY mta_host, queue_id
),
relayed AS (
  SELECT * FROM messages
  WHERE client_ip IS NOT NULL AND NOT is_local(client_ip) AND NOT is_allowed(client_ip) AND sasl_username IS NULL
    AND sender LIKE '%@%'
    AND NOT is_local_domain(substring_index(sender, '@', -1))
    AND exists(delivered_domains, d -> NOT is_local_domain(d))
)
SELECT 'open_relay_accepted' AS rule,
       CASE WHEN count(*) >= ${many_messages} THEN 'critical' ELSE 'high' END AS severity,
       least(100.0, 60.0 + 8.0 * log2(count(*))) AS score,
       'host' AS entity_type, mta_host AS entity,
       min(first_seen) AS first_seen, max(last_seen) AS last_seen, count(*) AS event_count,
       format_string('%s relayed %d messages for unauthenticated outside clients (%d addresses in %d /24 networks, e.g. %s) from outside senders to outside domains.',
                     mta_host, count(*), count(DISTINCT client_ip), count(DISTINCT subnet_of(client_ip)),
                     concat_ws(', ', slice(array_sort(collect_set(subnet_of(client_ip))), 1, 3))) AS summary,
       slice(array_sort(flatten(collect_list(slice(lines, 1, 3)))), 1, ${evidence_cap}) AS evidence
FROM relayed
GROUP BY mta_host
HAVING count(*) >= ${min_messages}
