-- queue_backlog: an MTA whose deliveries are deferred at many recipient domains: its queue grows, typically because
-- it sends spam (rate limits, greylisting, blocklists) or the network is down.
SELECT 'queue_backlog' AS rule,
       CASE WHEN count(DISTINCT lower(substring_index(recipient, '@', -1))) >= 4 * ${min_domains} THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 30.0 + 8.0 * log2(count(*))) AS score,
       'host' AS entity_type, mta_host AS entity,
       min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
       format_string('%s had %d deferred deliveries of %d messages to %d recipient domains.', mta_host, count(*),
                     count(DISTINCT queue_id), count(DISTINCT lower(substring_index(recipient, '@', -1)))) AS summary,
       ${evidence:smtp_events} AS evidence
FROM smtp_events
WHERE event = 'deferred' AND mta_host IS NOT NULL AND recipient LIKE '%@%'
GROUP BY mta_host
HAVING count(*) >= ${min_deferrals} AND count(DISTINCT lower(substring_index(recipient, '@', -1))) >= ${min_domains}
