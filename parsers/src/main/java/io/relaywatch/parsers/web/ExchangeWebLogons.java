package io.relaywatch.parsers.web;

import io.relaywatch.parsers.Accounts;
import io.relaywatch.parsers.EventRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.relaywatch.schema.HttpRequestColumn.ACCOUNT;
import static io.relaywatch.schema.HttpRequestColumn.AUTH_RESULT;
import static io.relaywatch.schema.HttpRequestColumn.CLIENT_IP;
import static io.relaywatch.schema.HttpRequestColumn.IS_ABSOLUTE_URL;
import static io.relaywatch.schema.HttpRequestColumn.METHOD;
import static io.relaywatch.schema.HttpRequestColumn.SERVICE;
import static io.relaywatch.schema.HttpRequestColumn.STATUS;
import static io.relaywatch.schema.HttpRequestColumn.TS;
import static io.relaywatch.schema.HttpRequestColumn.URL_PATH;
import static io.relaywatch.schema.HttpRequestColumn.URL_QUERY;
import static io.relaywatch.schema.HttpRequestColumn.USER_NAME;

/**
 * Exchange web logons as authentication events: fills {@code service}, {@code auth_result} and, for a failure seen
 * only on the logon page, {@code account} of an {@code http_requests} row, from an Exchange server's IIS log or the
 * access log of a reverse proxy in front of one. One instance per file, fed its rows in order: a failed forms logon
 * is two requests, and the second is read against the first.
 *
 * <h2>Service</h2>
 * The first path segment, case-insensitive (IIS logs {@code /OWA/} and {@code /owa/} alike): {@code /owa} (and
 * Exchange 2003's {@code /exchweb} and {@code /exchange}) is owa; {@code /ecp}, {@code /ews},
 * {@code /microsoft-server-activesync} (activesync), {@code /autodiscover}, {@code /mapi}, {@code /rpc}, {@code /oab}
 * and {@code /powershell} are named as such; anything else, and proxy-style absolute URLs, have none.
 *
 * <h2>Failure</h2>
 * <ol>
 * <li>Exchange 2013 and later, failed forms logon: {@code POST /owa/auth.owa} whose query holds
 * {@code LogoffReason=NoCookiesGetOrE14AuthPost}. The front end's FbaModule appends that to the IIS log
 * ({@code Response.AppendToLog}) when the back end answered 401 to the posted credentials and it redirects the browser
 * to {@code logon.aspx?...&reason=2}; the POST's {@code cs-username} then holds the name that was typed, so the
 * account is that name. Status is 302 on success and failure alike, so only this token tells them apart.
 * <li>The browser sent back to the logon page with {@code reason=2} (LogonReason.InvalidCredentials):
 * {@code GET /owa/auth/logon.aspx?...reason=2...} (2007 and later), {@code GET /exchweb/bin/auth/owalogon.asp?...reason=2}
 * (2003). Not counted again when the same client's failed POST of rule 1 (or an earlier counted failure) was logged
 * in the previous two minutes of this file: that is the same attempt. Exchange 2007/2010 ({@code POST
 * /owa/auth/owaauth.dll}, 2010 also {@code /owa/auth.owa}) and 2003 ({@code POST /exchweb/bin/auth/owaauth.dll}) log
 * no failure token, so this page is their only failure signal; its account is the name the same client's logon POST
 * of the previous two minutes was logged with, else none.
 * <li>A 401 answer to a request that names a user, on any path: IIS logs the name that was tried with Basic or NTLM
 * ({@code 401 1 1326}: 401.1 "logon failed", Win32 1326 "unknown user name or bad password"; 1909 locked out, 1330
 * password expired, 1331 disabled), where the substatus is 1 or not logged (proxies log none). The anonymous first
 * leg of every challenge ({@code 401 2 5}, {@code cs-username} {@code -}) is not a failure, nor is a 401 with another
 * substatus (401.2 server configuration, 401.3 ACL, ...).
 * </ol>
 *
 * <h2>Success</h2>
 * A request of a named user (not an anonymous marker, not a machine account ending in {@code $}) answered below 400 by
 * one of the services above: the successful forms POST of 2010 and later (302 to {@code /owa/auth.owa} without the
 * token), OWA pages, EWS, ActiveSync syncs. IIS only logs a user for a request that authenticated (or, on 401.1 and
 * rule 1, tried to), so each such request is a logon by that account; rules count them per account and source. The
 * 2007 and 2003 forms POST to {@code owaauth.dll} is not a success even when it names a user: it is answered 302
 * whether the password was right or not, and calling it a success would put a success beside the failure of rule 2
 * for the same sprayed attempt; the mailbox page that follows a good password is the success there.
 *
 * <h2>Blind spots</h2>
 * <ul>
 * <li>Exchange 2007/2010 failed POSTs carry no user name in the log and no failure token; a failure there is known
 * only from the {@code reason=2} page, and without a logged name on the POST it has no account. If a 2010 server logs
 * the typed name on its {@code /owa/auth.owa} POST, a failed attempt reads as a success followed by a failure.
 * <li>The follow-up is matched by client address alone. Behind a load balancer without X-Forwarded-For, or in 2013+
 * back-end logs (site "Exchange Back End", ports 444/81, {@code c-ip} {@code ::1} or the CAS), many users share one
 * address, and a {@code reason=2} page may be given another user's account or be taken for an already counted one.
 * A POST and its follow-up in different files (log rollover at midnight) are not matched.
 * <li>Managed Availability probes ({@code Ews_Probe}, {@code TestActiveSyncConnectivity}, {@code MSEXCHMON}) from
 * {@code ::1} or the server itself log in as {@code HealthMailbox...} accounts around the clock: they are successes of
 * local accounts, and rules must leave out loopback and the servers' own addresses.
 * <li>In a reverse proxy's access log a forms logon names no user (the password travels in the form body) and has no
 * failure token (Exchange writes it into its own IIS log only): a failure there is the {@code reason=2} page, and a
 * success is seen only for Basic logons, whose user the proxy logs ({@code $remote_user}, {@code %u}); NTLM and
 * Kerberos logons name nobody to a proxy.
 * <li>ActiveSync names the device's claimed user in its query ({@code User=}) even on the anonymous leg; that is not
 * read: only the logged user is an account.
 * <li>A failure of a password-spray tool that never follows the redirect is seen only through rule 1 (2013+) or
 * rule 3; on 2007/2010/2003 it leaves no failure at all (its POST is 302 either way).
 * </ul>
 *
 * <p>Never throws on hostile input: every value is read as given and only compared.
 */
public final class ExchangeWebLogons {

    /** How long after a logon POST the logon page with {@code reason=2} is taken to answer it. */
    static final long FOLLOW_UP_SECONDS = 120;

    /** Clients remembered per file; more than this many distinct addresses posting within two minutes is a flood. */
    static final int MAX_CLIENTS = 4096;

    public static final String FAILURE = "failure";
    public static final String SUCCESS = "success";

    private static final String FAILED_POST_TOKEN = "LogoffReason=NoCookiesGetOrE14AuthPost";

    /** The last logon POST of a client: when, with which logged name, and whether a failure was counted for it. */
    private static final class Post {
        final long epochSecond;
        final String user;
        boolean counted;

        Post(long epochSecond, String user, boolean counted) {
            this.epochSecond = epochSecond;
            this.user = user;
            this.counted = counted;
        }
    }

    private final Map<String, Post> posts = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Post> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    /** The Exchange web service a request path goes to, or {@code null}. */
    public static String service(String path) {
        if (path == null || path.length() < 4 || path.charAt(0) != '/') {
            return null;
        }
        switch (path.charAt(1) | 0x20) { // lower case: the first letters of the services' names
            case 'a', 'e', 'm', 'o', 'p', 'r' -> {
            }
            default -> {
                return null;
            }
        }
        int end = path.indexOf('/', 1);
        int length = (end < 0 ? path.length() : end) - 1;
        // by the first segment's length, so that most paths of a web server that is not Exchange's compare nothing
        return switch (length) {
            case 3 -> segment(path, "owa") ? "owa" : segment(path, "ews") ? "ews" : segment(path, "ecp") ? "ecp"
                    : segment(path, "rpc") ? "rpc" : segment(path, "oab") ? "oab" : null;
            case 4 -> segment(path, "mapi") ? "mapi" : null;
            case 7 -> segment(path, "exchweb") ? "owa" : null;
            case 8 -> segment(path, "exchange") ? "owa" : null;
            case 10 -> segment(path, "powershell") ? "powershell" : null;
            case 12 -> segment(path, "autodiscover") ? "autodiscover" : null;
            case 27 -> segment(path, "microsoft-server-activesync") ? "activesync" : null;
            default -> null;
        };
    }

    /** Whether the path's first segment, of the same length, is {@code name} in any case. */
    private static boolean segment(String path, String name) {
        return path.regionMatches(true, 1, name, 0, name.length());
    }

    /**
     * Classifies a filled row (method, url_path, url_query, status, user_name, client_ip, ts) and sets
     * {@code service}, {@code auth_result} and, for rule 2, {@code account}.
     *
     * @param substatus IIS's {@code sc-substatus} as logged, or {@code null} where the log has no such field
     */
    public void classify(EventRecord row, String substatus) {
        String path = Boolean.FALSE.equals(row.get(IS_ABSOLUTE_URL)) ? (String) row.get(URL_PATH) : null;
        String service = service(path);
        Integer logged = (Integer) row.get(STATUS);
        int status = logged == null ? -1 : logged;
        // most lines of a web server that is not Exchange's end here, after a call small enough to be inlined
        if (service != null || status == 401) {
            classifyLogon(row, substatus, path, service, status);
        }
    }

    private void classifyLogon(EventRecord row, String substatus, String path, String service, int status) {
        row.set(SERVICE, service);
        String user = (String) row.get(USER_NAME);
        String result = null;
        String method = (String) row.get(METHOD);
        if ("owa".equals(service) && method != null) {
            String query = (String) row.get(URL_QUERY);
            if (method.equalsIgnoreCase("POST") && isLogonPost(path)) {
                boolean authOwa = path.equalsIgnoreCase("/owa/auth.owa");
                if (authOwa && query != null && query.contains(FAILED_POST_TOKEN)) {
                    result = FAILURE;
                } else {
                    result = basic(service, status, user, substatus);
                    if (!authOwa && SUCCESS.equals(result)) {
                        result = null; // owaauth.dll answers 302 to good and bad passwords alike: the next page tells
                    }
                }
                remember((String) row.get(CLIENT_IP), (Instant) row.get(TS), user, FAILURE.equals(result));
                row.set(AUTH_RESULT, result);
                return;
            }
            if (method.equalsIgnoreCase("GET") && query != null && isLogonPage(path) && hasReason2(query)) {
                Post post = recent((String) row.get(CLIENT_IP), (Instant) row.get(TS));
                if (post == null) {
                    result = FAILURE;
                } else if (!post.counted) {
                    post.counted = true;
                    result = FAILURE;
                    String account = Accounts.of(post.user);
                    if (account != null) {
                        row.set(ACCOUNT, account);
                    }
                }
                row.set(AUTH_RESULT, result);
                return;
            }
        }
        row.set(AUTH_RESULT, basic(service, status, user, substatus));
    }

    /** Rules 3 and success: a 401.1 (or 401 without substatus) that names a user, or a named user served. */
    private static String basic(String service, int status, String user, String substatus) {
        if (user == null || (status != 401 && service == null)) {
            return null;
        }
        String account = Accounts.of(user);
        if (account == null) {
            return null;
        }
        if (status == 401) {
            return substatus == null || substatus.equals("1") || substatus.equals("-") ? FAILURE : null;
        }
        return status >= 100 && status < 400 && !user.endsWith("$") ? SUCCESS : null;
    }

    private void remember(String client, Instant ts, String user, boolean counted) {
        if (client == null || ts == null) {
            return;
        }
        posts.remove(client); // re-inserted last, so that the oldest client is the one evicted
        posts.put(client, new Post(ts.getEpochSecond(), user, counted));
    }

    /** The client's logon POST of the last {@link #FOLLOW_UP_SECONDS}, or {@code null}. */
    private Post recent(String client, Instant ts) {
        if (client == null || ts == null) {
            return null;
        }
        Post post = posts.get(client);
        if (post == null) {
            return null;
        }
        long age = ts.getEpochSecond() - post.epochSecond;
        return age >= 0 && age <= FOLLOW_UP_SECONDS ? post : null;
    }

    private static boolean isLogonPost(String path) {
        return path.equalsIgnoreCase("/owa/auth.owa") || path.equalsIgnoreCase("/owa/auth/owaauth.dll")
                || path.equalsIgnoreCase("/exchweb/bin/auth/owaauth.dll");
    }

    private static boolean isLogonPage(String path) {
        return path.equalsIgnoreCase("/owa/auth/logon.aspx") || path.equalsIgnoreCase("/exchweb/bin/auth/owalogon.asp");
    }

    /** Whether the query has the parameter {@code reason=2} (not {@code reason=20}, not {@code xreason=2}). */
    static boolean hasReason2(String query) {
        for (int i = query.indexOf("reason=2"); i >= 0; i = query.indexOf("reason=2", i + 1)) {
            int after = i + "reason=2".length();
            boolean starts = i == 0 || isParameterSeparator(query.charAt(i - 1));
            boolean ends = after == query.length() || isParameterSeparator(query.charAt(after));
            if (starts && ends) {
                return true;
            }
        }
        return false;
    }

    private static boolean isParameterSeparator(char c) {
        return c == '&' || c == ';' || c == '?';
    }
}
