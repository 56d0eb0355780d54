package io.relaywatch.parsers.web;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.schema.Tables;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.relaywatch.schema.HttpRequestColumn.ACCOUNT;
import static io.relaywatch.schema.HttpRequestColumn.AUTH_RESULT;
import static io.relaywatch.schema.HttpRequestColumn.CLIENT_IP;
import static io.relaywatch.schema.HttpRequestColumn.METHOD;
import static io.relaywatch.schema.HttpRequestColumn.SERVICE;
import static io.relaywatch.schema.HttpRequestColumn.STATUS;
import static io.relaywatch.schema.HttpRequestColumn.TS;
import static io.relaywatch.schema.HttpRequestColumn.USER_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeWebLogonsTest {

    static final Instant T0 = Instant.parse("2026-11-12T08:00:00Z");

    private final ExchangeWebLogons logons = new ExchangeWebLogons();

    /** A row as the parsers fill it before classifying; {@code seconds} after T0. */
    static EventRecord row(long seconds, String client, String method, String stem, String query, Integer status,
            String user) {
        EventRecord row = new EventRecord(Tables.HTTP_REQUESTS);
        row.set(TS, T0.plusSeconds(seconds));
        row.set(CLIENT_IP, client);
        row.set(METHOD, method);
        row.set(STATUS, status);
        row.set(USER_NAME, user);
        RequestTargets.fill(row, method, stem, query);
        return row;
    }

    private EventRecord classify(EventRecord row, String substatus) {
        logons.classify(row, substatus);
        return row;
    }

    private EventRecord classify(EventRecord row) {
        return classify(row, null);
    }

    @Test
    void serviceFromTheFirstPathSegmentIgnoringCase() {
        assertEquals("owa", ExchangeWebLogons.service("/owa"));
        assertEquals("owa", ExchangeWebLogons.service("/OWA/auth.owa"));
        assertEquals("owa", ExchangeWebLogons.service("/exchweb/bin/auth/owalogon.asp"));
        assertEquals("owa", ExchangeWebLogons.service("/Exchange/"));
        assertEquals("ecp", ExchangeWebLogons.service("/ecp/"));
        assertEquals("ews", ExchangeWebLogons.service("/EWS/Exchange.asmx"));
        assertEquals("activesync", ExchangeWebLogons.service("/Microsoft-Server-ActiveSync/default.eas"));
        assertEquals("autodiscover", ExchangeWebLogons.service("/Autodiscover/Autodiscover.xml"));
        assertEquals("mapi", ExchangeWebLogons.service("/mapi/emsmdb/"));
        assertEquals("rpc", ExchangeWebLogons.service("/rpc/rpcproxy.dll"));
        assertEquals("oab", ExchangeWebLogons.service("/OAB/3f1e2d4c/oab.xml"));
        assertEquals("powershell", ExchangeWebLogons.service("/powershell"));
        for (String path : new String[] {null, "", "/", "/ow", "/owa2/", "/owax", "/owner", "/api/v1.0/$metadata",
                "/aspnet_client/", "owa/", "//owa/", "/rpc_in_data", "/ews-x/"}) {
            assertNull(ExchangeWebLogons.service(path), String.valueOf(path));
        }
    }

    @Test
    void failedFormsPostOf2013AndLaterNamesTheTypedAccount() {
        EventRecord post = classify(row(0, "203.0.113.45", "POST", "/owa/auth.owa",
                "&ClientId=FFE0&CorrelationID=<empty>;&cafeReqId=f93d;&LogoffReason=NoCookiesGetOrE14AuthPost&encoding=;",
                302, "kwagner@contoso.example"), "0");
        assertEquals("owa", post.get(SERVICE));
        assertEquals("failure", post.get(AUTH_RESULT));
        assertNull(post.get(ACCOUNT), "the account of the logged name is FileParser's to derive");
        // the browser lands on the logon page: the same attempt, not counted again
        EventRecord page = classify(row(1, "203.0.113.45", "GET", "/owa/auth/logon.aspx",
                "url=https%3a%2f%2fmail.contoso.example%2fowa%2f&reason=2&CorrelationID=<empty>;&cafeReqId=a1;", 200,
                null), "0");
        assertNull(page.get(AUTH_RESULT));
        assertEquals("owa", page.get(SERVICE));
    }

    @Test
    void successfulFormsPostAndTheMailboxAreSuccesses() {
        assertEquals("success", classify(row(0, "198.51.100.23", "POST", "/owa/auth.owa",
                "&CorrelationID=<empty>;&cafeReqId=370783e0;&encoding=;", 302, "jdoe"), "0").get(AUTH_RESULT));
        assertEquals("success", classify(row(1, "198.51.100.23", "GET", "/owa/", "&ClientId=CC50", 200, "jdoe"), "0")
                .get(AUTH_RESULT));
        // the successful POST of a client is no failed one: a later logon page with reason=2 is a failure
        EventRecord page = classify(row(30, "198.51.100.23", "GET", "/owa/auth/logon.aspx", "reason=2&url=", 200,
                null), "0");
        assertEquals("failure", page.get(AUTH_RESULT));
        assertEquals("jdoe", page.get(ACCOUNT));
    }

    @Test
    void reasonTwoPageAfterAnOldStylePostIsTheFailure() {
        // Exchange 2007/2010: the POST names nobody and carries no token
        assertNull(classify(row(0, "203.0.113.61", "POST", "/owa/auth/owaauth.dll", null, 302, null), "0")
                .get(AUTH_RESULT));
        EventRecord page = classify(row(1, "203.0.113.61", "GET", "/owa/auth/logon.aspx",
                "replaceCurrent=1&reason=2&url=https%3a%2f%2fmail.contoso.example%2fowa%2f", 200, null), "0");
        assertEquals("failure", page.get(AUTH_RESULT));
        assertNull(page.get(ACCOUNT));
        // one attempt, one failure: the page shown again is not another one
        assertNull(classify(row(5, "203.0.113.61", "GET", "/owa/auth/logon.aspx", "reason=2", 200, null), "0")
                .get(AUTH_RESULT));
        // a new POST is a new attempt
        classify(row(10, "203.0.113.61", "POST", "/owa/auth/owaauth.dll", null, 302, null), "0");
        assertEquals("failure", classify(row(11, "203.0.113.61", "GET", "/owa/auth/logon.aspx", "reason=2", 200,
                null), "0").get(AUTH_RESULT));
    }

    @Test
    void accountOfTheClientsNamedPostWithinTwoMinutes() {
        // 302 either way: the POST itself is neither
        assertNull(classify(row(0, "203.0.113.62", "POST", "/owa/auth/owaauth.dll", null, 302, "CONTOSO\\tkoch"), "0")
                .get(AUTH_RESULT));
        // another client's page is not this POST's
        EventRecord other = classify(row(60, "203.0.113.99", "GET", "/owa/auth/logon.aspx", "reason=2", 200, null),
                "0");
        assertEquals("failure", other.get(AUTH_RESULT));
        assertNull(other.get(ACCOUNT));
        EventRecord page = classify(row(120, "203.0.113.62", "GET", "/OWA/auth/logon.aspx", "reason=2", 200, null),
                "0");
        assertEquals("failure", page.get(AUTH_RESULT));
        assertEquals("tkoch", page.get(ACCOUNT));
    }

    @Test
    void anOldStylePostAnswered401NamingAUserIsAFailureCountedOnce() {
        assertEquals("failure", classify(row(0, "203.0.113.65", "POST", "/exchweb/bin/auth/owaauth.dll", null, 401,
                "CONTOSO\\tkoch"), "1").get(AUTH_RESULT));
        assertNull(classify(row(1, "203.0.113.65", "GET", "/exchweb/bin/auth/owalogon.asp", "reason=2", 200, null),
                "0").get(AUTH_RESULT));
    }

    @Test
    void aPostOlderThanTwoMinutesOrLaterThanThePageIsNotMatched() {
        classify(row(0, "203.0.113.63", "POST", "/owa/auth/owaauth.dll", null, 302, "CONTOSO\\pmeyer"), "0");
        EventRecord late = classify(row(121, "203.0.113.63", "GET", "/owa/auth/logon.aspx", "reason=2", 200, null),
                "0");
        assertEquals("failure", late.get(AUTH_RESULT));
        assertNull(late.get(ACCOUNT));

        classify(row(500, "203.0.113.64", "POST", "/owa/auth.owa", "LogoffReason=NoCookiesGetOrE14AuthPost", 302,
                "x"), "0");
        EventRecord earlier = classify(row(499, "203.0.113.64", "GET", "/owa/auth/logon.aspx", "reason=2", 200, null),
                "0");
        assertEquals("failure", earlier.get(AUTH_RESULT), "a page logged before the POST does not answer it");
    }

    @Test
    void exchange2003FormsLogon() {
        classify(row(0, "203.0.113.90", "POST", "/exchweb/bin/auth/owaauth.dll", null, 302, null), "0");
        EventRecord page = classify(row(1, "203.0.113.90", "GET", "/exchweb/bin/auth/owalogon.asp",
                "url=https://mail.contoso.example/exchange&reason=2", 200, null), "0");
        assertEquals("owa", page.get(SERVICE));
        assertEquals("failure", page.get(AUTH_RESULT));
    }

    @Test
    void onlyTheReasonTwoParameterIsAFailure() {
        assertTrue(ExchangeWebLogons.hasReason2("reason=2"));
        assertTrue(ExchangeWebLogons.hasReason2("replaceCurrent=1&reason=2&url="));
        assertTrue(ExchangeWebLogons.hasReason2("url=x&reason=2"));
        assertTrue(ExchangeWebLogons.hasReason2("url=x&reason=2;&cafeReqId=1;"));
        assertFalse(ExchangeWebLogons.hasReason2("reason=0"));
        assertFalse(ExchangeWebLogons.hasReason2("reason=20"));
        assertFalse(ExchangeWebLogons.hasReason2("xreason=2"));
        assertFalse(ExchangeWebLogons.hasReason2("url=%26reason%3d2"));
        assertFalse(ExchangeWebLogons.hasReason2(""));
        // the logon page without reason=2 is a first visit or a time-out
        assertNull(classify(row(0, "203.0.113.5", "GET", "/owa/auth/logon.aspx", "url=x&reason=0", 200, null))
                .get(AUTH_RESULT));
    }

    @Test
    void basicAndNtlm401NamingAUser() {
        assertEquals("failure", classify(row(0, "203.0.113.77", "POST", "/EWS/Exchange.asmx", null, 401,
                "CONTOSO\\kwagner"), "1").get(AUTH_RESULT));
        // the anonymous first leg of every challenge
        assertNull(classify(row(0, "203.0.113.77", "POST", "/EWS/Exchange.asmx", null, 401, null), "2")
                .get(AUTH_RESULT));
        // a name with another substatus is no wrong password
        assertNull(classify(row(0, "203.0.113.77", "GET", "/ecp/", null, 401, "CONTOSO\\kwagner"), "2")
                .get(AUTH_RESULT));
        // on any path, and without a substatus field (proxies)
        EventRecord other = classify(row(0, "203.0.113.77", "GET", "/intranet/", null, 401, "kwagner"));
        assertEquals("failure", other.get(AUTH_RESULT));
        assertNull(other.get(SERVICE));
        assertEquals("failure", classify(row(0, "203.0.113.77", "GET", "/intranet/", null, 401, "kwagner"), "-")
                .get(AUTH_RESULT));
        // 401 with no user named, and with an anonymous marker
        assertNull(classify(row(0, "::1", "POST", "/Microsoft-Server-ActiveSync/Proxy", "Cmd=Settings&User=x", 401,
                null), "1").get(AUTH_RESULT));
        assertNull(classify(row(0, "::1", "POST", "/ews/exchange.asmx", null, 401, "anonymous"), "1")
                .get(AUTH_RESULT));
    }

    @Test
    void successNeedsANamedUserAnExchangeServiceAndAnAnswerBelow400() {
        assertEquals("success", classify(row(0, "::1", "POST", "/ews/exchange.asmx", "&request_id=1", 200,
                "CONTOSO\\HealthMailbox0c2b7f3e9d8a4b6c"), "0").get(AUTH_RESULT));
        assertNull(classify(row(0, "::1", "RPC_IN_DATA", "/rpc/rpcproxy.dll", "mail1:6001", 200, "CONTOSO\\MAIL1$"),
                "0").get(AUTH_RESULT), "a machine account is the server itself");
        assertNull(classify(row(0, "198.51.100.23", "GET", "/owa/", null, 200, null), "0").get(AUTH_RESULT));
        assertNull(classify(row(0, "198.51.100.23", "GET", "/owa/", null, 500, "jdoe"), "0").get(AUTH_RESULT));
        assertNull(classify(row(0, "198.51.100.23", "GET", "/owa/", null, 403, "jdoe"), "0").get(AUTH_RESULT));
        assertNull(classify(row(0, "198.51.100.23", "GET", "/intranet/", null, 200, "jdoe"), "0").get(AUTH_RESULT));
        assertNull(classify(row(0, "198.51.100.23", "GET", "/owa/", null, null, "jdoe"), "0").get(AUTH_RESULT));
        // a proxy request for another host's /owa/ is not this server's Exchange
        EventRecord proxied = classify(row(0, "198.51.100.23", "GET", "http://mail.other.example/owa/", null, 200,
                "jdoe"));
        assertNull(proxied.get(SERVICE));
        assertNull(proxied.get(AUTH_RESULT));
    }

    @Test
    void missingFieldsAndHostileValuesDoNotThrow() {
        EventRecord empty = new EventRecord(Tables.HTTP_REQUESTS);
        logons.classify(empty, null);
        assertNull(empty.get(AUTH_RESULT));
        EventRecord noTime = row(0, null, "GET", "/owa/auth/logon.aspx", "reason=2", 200, null);
        noTime.set(TS, null);
        assertEquals("failure", classify(noTime).get(AUTH_RESULT));
        classify(row(0, "203.0.113.1", "POST", "/owa/auth.owa", null, 302, null));
        EventRecord noMethod = row(1, "203.0.113.1", null, "/owa/auth/logon.aspx", "reason=2", 200, null);
        assertNull(classify(noMethod).get(AUTH_RESULT));
        assertEquals("owa", noMethod.get(SERVICE));
        classify(row(0, "203.0.113.1", "POST", "/owa/auth.owa", "\u0000reason=2LogoffReason=", 302, "\"\""), "x");
    }

    @Test
    void rememberedClientsAreBounded() {
        for (int i = 0; i < ExchangeWebLogons.MAX_CLIENTS + 10; i++) {
            classify(row(0, "client" + i, "POST", "/owa/auth/owaauth.dll", null, 302, "user" + i), "0");
        }
        // the first clients were let go: their pages have no account any more; the last still do
        assertNull(classify(row(1, "client0", "GET", "/owa/auth/logon.aspx", "reason=2", 200, null)).get(ACCOUNT));
        int last = ExchangeWebLogons.MAX_CLIENTS + 9;
        assertEquals("user" + last, classify(row(1, "client" + last, "GET", "/owa/auth/logon.aspx", "reason=2", 200,
                null)).get(ACCOUNT));
    }
}
