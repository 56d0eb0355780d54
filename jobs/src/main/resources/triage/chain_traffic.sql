-- chain_traffic: the traffic over one MTA chain ('upstream -> downstream', as mta_hop_chain names it): per hour, the
-- messages the upstream MTA handed to the downstream one, and from how many outside clients it had taken them.
-- Parameters: :chain (e.g. 'branch-mx -> mx1').
WITH hop AS (
  SELECT trim(element_at(split(:chain, ' -> '), 1)) AS upstream, trim(element_at(split(:chain, ' -> '), 2)) AS downstream
),
hosts AS (
  -- files without a host field (Exim's mainlog) are named after their folder, as the rules do
  SELECT *, coalesce(mta_host, regexp_extract(source_file, '([^/]+)/[^/]+$', 1)) AS mta
  FROM smtp_events
),
handed AS (
  SELECT e.ts, e.mta, e.queue_id
  FROM hosts e, hop
  WHERE e.event = 'delivered' AND e.mta = hop.upstream
    AND (e.relay_host = hop.downstream OR e.relay_host LIKE concat(hop.downstream, '.%'))
),
origins AS (
  SELECT mta, queue_id, client_ip, sasl_username
  FROM hosts
  WHERE event = 'message_accepted'
)
SELECT date_trunc('HOUR', h.ts) AS hour, count(DISTINCT h.queue_id) AS messages,
       count(DISTINCT o.client_ip) AS clients,
       count(DISTINCT o.client_ip) FILTER (WHERE o.sasl_username IS NULL) AS unauthenticated_clients
FROM handed h
LEFT JOIN origins o ON o.mta = h.mta AND o.queue_id = h.queue_id
GROUP BY date_trunc('HOUR', h.ts)
ORDER BY hour
