package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.Values;

import java.time.Instant;

/** Epoch timestamps with a decimal fraction, as Zeek and Squid write them ({@code 1521911721.789543}). */
public final class ZeekTime {

    private ZeekTime() {
    }

    /** 9999-12-31T23:59:59Z: later epoch seconds are garbage, not a time. */
    private static final long MAX_SECONDS = 253_402_300_799L;

    /** Epoch seconds with a fraction ("1521911721.789543"), or null. */
    public static Instant epoch(String text) {
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        Long seconds = Values.toLong(dot < 0 ? text : text.substring(0, dot));
        if (seconds == null) {
            return null;
        }
        int nanos = 0;
        if (dot >= 0) {
            for (int i = dot + 1; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return null;
                }
            }
            nanos = SyslogHeader.fractionToNanos(text, dot + 1, text.length());
        }
        // Instant's range ends near year 1e9: anything that far out is not a time
        return Math.abs(seconds) > MAX_SECONDS ? null : Instant.ofEpochSecond(seconds, nanos);
    }
}
