-- mail_timeline: per hour (UTC), messages the MTAs accepted, how many of those came from an entity a finding names
-- (an address, its network, the authenticated user, or localhost on a host found proxying), and refusals and
-- deferrals. The report's timeline of mail volume against detected abuse.
-- Parameters: none.
WITH accepted AS (
  SELECT e.ts, e.mta_host, e.client_ip, e.sasl_username, i.network
  FROM smtp_events e
  LEFT JOIN ip_info i ON i.ip = e.client_ip
  WHERE e.event = 'message_accepted' AND e.ts IS NOT NULL
),
abusive AS (
  SELECT DISTINCT a.ts, a.mta_host, a.client_ip, a.sasl_username
  FROM accepted a
  JOIN findings f
    ON (f.entity_type = 'ip' AND f.entity = a.client_ip)
    OR (f.entity_type = 'cidr' AND f.entity = a.network)
    OR (f.entity_type = 'user' AND f.severity IN ('high', 'critical') AND f.entity = a.sasl_username)
    OR (f.rule = 'proxy_confirmed' AND f.entity = a.mta_host AND a.client_ip IN ('127.0.0.1', '::1'))
),
hours AS (
  SELECT date_trunc('HOUR', ts) AS hour,
         count_if(event = 'message_accepted') AS messages,
         count_if(event = 'reject') AS rejects,
         count_if(event = 'deferred') AS deferred
  FROM smtp_events
  WHERE ts IS NOT NULL
  GROUP BY date_trunc('HOUR', ts)
)
SELECT h.hour, h.messages, coalesce(a.abusive, 0) AS abusive_messages, h.rejects, h.deferred
FROM hours h
LEFT JOIN (SELECT date_trunc('HOUR', ts) AS hour, count(*) AS abusive FROM abusive GROUP BY 1) a ON a.hour = h.hour
ORDER BY h.hour
