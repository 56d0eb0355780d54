package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesAndKeyValuesTest {

    @Test
    void numbersWithoutExceptions() {
        assertEquals(42L, Values.toLong("42"));
        assertEquals(-7L, Values.toLong("-7"));
        assertNull(Values.toLong("-"));
        assertNull(Values.toLong("4x"));
        assertNull(Values.toLong("99999999999999999999"));
        assertNull(Values.toInt("3000000000"));
        assertEquals(0.25, Values.toDouble("0.25"));
        assertNull(Values.toDouble("abc"));
    }

    @Test
    void ipLiterals() {
        assertTrue(Values.isIp("198.51.100.25"));
        assertFalse(Values.isIp("198.51.100.256"));
        assertFalse(Values.isIp("1.2.3"));
        assertTrue(Values.isIp("2001:db8::1"));
        assertTrue(Values.isIp("::ffff:192.0.2.1"));
        assertTrue(Values.isIp("fe80::1%eth0"));
        assertFalse(Values.isIp("2001:db8:::1"));
        assertFalse(Values.isIp("mx1.example"));
        assertFalse(Values.isIp("1:2:3:4:5:6:7:8:9"));
    }

    @Test
    void keyValuesWithQuotesAndBareWords() {
        Map<String, String> kv = KeyValues.parse("devname=\"FGT HQ\" srcip=10.0.0.1 DF msg=\"say \\\"hi\\\"\" x=",
                0);
        assertEquals("FGT HQ", kv.get("devname"));
        assertEquals("10.0.0.1", kv.get("srcip"));
        assertEquals("", kv.get("DF"));
        assertEquals("say \"hi\"", kv.get("msg"));
        assertEquals("", kv.get("x"));
        assertEquals("open", KeyValues.parse("a=\"open", 0).get("a"));
    }
}
