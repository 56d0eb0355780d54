-- backscatter: non-delivery notifications (null sender <>) that an MTA sends to outside addresses. When the original
-- senders were forged (relayed spam), these bounces hit innocent third parties and get the MTA listed.
WITH null_sender AS (
  SELECT DISTINCT mta_host, queue_id FROM smtp_events
  WHERE sender = '' AND queue_id IS NOT NULL
)
SELECT 'backscatter' AS rule,
       CASE WHEN count(*) >= 5 * ${min_bounces} THEN 'high' ELSE 'medium' END AS severity,
       least(100.0, 30.0 + 8.0 * log2(count(*))) AS score,
       'host' AS entity_type, e.mta_host AS entity,
       min(e.ts) AS first_seen, max(e.ts) AS last_seen, count(*) AS event_count,
       format_string('%s sent %d bounce messages to outside addresses at %d domains (%d of them refused there).',
                     e.mta_host, count(*), count(DISTINCT lower(substring_index(e.recipient, '@', -1))),
                     count_if(e.event = 'bounced')) AS summary,
       ${evidence:smtp_events:e} AS evidence
FROM smtp_events e
JOIN null_sender n ON e.mta_host = n.mta_host AND e.queue_id = n.queue_id
WHERE e.event IN ('delivered', 'bounced', 'deferred') AND e.recipient LIKE '%@%'
  AND NOT is_local_domain(substring_index(e.recipient, '@', -1))
GROUP BY e.mta_host
HAVING count(*) >= ${min_bounces}
