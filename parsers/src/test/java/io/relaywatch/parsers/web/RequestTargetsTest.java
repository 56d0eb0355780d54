package io.relaywatch.parsers.web;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.schema.Tables;
import org.junit.jupiter.api.Test;

import static io.relaywatch.schema.HttpRequestColumn.IS_ABSOLUTE_URL;
import static io.relaywatch.schema.HttpRequestColumn.URL_HOST;
import static io.relaywatch.schema.HttpRequestColumn.URL_PATH;
import static io.relaywatch.schema.HttpRequestColumn.URL_PORT;
import static io.relaywatch.schema.HttpRequestColumn.URL_QUERY;
import static io.relaywatch.schema.HttpRequestColumn.URL_SCHEME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RequestTargetsTest {

    static EventRecord fill(String method, String target) {
        EventRecord row = new EventRecord(Tables.HTTP_REQUESTS);
        RequestTargets.fill(row, method, target, null);
        return row;
    }

    @Test
    void originFormIsNotAProxyRequest() {
        EventRecord r = fill("GET", "/a/b?x=1&y=2");
        assertEquals(false, r.get(IS_ABSOLUTE_URL));
        assertEquals("/a/b", r.get(URL_PATH));
        assertEquals("x=1&y=2", r.get(URL_QUERY));
        assertNull(r.get(URL_HOST));
    }

    @Test
    void absoluteFormNamesHostPortAndDefaults() {
        EventRecord r = fill("POST", "http://127.0.0.1:25/");
        assertEquals(true, r.get(IS_ABSOLUTE_URL));
        assertEquals("http", r.get(URL_SCHEME));
        assertEquals("127.0.0.1", r.get(URL_HOST));
        assertEquals(25, r.get(URL_PORT));
        assertEquals("/", r.get(URL_PATH));
        EventRecord https = fill("GET", "HTTPS://User@Example.ORG?q");
        assertEquals("example.org", https.get(URL_HOST));
        assertEquals(443, https.get(URL_PORT));
        assertEquals("/", https.get(URL_PATH));
        assertEquals("q", https.get(URL_QUERY));
    }

    @Test
    void connectAuthorityAndIpv6() {
        EventRecord r = fill("CONNECT", "mx.mailbox-provider.example:25");
        assertEquals(true, r.get(IS_ABSOLUTE_URL));
        assertEquals("mx.mailbox-provider.example", r.get(URL_HOST));
        assertEquals(25, r.get(URL_PORT));
        EventRecord v6 = fill("GET", "http://[2001:db8::1]:8080/x");
        assertEquals("2001:db8::1", v6.get(URL_HOST));
        assertEquals(8080, v6.get(URL_PORT));
        EventRecord bare = fill("CONNECT", "[2001:db8::2]:587");
        assertEquals("2001:db8::2", bare.get(URL_HOST));
        assertEquals(587, bare.get(URL_PORT));
    }

    @Test
    void aSchemeLookalikeInAPathIsNotAnUrl() {
        EventRecord r = fill("GET", "/redirect?to=http://evil.example/");
        assertEquals(false, r.get(IS_ABSOLUTE_URL));
        assertEquals("/redirect", r.get(URL_PATH));
    }
}
