-- open_relay_accepted: an MTA accepted mail from an unauthenticated client outside the local networks, for a sender
-- and recipients both outside the local domains, and passed it on. That is relaying for strangers: an open relay, or
-- a trust list (mynetworks, relay_from_hosts) far too wide. Messages are assembled per MTA and queue id, because the
-- client, the sender and the recipients sit on different lines in most MTA logs (and in two logs on Exchange: the
-- receive protocol log and message tracking share the queue's InternalId).
--
-- Exchange says more than most: a receive session's permissions name SMTPAcceptAnyRecipient when the connector lets
-- it relay (relay_permitted), so an anonymous session allowed to relay that had a message queued for an outside
-- recipient is relaying, even before (or without) a log of the delivery; message tracking marks mail that originated
-- in the organization (direction 'Originating': a mailbox or an authenticated client), which is not relaying.
-- Message tracking names no authenticated user, and neither do Exchange 2003's tracking logs: a client address that
-- authenticated at that MTA that day (its SMTP log's AUTH success) is taken to be a user, not a stranger.
WITH messages AS (
  SELECT mta_host, queue_id,
         max(CASE WHEN event = 'message_accepted' THEN client_ip END) AS client_ip,
         max(CASE WHEN event = 'message_accepted' THEN account END) AS account,
         max(direction = 'Originating') AS originating,
         max(sender) AS sender,
         -- delivered to an outside domain (a flag, not the set of domains: a message may have very many recipients)
         max(event = 'delivered' AND recipient IS NOT NULL
             AND NOT is_local_domain(lower(substring_index(recipient, '@', -1)))) AS outside_delivery,
         -- queued for an outside domain by a session that may relay to any (an Exchange connector open to relaying)
         max(event = 'message_accepted' AND relay_permitted AND account IS NULL AND recipient IS NOT NULL
             AND NOT is_local_domain(lower(substring_index(recipient, '@', -1)))) AS outside_accepted,
         to_date(min(ts)) AS day,
         min(ts) AS first_seen, max(ts) AS last_seen,
         evidence_first('smtp_events', source_file, source_line).pointers AS lines
  FROM smtp_events
  WHERE queue_id IS NOT NULL AND mta_host IS NOT NULL
  GROUP BY mta_host, queue_id
),
authenticated AS (
  SELECT DISTINCT mta_host, client_ip, to_date(ts) AS day FROM smtp_events
  WHERE event = 'auth_success' AND client_ip IS NOT NULL AND mta_host IS NOT NULL
),
relayed AS (
  SELECT m.* FROM messages m
  LEFT ANTI JOIN authenticated a ON a.mta_host = m.mta_host AND a.client_ip = m.client_ip AND a.day = m.day
  WHERE m.client_ip IS NOT NULL AND NOT is_local(m.client_ip) AND NOT is_allowed(m.client_ip) AND m.account IS NULL
    AND NOT coalesce(m.originating, false)
    AND m.sender LIKE '%@%'
    AND NOT is_local_domain(substring_index(m.sender, '@', -1))
    AND (m.outside_delivery OR m.outside_accepted)
)
SELECT 'open_relay_accepted' AS rule,
       CASE WHEN count(*) >= ${many_messages} THEN 'critical' ELSE 'high' END AS severity,
       least(100.0, 60.0 + 8.0 * log2(count(*))) AS score,
       'host' AS entity_type, mta_host AS entity,
       min(first_seen) AS first_seen, max(last_seen) AS last_seen, count(*) AS event_count,
       format_string('%s relayed %d messages for unauthenticated outside clients (%d addresses in %d /24 networks, e.g. %s) from outside senders to outside domains.',
                     mta_host, count(*), count(DISTINCT client_ip), count(DISTINCT subnet_of(client_ip)),
                     concat_ws(', ', least_distinct(subnet_of(client_ip), 3).values)) AS summary,
       -- up to three lines of each message, the first ${evidence_cap} of them, gathered in O(cap) memory
       evidence_first3(try_element_at(lines, 1).table, try_element_at(lines, 1).source_file, try_element_at(lines, 1).source_line,
                       try_element_at(lines, 2).table, try_element_at(lines, 2).source_file, try_element_at(lines, 2).source_line,
                       try_element_at(lines, 3).table, try_element_at(lines, 3).source_file, try_element_at(lines, 3).source_line).pointers AS evidence
FROM relayed
GROUP BY mta_host
HAVING count(*) >= ${min_messages}
