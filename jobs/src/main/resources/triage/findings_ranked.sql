-- findings_ranked: every finding, most severe first, then by score and by how many events support it: what to look
-- at first. The evidence pointers are left out (finding_evidence opens them for one finding_id).
-- Parameters: none.
SELECT finding_id, severity, score, rule, entity_type, entity, country, asn, first_seen, last_seen, event_count,
       summary
FROM findings
ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
         score DESC, event_count DESC, finding_id
