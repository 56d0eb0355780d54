-- blacklisted_by_remote: remote servers refuse our MTA's mail and name a DNS blocklist: our server is listed. Only
-- delivery attempts count (our MTA as the client); rejections our own MTA issues to clients are another matter.
SELECT 'blacklisted_by_remote' AS rule,
       'high' AS severity,
       least(100.0, 60.0 + 10.0 * log2(refusals)) AS score,
       'host' AS entity_type, mta_host AS entity,
       first_seen, last_seen, refusals AS event_count,
       format_string('%d deliveries from %s were refused by %d remote servers citing a blocklist (%s).',
                     refusals, mta_host, remotes, lists) AS summary,
       evidence
FROM (
  SELECT mta_host,
         count(*) AS refusals,
         count(DISTINCT coalesce(relay_ip, relay_host)) AS remotes,
         concat_ws(', ', array_sort(collect_set(lower(regexp_extract(reason,
             '(?i)(zen\\.spamhaus\\.org|spamhaus|spamcop|barracuda|sorbs|abuseat|uceprotect|psbl|blocklist|blacklist)', 1))))) AS lists,
         min(ts) AS first_seen, max(ts) AS last_seen,
         ${evidence:smtp_events} AS evidence
  FROM smtp_events
  WHERE event IN ('bounced', 'deferred', 'expired') AND mta_host IS NOT NULL
    AND (relay_ip IS NOT NULL OR relay_host IS NOT NULL)
    AND reason RLIKE '(?i)spamhaus|spamcop|barracudacentral|sorbs\\.net|abuseat|uceprotect|psbl|blocked using|listed (on|in|at)|block ?list|black ?list'
  GROUP BY mta_host
) refused
WHERE refusals >= ${min_refusals}
