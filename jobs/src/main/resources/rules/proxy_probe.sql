-- proxy_probe / proxy_smtp_tunnel: absolute-URL or CONNECT requests sent to a web server, per client.
-- A web server that is not a proxy should never see them; a forward proxy (Squid) always does, so its logs are left
-- out. Targets on SMTP ports mean someone tries to send mail through the web server: proxy_smtp_tunnel.
SELECT
  CASE WHEN smtp_requests > 0 THEN 'proxy_smtp_tunnel' ELSE 'proxy_probe' END AS rule,
  CASE WHEN smtp_accepted > 0 THEN 'critical'
       WHEN smtp_requests > 0 OR requests >= ${many_requests} THEN 'high'
       WHEN accepted > 0 THEN 'medium'
       ELSE 'low' END AS severity,
  least(100.0, 30.0 + 10.0 * log2(requests) + CASE WHEN smtp_requests > 0 THEN 30.0 ELSE 0.0 END) AS score,
  'ip' AS entity_type,
  client_ip AS entity,
  first_seen, last_seen,
  requests AS event_count,
  format_string('%s sent %d proxy-style requests (%d CONNECT, %d to SMTP ports) to %s; %d were answered 2xx, %d of them on SMTP ports.',
                client_ip, requests, connects, smtp_requests, servers, accepted, smtp_accepted) AS summary,
  evidence
FROM (
  SELECT client_ip,
         count(*) AS requests,
         count_if(method = 'CONNECT') AS connects,
         count_if(url_port IN (25, 465, 587)) AS smtp_requests,
         count_if(status BETWEEN 200 AND 299) AS accepted,
         count_if(url_port IN (25, 465, 587) AND status BETWEEN 200 AND 299) AS smtp_accepted,
         concat_ws(', ', least_distinct(coalesce(server, 'unnamed server'), 5).values) AS servers,
         min(ts) AS first_seen, max(ts) AS last_seen,
         ${evidence:http_requests} AS evidence
  FROM http_requests
  WHERE is_absolute_url AND coalesce(log_format, '') <> 'squid' AND client_ip IS NOT NULL AND NOT is_allowed(client_ip)
  GROUP BY client_ip
) probes
WHERE requests >= ${min_requests}
