-- auth_account_abuse: one authenticated account used far beyond its own habits: from many outside addresses or
-- networks in a day (Exim's DetectSMTPAuthAbuse counts 10 addresses), or sending far more in an hour than its usual
-- hours (robust: median and median absolute deviation of the account's own hourly counts), or from several
-- countries (GeoIP) in the period: a password in the hands of someone elsewhere.
WITH auth AS (
  SELECT ts, lower(sasl_username) AS user_name, client_ip, queue_id, source_file, source_line
  FROM smtp_events
  WHERE sasl_username IS NOT NULL AND event = 'message_accepted'
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
         min(a.ts) AS first_seen, max(a.ts) AS last_seen,
         slice(array_sort(collect_list(CASE WHEN NOT is_local(a.client_ip) THEN named_struct('table', 'smtp_events',
               'source_file', a.source_file, 'source_line', a.source_line) END)), 1, ${evidence_cap}) AS evidence
  FROM auth a JOIN spread s ON a.user_name = s.user_name
  WHERE NOT is_allowed(a.client_ip)
  GROUP BY a.user_name
)
SELECT 'auth_account_abuse' AS rule,
       CASE WHEN outside_ips >= ${min_outside_ips} AND peak > median + ${mad_factor} * greatest(mad, 1) THEN 'critical'
            ELSE 'high' END AS severity,
       least(100.0, 40.0 + 5.0 * log2(outside_ips + 1) + 5.0 * log2(peak + 1)) AS score,
       'user' AS entity_type, user_name AS entity,
       first_seen, last_seen, messages AS event_count,
       format_string('Account %s sent %d messages from %d outside addresses in %d /24 networks (countries: %s); its busiest hour had %d messages against a usual %d (over %d active hours).',
                     user_name, messages, outside_ips, outside_nets,
                     CASE WHEN countries = '' THEN 'unknown' ELSE countries END, peak, cast(median AS int),
                     hours) AS summary,
       filter(evidence, e -> e IS NOT NULL) AS evidence
FROM usage
WHERE outside_ips >= ${min_outside_ips}
   OR country_count >= ${min_countries}
   OR (peak >= ${min_peak} AND peak > median + ${mad_factor} * greatest(mad, 1) AND hours >= ${min_hours})
