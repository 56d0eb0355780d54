package io.relaywatch.parsers.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardedForTest {

    @Test
    void rightMostAddressThatIsNotInternal() {
        assertEquals("203.0.113.9", ForwardedFor.client("10.0.0.2, 10.0.0.1, 203.0.113.9"));
        assertEquals("203.0.113.204",
                ForwardedFor.client("198.51.100.222, 203.0.113.1, 203.0.113.204, 10.2.1.185"));
        // a client that writes a header of its own is not believed: the public peer is the client
        assertEquals("198.51.100.66", ForwardedFor.client("203.0.113.99, 198.51.100.66"));
        assertEquals("2001:db8:cf40:add:91f2:a9b2:e09a:6fc6",
                ForwardedFor.client("2001:db8:cf40:add:91f2:a9b2:e09a:6fc6, 10.225.192.17, 10.2.2.121"));
        assertEquals("2001:db8::77", ForwardedFor.client("2001:db8::77, fd00:10::2, fd00:10::1"));
    }

    @Test
    void leftMostWhenEveryAddressIsInternal() {
        assertEquals("10.0.0.2", ForwardedFor.client("10.0.0.2, 10.0.0.1, 127.0.0.1"));
        assertEquals("10.1.2.3", ForwardedFor.client("10.1.2.3"));
        assertEquals("::1", ForwardedFor.client("::1"));
    }

    @Test
    void separatorsAsWrittenByDifferentServers() {
        assertEquals("203.0.113.61", ForwardedFor.client("203.0.113.61,10.1.2.100,10.1.2.83"));
        assertEquals("203.0.113.61", ForwardedFor.client("  203.0.113.61 ,  10.1.2.100 , "));
        assertEquals("203.0.113.61", ForwardedFor.client("203.0.113.61 10.1.2.100"));
    }

    @Test
    void portsAreDropped() {
        assertEquals("203.0.113.80", ForwardedFor.client("203.0.113.80:51234, 10.0.0.4"));
        assertEquals("2001:db8::5", ForwardedFor.client("[2001:db8::5]:443, 10.0.0.4"));
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalk() {
        // as in nginx: what a proxy could not or would not say stops the walk, the spoofable left part is not read
        assertEquals("10.0.0.1", ForwardedFor.client("203.0.113.5, unknown, 10.0.0.1"));
        assertEquals("10.0.0.1", ForwardedFor.client("localhost, 10.0.0.1"));
        assertEquals("localhost", ForwardedFor.client("localhost, localhost"));
        assertNull(ForwardedFor.client("unknown"));
        assertNull(ForwardedFor.client("203.0.113.5, UNKNOWN"));
        assertNull(ForwardedFor.client("a b!c"));
        assertNull(ForwardedFor.client(""));
        assertNull(ForwardedFor.client(" , ,"));
    }

    @Test
    void trailingFieldMustBeAnAddressList() {
        assertTrue(ForwardedFor.isAddressList("203.0.113.50"));
        assertTrue(ForwardedFor.isAddressList("203.0.113.50, 10.0.0.9"));
        assertTrue(ForwardedFor.isAddressList("2001:db8::1,10.0.0.9"));
        assertTrue(ForwardedFor.isAddressList("unknown, 10.0.0.9"));
        assertFalse(ForwardedFor.isAddressList(""));
        assertFalse(ForwardedFor.isAddressList("127.0.0.1:8080"));
        assertFalse(ForwardedFor.isAddressList("10.0.0.1:80, 10.0.0.2:80"));
        assertFalse(ForwardedFor.isAddressList("unix:/run/app.sock"));
        assertFalse(ForwardedFor.isAddressList("0.003"));
        assertFalse(ForwardedFor.isAddressList("203.0.113.50,"));
        assertFalse(ForwardedFor.isAddressList("39085D6FB967681942373BFEA5FBC99D.i01 - -"));
        assertFalse(ForwardedFor.isAddressList("1.2.3.4, ".repeat(1000)));
    }
}
