-- top_offenders: the outside networks (/24, /64) behind findings, worst first: how many of their addresses were
-- seen, how many rows mention them, which rules fired on them or on one of their addresses.
-- Parameters: none.
WITH flagged AS (
  SELECT i.network, f.rule, f.severity, f.finding_id,
         CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END
           AS severity_rank
  FROM findings f
  JOIN ip_info i ON (f.entity_type = 'ip' AND i.ip = f.entity) OR (f.entity_type = 'cidr' AND i.network = f.entity)
),
per_network AS (
  SELECT network, max(severity_rank) AS severity_rank, count(DISTINCT finding_id) AS findings,
         concat_ws(', ', array_sort(collect_set(rule))) AS rules
  FROM flagged
  GROUP BY network
)
SELECT p.network,
       CASE p.severity_rank WHEN 4 THEN 'critical' WHEN 3 THEN 'high' WHEN 2 THEN 'medium' WHEN 1 THEN 'low'
            ELSE 'info' END AS max_severity,
       p.findings, p.rules, min(i.country) AS country, min(i.asn) AS asn, count(*) AS addresses,
       sum(i.events) AS events
FROM per_network p
JOIN ip_info i ON i.network = p.network
GROUP BY p.network, p.severity_rank, p.findings, p.rules
ORDER BY p.severity_rank DESC, events DESC, p.network
LIMIT 25
