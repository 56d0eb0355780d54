-- user_sessions: one SMTP AUTH user's sessions over time: per hour, how many sessions submitted mail as the user, from
-- how many addresses (countries, AS), with how many HELO names, and how many messages and recipients.
-- Parameters: :user (the sasl_username, e.g. 'jmeier').
WITH hosts AS (
  -- files without a host field (Exim's mainlog) are named after their folder, as the rules do
  SELECT *, coalesce(mta_host, regexp_extract(source_file, '([^/]+)/[^/]+$', 1)) AS mta
  FROM smtp_events
),
used AS (
  SELECT ts, mta, client_ip, coalesce(session_id, concat_ws('/', client_ip, cast(client_port AS STRING))) AS session,
         queue_id, event, nrcpt
  FROM hosts
  WHERE sasl_username = :user AND event IN ('auth_success', 'message_accepted')
),
helos AS (
  SELECT DISTINCT h.mta, h.session_id AS session, h.helo
  FROM hosts h
  JOIN (SELECT DISTINCT mta, session FROM used) u ON u.mta = h.mta AND u.session = h.session_id
  WHERE h.helo IS NOT NULL
),
per_session AS (
  SELECT u.mta, u.session, min(u.ts) AS started, min(u.client_ip) AS client_ip,
         count(DISTINCT u.queue_id) FILTER (WHERE u.event = 'message_accepted') AS messages,
         sum(coalesce(u.nrcpt, 1)) FILTER (WHERE u.event = 'message_accepted') AS recipients
  FROM used u
  GROUP BY u.mta, u.session
)
SELECT date_trunc('HOUR', s.started) AS hour, count(*) AS sessions, count(DISTINCT s.client_ip) AS addresses,
       concat_ws(', ', array_sort(collect_set(coalesce(i.country, CASE WHEN i.ip IS NULL THEN 'local' END)))) AS countries,
       concat_ws(', ', slice(array_sort(collect_set(i.asn)), 1, 3)) AS asns,
       count(DISTINCT h.helo) AS helo_names, min(s.client_ip) AS example_address,
       sum(s.messages) AS messages, sum(coalesce(s.recipients, 0)) AS recipients
FROM per_session s
LEFT JOIN ip_info i ON i.ip = s.client_ip
LEFT JOIN helos h ON h.mta = s.mta AND h.session = s.session
GROUP BY date_trunc('HOUR', s.started)
ORDER BY hour
