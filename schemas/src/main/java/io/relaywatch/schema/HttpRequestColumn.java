package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.BOOLEAN;
import static io.relaywatch.schema.FieldType.DATE;
import static io.relaywatch.schema.FieldType.INT;
import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;
import static io.relaywatch.schema.FieldType.TIMESTAMP;

/** Columns of {@code http_requests}: one row per request in a web server or web proxy access log. */
public enum HttpRequestColumn implements Column {
    TS(TIMESTAMP, "@timestamp", "When the request was logged, in UTC."),
    SERVER(STRING, "host.name", "The web server or proxy that logged it: vhost name, IIS s-computername/s-ip, or null when the format has none."),
    SERVER_PORT(INT, "destination.port", "Port the request arrived on (vhost_combined, IIS s-port), or null."),
    CLIENT_IP(STRING, "source.ip", "Address of the client (Apache %h, IIS c-ip, Squid client); may be a host name when the server logged names. Where the line carries a forwarded-for list, the right-most address in it (the peer last) that is not a private, loopback or link-local one, as nginx's realip and Apache's mod_remoteip choose with internal proxies trusted; the left-most when all are."),
    FORWARDED_FOR(STRING, "", "The X-Forwarded-For list as logged ('198.51.100.7, 10.0.0.2', as a first field or nginx's trailing \"$http_x_forwarded_for\"), with the connection's peer address appended when the line names both; null when the line has none."),
    USER_NAME(STRING, "user.name", "Authenticated user as logged (Apache %u, IIS cs-username: CONTOSO\\jdoe, jdoe@contoso.com), null for '-'."),
    ACCOUNT(STRING, "user.id", "user_name as one account name (lower-case, without its domain, as smtp_events.account), or for a failed Exchange forms logon the name the client typed."),
    METHOD(STRING, "http.request.method", "Request method as sent (GET, POST, CONNECT, ...); upper-cased only if it was."),
    TARGET(STRING, "url.original", "The request target exactly as logged: a path, an absolute URL or CONNECT's host:port."),
    IS_ABSOLUTE_URL(BOOLEAN, "", "True when the target is an absolute URL (scheme://...) or a CONNECT authority: a proxy-style request."),
    URL_SCHEME(STRING, "url.scheme", "Scheme of an absolute URL (http, https, ftp, ...), null otherwise."),
    URL_HOST(STRING, "url.domain", "Host named by an absolute URL or CONNECT target, null for origin-form targets."),
    URL_PORT(INT, "url.port", "Port named by an absolute URL or CONNECT target, or the scheme's default port; null for origin-form targets."),
    URL_PATH(STRING, "url.path", "Path of the target without the query."),
    URL_QUERY(STRING, "url.query", "Query string without the '?', or null."),
    PROTOCOL(STRING, "http.version", "Protocol of the request line as logged (HTTP/1.1, HTTP/2.0, ...), or null."),
    STATUS(INT, "http.response.status_code", "HTTP status code sent to the client (for Squid, the one after the result code)."),
    BYTES_SENT(LONG, "http.response.bytes", "Bytes sent to the client; null where the log says '-'."),
    DURATION_MS(LONG, "event.duration", "Time taken to serve the request in milliseconds, where the format logs it."),
    REFERER(STRING, "http.request.referrer", "Referer header, null for '-'."),
    USER_AGENT(STRING, "user_agent.original", "User-Agent header, null for '-'."),
    SERVICE(STRING, "service.name", "The Exchange web service the request went to (owa, ecp, ews, activesync, autodiscover, mapi, rpc, oab, powershell), or null."),
    AUTH_RESULT(STRING, "event.outcome", "Logons are requests, so they stay in this table (one row per request as the server logged it) and this column classifies them: 'failure' for a refused logon (an Exchange 2013+ forms POST to /owa/auth.owa logged with LogoffReason=NoCookiesGetOrE14AuthPost; the logon page shown with reason=2, unless the same client's failed POST came within the two minutes before; a 401 answer to a request that named a user, with IIS substatus 1 or none), 'success' for a request of a named user (not a machine account) answered below 400 by an Exchange web service (owa, ews, activesync, ...); null otherwise. The rules read these beside SMTP AUTH in smtp_events."),
    PROXY_ACTION(STRING, "event.action", "Squid result code (TCP_MISS, TCP_DENIED, TCP_TUNNEL, ...) or null for origin servers."),
    UPSTREAM(STRING, "destination.address", "Squid hierarchy code and peer (HIER_DIRECT/203.0.113.7), or null."),
    LOG_FORMAT(STRING, "event.dataset", "Format the line was parsed as (access_common, access_combined, access_vhost_combined, iis_w3c, squid)."),
    SOURCE_FILE(STRING, "log.file.path", "URI of the file the line came from."),
    SOURCE_LINE(LONG, "log.origin.file.line", "1-based line number in the decompressed file."),
    EVENT_DATE(DATE, "", "UTC date of ts; the partition column (null ts goes to the default partition).");

    private final Spec spec;

    HttpRequestColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
