package io.relaywatch.parsers.web;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.Values;
import io.relaywatch.parsers.smtp.ZeekTime;
import io.relaywatch.schema.Tables;

import java.time.Instant;

import static io.relaywatch.schema.HttpRequestColumn.BYTES_SENT;
import static io.relaywatch.schema.HttpRequestColumn.CLIENT_IP;
import static io.relaywatch.schema.HttpRequestColumn.DURATION_MS;
import static io.relaywatch.schema.HttpRequestColumn.METHOD;
import static io.relaywatch.schema.HttpRequestColumn.PROXY_ACTION;
import static io.relaywatch.schema.HttpRequestColumn.STATUS;
import static io.relaywatch.schema.HttpRequestColumn.TARGET;
import static io.relaywatch.schema.HttpRequestColumn.TS;
import static io.relaywatch.schema.HttpRequestColumn.UPSTREAM;
import static io.relaywatch.schema.HttpRequestColumn.USER_NAME;

/**
 * Squid's native access.log: {@code time elapsed client code/status bytes method URL user hierarchy/peer type}
 * (time in epoch seconds with milliseconds, elapsed in ms). The result code ({@code TCP_MISS}, {@code TCP_DENIED},
 * {@code TCP_TUNNEL}) goes to {@code proxy_action}, the hierarchy code and peer to {@code upstream}.
 */
public final class SquidLogParser extends NamedLogParser {

    public SquidLogParser() {
        super("squid", Tables.HTTP_REQUESTS,
                "Squid proxy native access.log");
    }

    @Override
    public boolean splittable() {
        return true; // every line carries its full date and all its fields
    }

    @Override
    public LineParser open(ParseContext context) {
        return this::parse;
    }

    private ParseResult parse(String line) {
        String[] f = line.trim().split(" +");
        if (f.length < 7) {
            return ParseResult.rejected("not a Squid access.log line: " + f.length + " fields, at least 7 expected");
        }
        Instant ts = ZeekTime.epoch(f[0]);
        int slash = f[3].indexOf('/');
        Integer status = slash > 0 ? Values.toStatus(f[3].substring(slash + 1)) : null;
        if (ts == null || slash <= 0 || status == null || Values.toLong(f[1]) == null) {
            return ParseResult.rejected("not a Squid access.log line: needs 'epoch.ms elapsed client CODE/status'");
        }
        EventRecord row = new EventRecord(Tables.HTTP_REQUESTS);
        row.set(TS, ts);
        row.set(DURATION_MS, Values.toCount(f[1]));
        row.set(CLIENT_IP, Values.ipOrHost(f[2]));
        row.set(PROXY_ACTION, f[3].substring(0, slash));
        row.set(STATUS, status);
        row.set(BYTES_SENT, Values.toCount(f[4]));
        row.set(METHOD, Values.orNull(f[5]));
        row.set(TARGET, f[6]);
        RequestTargets.fill(row, f[5], f[6], null);
        row.set(USER_NAME, f.length > 7 ? Values.orNull(f[7]) : null);
        row.set(UPSTREAM, f.length > 8 && !f[8].equals("HIER_NONE/-") ? f[8] : null);
        return ParseResult.parsed(row);
    }
}
