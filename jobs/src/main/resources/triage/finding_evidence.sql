-- finding_evidence: the rows behind one finding's evidence pointers, back in their tables: when, where from (file and
-- line), and the fields that matter, so the raw line can be opened.
-- Parameters: :finding_id.
WITH pointers AS (
  SELECT f.finding_id, f.rule, ev.`table` AS tbl, ev.source_file, ev.source_line
  FROM findings f
  LATERAL VIEW explode(f.evidence) e AS ev
  WHERE f.finding_id = :finding_id
)
SELECT p.tbl AS `table`, p.source_file, p.source_line, s.ts,
       concat_ws(' ', s.mta_host, s.event, s.client_ip, s.sasl_username, s.helo, s.sender, s.recipient,
                 s.relay_host, s.status, s.reason) AS detail
FROM pointers p JOIN smtp_events s ON p.tbl = 'smtp_events' AND s.source_file = p.source_file
                                     AND s.source_line = p.source_line
UNION ALL
SELECT p.tbl, p.source_file, p.source_line, h.ts,
       concat_ws(' ', h.client_ip, h.method, h.target, cast(h.status AS STRING), h.user_agent) AS detail
FROM pointers p JOIN http_requests h ON p.tbl = 'http_requests' AND h.source_file = p.source_file
                                       AND h.source_line = p.source_line
UNION ALL
SELECT p.tbl, p.source_file, p.source_line, w.ts,
       concat_ws(' ', w.device, w.action, w.protocol, concat(w.src_ip, ':', cast(w.src_port AS STRING)), '->',
                 concat(w.dst_ip, ':', cast(w.dst_port AS STRING)), w.rule) AS detail
FROM pointers p JOIN firewall_events w ON p.tbl = 'firewall_events' AND w.source_file = p.source_file
                                         AND w.source_line = p.source_line
ORDER BY ts, source_file, source_line
