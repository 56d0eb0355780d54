-- auth_bruteforce: failed logons per client address, and per account tried from several addresses (password
-- spraying rotates addresses; guessing one account from many places is the tell). Logons are SMTP AUTH and the web
-- logons of Exchange (OWA forms logons refused, 401 answers to EWS, ActiveSync and the other services for a named
-- user: http_requests.auth_result), one account however each log names it (the account column).
WITH failures AS (
  SELECT ts, client_ip, account AS user_name, 'smtp_events' AS src, source_file, source_line
  FROM smtp_events
  WHERE event = 'auth_failure' AND (client_ip IS NULL OR (NOT is_local(client_ip) AND NOT is_allowed(client_ip)))
  UNION ALL
  SELECT ts, client_ip, account, 'http_requests', source_file, source_line
  FROM http_requests
  WHERE auth_result = 'failure' AND (client_ip IS NULL OR (NOT is_local(client_ip) AND NOT is_allowed(client_ip)))
)
SELECT 'auth_bruteforce' AS rule,
       CASE WHEN count(*) >= ${many_failures} THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 30.0 + 10.0 * log2(count(*))) AS score,
       'ip' AS entity_type, client_ip AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%s failed %d logons (%d SMTP AUTH, %d web), trying %d user name(s).', client_ip, count(*),
                     count_if(src = 'smtp_events'), count_if(src = 'http_requests'), count(DISTINCT user_name)) AS summary,
       evidence_first(src, source_file, source_line).pointers AS evidence
FROM failures
WHERE client_ip IS NOT NULL
GROUP BY client_ip
HAVING count(*) >= ${min_failures}
UNION ALL
SELECT 'auth_bruteforce' AS rule,
       'medium' AS severity,
       least(100.0, 30.0 + 10.0 * log2(count(DISTINCT client_ip))) AS score,
       'user' AS entity_type, user_name AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('User %s failed %d logons (%d SMTP AUTH, %d web) from %d addresses.', user_name, count(*),
                     count_if(src = 'smtp_events'), count_if(src = 'http_requests'), count(DISTINCT client_ip)) AS summary,
       evidence_first(src, source_file, source_line).pointers AS evidence
FROM failures
WHERE user_name IS NOT NULL
GROUP BY user_name
HAVING count(DISTINCT client_ip) >= ${min_ips_per_user}
