-- mta_hop_chain: messages handed from one MTA to another, joined through the id the next MTA gave them ("queued as",
-- next_queue_id = queue_id there), or, where an MTA logs no such id, through the Message-ID both MTAs saw. One
-- finding per hop (upstream -> downstream); high when the upstream MTA took the messages from unauthenticated outside
-- clients, i.e. the chain carries relayed mail for whole outside ranges.
WITH by_queue_id AS (
  SELECT up.mta_host AS upstream, down.mta_host AS downstream, up.queue_id AS up_queue,
         least(up.ts, down.ts) AS ts, up.source_file AS up_file, up.source_line AS up_line,
         down.source_file AS down_file, down.source_line AS down_line
  FROM smtp_events up
  JOIN smtp_events down
    ON up.next_queue_id = down.queue_id AND up.mta_host <> down.mta_host
  WHERE up.event = 'delivered' AND up.next_queue_id IS NOT NULL AND down.event = 'message_accepted'
),
message_ids AS (
  -- per MTA and message: its Message-ID, when the first hop was accepted, and whether it was delivered onwards
  SELECT mta_host, queue_id, max(message_id) AS message_id, min(ts) AS first_ts,
         max(CASE WHEN event = 'delivered' AND next_queue_id IS NULL THEN 1 ELSE 0 END) AS sent_without_id,
         min(source_file) AS file, min(source_line) AS line
  FROM smtp_events
  WHERE queue_id IS NOT NULL AND mta_host IS NOT NULL
  GROUP BY mta_host, queue_id
  HAVING max(message_id) IS NOT NULL
),
by_message_id AS (
  SELECT up.mta_host AS upstream, down.mta_host AS downstream, up.queue_id AS up_queue,
         least(up.first_ts, down.first_ts) AS ts, up.file AS up_file, up.line AS up_line,
         down.file AS down_file, down.line AS down_line
  FROM message_ids up
  JOIN message_ids down
    ON up.message_id = down.message_id AND up.mta_host <> down.mta_host AND up.first_ts <= down.first_ts
  WHERE up.sent_without_id = 1
),
hops AS (
  SELECT * FROM by_queue_id
  UNION ALL
  SELECT m.* FROM by_message_id m
  LEFT ANTI JOIN by_queue_id q ON q.upstream = m.upstream AND q.up_queue = m.up_queue
),
origins AS (
  SELECT mta_host, queue_id, client_ip, sasl_username
  FROM smtp_events
  WHERE event = 'message_accepted' AND queue_id IS NOT NULL
)
SELECT 'mta_hop_chain' AS rule,
       CASE WHEN count(DISTINCT o.client_ip) FILTER (WHERE o.client_ip IS NOT NULL AND NOT is_local(o.client_ip)
                                                     AND o.sasl_username IS NULL) >= ${min_outside_clients}
            THEN 'high' ELSE 'info' END AS severity,
       least(100.0, 20.0 + 8.0 * log2(count(DISTINCT h.up_queue))) AS score,
       'chain' AS entity_type, concat(h.upstream, ' -> ', h.downstream) AS entity,
       min(h.ts) AS first_seen, max(h.ts) AS last_seen, count(DISTINCT h.up_queue) AS event_count,
       format_string('%d messages went %s -> %s; upstream took them from %d unauthenticated outside addresses in %d /24 networks.',
                     count(DISTINCT h.up_queue), h.upstream, h.downstream,
                     count(DISTINCT o.client_ip) FILTER (WHERE o.client_ip IS NOT NULL AND NOT is_local(o.client_ip) AND o.sasl_username IS NULL),
                     count(DISTINCT subnet_of(o.client_ip)) FILTER (WHERE o.client_ip IS NOT NULL AND NOT is_local(o.client_ip) AND o.sasl_username IS NULL)) AS summary,
       -- both lines of each hop, the first ${evidence_cap} of them, gathered in O(cap) memory
       evidence_first2('smtp_events', h.up_file, h.up_line, 'smtp_events', h.down_file, h.down_line).pointers
           AS evidence
FROM hops h
LEFT JOIN origins o ON o.mta_host = h.upstream AND o.queue_id = h.up_queue
GROUP BY h.upstream, h.downstream
HAVING count(DISTINCT h.up_queue) >= ${min_messages}
