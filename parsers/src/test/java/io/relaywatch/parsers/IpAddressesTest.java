package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpAddressesTest {

    @Test
    void privateLoopbackLinkLocalAndUnspecifiedV4AreInternal() {
        for (String ip : new String[] {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.2",
                "127.0.0.1", "127.8.9.10", "169.254.169.254", "0.0.0.0", "0.1.2.3"}) {
            assertTrue(IpAddresses.isInternal(ip), ip);
        }
    }

    @Test
    void publicAndBorderV4AreNot() {
        for (String ip : new String[] {"203.0.113.9", "198.51.100.7", "192.0.2.1", "172.15.255.255", "172.32.0.1",
                "192.169.0.1", "11.0.0.1", "126.255.255.255", "128.0.0.1", "169.253.1.1", "100.64.0.1",
                "255.255.255.255", "9.255.255.255"}) {
            assertFalse(IpAddresses.isInternal(ip), ip);
        }
    }

    @Test
    void v6RangesIncludingMappedAndZones() {
        for (String ip : new String[] {"::1", "::", "0:0:0:0:0:0:0:1", "fc00::1", "fd12:3456:789a::1", "FD00::2",
                "fe80::1", "fe80::1%eth0", "febf::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:0a00:0001"}) {
            assertTrue(IpAddresses.isInternal(ip), ip);
        }
        for (String ip : new String[] {"2001:db8::1", "2001:db8:cf40:add:91f2:a9b2:e09a:6fc6", "fec0::1", "fbff::1",
                "fe00::1", "::2", "::ffff:203.0.113.9", "2002::1", "64:ff9b::10.0.0.1", "1::"}) {
            assertFalse(IpAddresses.isInternal(ip), ip);
        }
    }

    @Test
    void notAnAddressIsNotInternal() {
        for (String s : new String[] {null, "", "-", "localhost", "unknown", "10.0.0.1:80", "[::1]", "10.0.0",
                "fc00::1::2", "999.0.0.1"}) {
            assertFalse(IpAddresses.isInternal(s), String.valueOf(s));
        }
    }

    @Test
    void literalDropsPortsAndBrackets() {
        assertEquals("203.0.113.9", IpAddresses.literal("203.0.113.9"));
        assertEquals("203.0.113.9", IpAddresses.literal("203.0.113.9:51234"));
        assertEquals("2001:db8::1", IpAddresses.literal("[2001:db8::1]:443"));
        assertEquals("2001:db8::1", IpAddresses.literal("[2001:db8::1]"));
        assertEquals("2001:db8::1", IpAddresses.literal("2001:db8::1"));
        for (String s : new String[] {null, "", "unknown", "_hidden", "host.example:80", "203.0.113.9:", "1.2.3.4:123456",
                "1.2.3.4:8x", "[2001:db8::1", "[2001:db8::1]x", "[1.2.3.4]:80", "[]", "1.2.3.4:5:6"}) {
            assertNull(IpAddresses.literal(s), String.valueOf(s));
        }
    }
}
