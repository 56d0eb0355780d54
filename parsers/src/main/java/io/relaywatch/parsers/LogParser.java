package io.relaywatch.parsers;

import io.relaywatch.schema.TableSchema;

/**
 * A supported log format: its name, the table it fills, and a factory for the per-file {@link LineParser}.
 * Implementations are stateless and registered in {@link LogFormats}.
 */
public interface LogParser {

    /** The format's name, as given to {@code --format} (postfix, access_log, cisco_asa, ...). */
    String format();

    /** The event table this format's rows go to. */
    TableSchema table();

    /** One line in plain words: what software writes this format. */
    String description();

    /** A parser for one file. */
    LineParser open(ParseContext context);

    /**
     * Whether a big file may be read in parts, in parallel: a line's meaning depends on nothing but the line itself
     * and, at most, the syslog year carried from line to line (each part's {@link SyslogYear} is handed the state the
     * parts before it ended in: {@link ParseContext#forPart}). Formats with header lines (W3C, Zeek) or sessions
     * (Cisco ASA's connection directions) are read whole.
     */
    default boolean splittable() {
        return false;
    }
}
