package io.relaywatch.parsers;

/**
 * Parses the lines of one file, in order. Instances may keep state between lines (W3C {@code #Fields} directives,
 * syslog year rollover), so one instance serves exactly one file. Implementations must not throw: anything they cannot
 * read becomes {@link ParseResult#rejected(String)}.
 */
@FunctionalInterface
public interface LineParser {

    /** Parses one line (without its line terminator). */
    ParseResult parse(String line);
}
