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
per_session AS (
  SELECT u.mta, u.session, min(u.ts) AS started, min(u.client_ip) AS client_ip,
         count(DISTINCT u.queue_id) FILTER (WHERE u.event = 'message_accepted') AS messages,
         sum(coalesce(u.nrcpt, 1)) FILTER (WHERE u.event = 'message_accepted') AS recipients
  FROM used u
  GROUP BY u.mta, u.session
),
helos AS (
  -- the HELO name is often logged by someone else (a Zeek sensor, the MTA's reject lines): any event of the same
  -- client address from a minute before the session's first use to a minute after its last
  SELECT s.mta, s.session, collect_set(h.helo) AS names
  FROM (SELECT mta, session, min(client_ip) AS client_ip, min(ts) AS first_ts, max(ts) AS last_ts
        FROM used GROUP BY mta, session) s
  JOIN hosts h ON h.client_ip = s.client_ip AND h.helo IS NOT NULL
              AND h.ts BETWEEN s.first_ts - INTERVAL 60 SECONDS AND s.last_ts + INTERVAL 60 SECONDS
  GROUP BY s.mta, s.session
)
SELECT date_trunc('HOUR', s.started) AS hour, count(*) AS sessions, count(DISTINCT s.client_ip) AS addresses,
       concat_ws(', ', array_sort(collect_set(coalesce(i.country, CASE WHEN i.ip IS NULL THEN 'local' END)))) AS countries,
       concat_ws(', ', slice(array_sort(collect_set(i.asn)), 1, 3)) AS asns,
       size(array_distinct(flatten(collect_list(coalesce(h.names, array()))))) AS helo_names, min(s.client_ip) AS example_address,
       sum(s.messages) AS messages, sum(coalesce(s.recipients, 0)) AS recipients
FROM per_session s
LEFT JOIN ip_info i ON i.ip = s.client_ip
LEFT JOIN helos h ON h.mta = s.mta AND h.session = s.session
GROUP BY date_trunc('HOUR', s.started)
ORDER BY hour
