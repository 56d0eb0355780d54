-- auth_account_abuse: one authenticated account used far beyond its own habits: from many outside addresses or
-- networks in a day (Exim's DetectSMTPAuthAbuse counts 10 addresses), or sending far more in an hour than its usual
-- hours (robust: median and median absolute deviation of the account's own hourly counts), or from several
-- countries (GeoIP) in the period, or holding many long SMTP sessions (senders of stolen accounts keep a session
-- open for minutes to push many messages; mail clients disconnect within seconds).
WITH numbered AS (
  -- sessions: the lines of one smtpd process between a connect and the next connect
  SELECT mta_host, session_id, ts, event, account,
         sum(CASE WHEN event = 'connect' THEN 1 ELSE 0 END)
             OVER (PARTITION BY mta_host, session_id ORDER BY ts, source_line ROWS UNBOUNDED PRECEDING) AS nth
  FROM smtp_events
  WHERE session_id IS NOT NULL
),
sessions AS (
  SELECT max(account) AS user_name,
         unix_timestamp(max(ts)) - unix_timestamp(min(ts)) AS seconds
  FROM numbered
  WHERE nth > 0
  GROUP BY mta_host, session_id, nth
  HAVING max(account) IS NOT NULL
     AND max(CASE WHEN event IN ('disconnect', 'lost_connection') THEN 1 ELSE 0 END) = 1
),
long_sessions AS (
  SELECT user_name, count(*) AS long_sessions FROM sessions WHERE seconds >= ${long_session_seconds}
  GROUP BY user_name
),
accepted AS (
  -- one row per message: Exchange logs a message once per recipient, in its receive log and again in message
  -- tracking (both under the queue's InternalId); other MTAs once
  SELECT ts, account AS user_name, client_ip, source_file, source_line,
         row_number() OVER (PARTITION BY mta_host, queue_id ORDER BY ts, source_file, source_line) AS copy
  FROM smtp_events
  WHERE account IS NOT NULL AND event = 'message_accepted' AND queue_id IS NOT NULL AND mta_host IS NOT NULL
),
auth AS (
  SELECT ts, user_name, client_ip, source_file, source_line FROM accepted WHERE copy = 1
  UNION ALL
  SELECT ts, account, client_ip, source_file, source_line
  FROM smtp_events
  WHERE account IS NOT NULL AND event = 'message_accepted' AND (queue_id IS NULL OR mta_host IS NULL)
),
hourly AS (
  SELECT user_name, date_trunc('HOUR', ts) AS hour, count(*) AS messages FROM auth GROUP BY user_name, date_trunc('HOUR', ts)
),
baseline AS (
  SELECT user_name, percentile_approx(messages, 0.5) AS median FROM hourly GROUP BY user_name
),
spread AS (
  SELECT h.user_name, b.median, percentile_approx(abs(h.messages - b.median), 0.5) AS mad, max(h.messages) AS peak,
         count(*) AS hours
  FROM hourly h JOIN baseline b ON h.user_name = b.user_name
  GROUP BY h.user_name, b.median
),
usage AS (
  SELECT a.user_name,
         count(*) AS messages,
         count(DISTINCT a.client_ip) FILTER (WHERE NOT is_local(a.client_ip)) AS outside_ips,
         count(DISTINCT subnet_of(a.client_ip)) FILTER (WHERE NOT is_local(a.client_ip)) AS outside_nets,
         concat_ws(', ', array_sort(collect_set(country_of(a.client_ip)) FILTER (WHERE NOT is_local(a.client_ip))))
             AS countries,
         count(DISTINCT country_of(a.client_ip)) FILTER (WHERE NOT is_local(a.client_ip)) AS country_count,
         max(s.peak) AS peak, max(s.median) AS median, max(s.mad) AS mad, max(s.hours) AS hours,
         coalesce(max(l.long_sessions), 0) AS long_sessions,
         min(a.ts) AS first_seen, max(a.ts) AS last_seen,
         -- evidence_first: the first ${evidence_cap} pointers in O(cap) memory; a null table leaves the row out
         evidence_first(CASE WHEN NOT is_local(a.client_ip) THEN 'smtp_events' END, a.source_file, a.source_line).pointers
             AS evidence
  FROM auth a JOIN spread s ON a.user_name = s.user_name
  LEFT JOIN long_sessions l ON l.user_name = a.user_name
  WHERE NOT is_allowed(a.client_ip)
  GROUP BY a.user_name
)
SELECT 'auth_account_abuse' AS rule,
       CASE WHEN outside_ips >= ${min_outside_ips} AND peak > median + ${mad_factor} * greatest(mad, 1) THEN 'critical'
            ELSE 'high' END AS severity,
       least(100.0, 40.0 + 5.0 * log2(outside_ips + 1) + 5.0 * log2(peak + 1)) AS score,
       'user' AS entity_type, user_name AS entity,
       first_seen, last_seen, messages AS event_count,
       format_string('Account %s sent %d messages from %d outside addresses in %d /24 networks (countries: %s); its busiest hour had %d messages against a usual %d (over %d active hours); %d sessions lasted %d s or more.',
                     user_name, messages, outside_ips, outside_nets,
                     CASE WHEN countries = '' THEN 'unknown' ELSE countries END, peak, cast(median AS int),
                     hours, long_sessions, ${long_session_seconds}) AS summary,
       filter(evidence, e -> e IS NOT NULL) AS evidence
FROM usage
WHERE outside_ips >= ${min_outside_ips}
   OR country_count >= ${min_countries}
   OR long_sessions >= ${min_long_sessions}
   OR (peak >= ${min_peak} AND peak > median + ${mad_factor} * greatest(mad, 1) AND hours >= ${min_hours})
