-- top_countries: outside addresses per country (or private/cgnat/reserved label), with how many of them a finding
-- names directly or through its network.
-- Parameters: none.
WITH flagged_ips AS (
  SELECT DISTINCT i.ip
  FROM findings f
  JOIN ip_info i ON (f.entity_type = 'ip' AND i.ip = f.entity) OR (f.entity_type = 'cidr' AND i.network = f.entity)
)
SELECT coalesce(i.country, 'unknown') AS country, count(*) AS addresses, sum(i.events) AS events,
       count(fl.ip) AS flagged_addresses
FROM ip_info i
LEFT JOIN flagged_ips fl ON fl.ip = i.ip
GROUP BY coalesce(i.country, 'unknown')
ORDER BY flagged_addresses DESC, events DESC, country
LIMIT 25
