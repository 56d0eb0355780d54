-- chain_hops: every chain finding (mta_hop_chain, web_to_smtp_chain) as its ordered hops, for drawing: one row per
-- node, hop 1 first.
-- Parameters: none.
SELECT f.finding_id, f.rule, f.severity, f.entity AS chain, f.event_count AS messages, h.pos + 1 AS hop,
       h.node
FROM findings f
LATERAL VIEW posexplode(split(f.entity, ' -> ')) h AS pos, node
WHERE f.entity_type = 'chain'
ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END,
         f.entity, hop
