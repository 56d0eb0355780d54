-- findings_overview: how many findings each rule produced, per severity, most severe first.
-- Parameters: none.
SELECT severity, rule, count(*) AS findings, count(DISTINCT entity) AS entities, sum(event_count) AS events,
       min(first_seen) AS first_seen, max(last_seen) AS last_seen
FROM findings
GROUP BY severity, rule
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
         findings DESC, rule
