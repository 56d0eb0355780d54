package io.relaywatch.parsers;

import java.util.List;

/**
 * What a parser made of one input line: rows ({@link Kind#PARSED}, possibly with a note that the line was understood
 * only in part), a rejection with its reason, or a skip for lines the format defines as carrying no event (headers,
 * directives, blank lines).
 *
 * @param kind    the outcome
 * @param records rows for the event table; non-empty exactly when {@code kind} is {@code PARSED}
 * @param reason  for {@code REJECTED} why; for {@code PARSED} a partial-parse note or {@code null}; for
 *                {@code SKIPPED} what the line was
 */
public record ParseResult(Kind kind, List<EventRecord> records, String reason) {

    public enum Kind { PARSED, REJECTED, SKIPPED }

    public ParseResult {
        records = List.copyOf(records);
        if ((kind == Kind.PARSED) == records.isEmpty()) {
            throw new IllegalArgumentException("a parsed line has rows and only a parsed line has rows");
        }
        if (kind != Kind.PARSED && reason == null) {
            throw new IllegalArgumentException(kind + " needs a reason");
        }
    }

    public static ParseResult parsed(EventRecord record) {
        return new ParseResult(Kind.PARSED, List.of(record), null);
    }

    public static ParseResult parsed(List<EventRecord> records) {
        return new ParseResult(Kind.PARSED, records, null);
    }

    /** Rows were made, but part of the line could not be interpreted; {@code note} says which part. */
    public static ParseResult partial(EventRecord record, String note) {
        return new ParseResult(Kind.PARSED, List.of(record), note);
    }

    public static ParseResult partial(List<EventRecord> records, String note) {
        return new ParseResult(Kind.PARSED, records, note);
    }

    public static ParseResult rejected(String reason) {
        return new ParseResult(Kind.REJECTED, List.of(), reason);
    }

    public static ParseResult skipped(String what) {
        return new ParseResult(Kind.SKIPPED, List.of(), what);
    }

    /** True for a parsed line that carries a partial-parse note. */
    public boolean isPartial() {
        return kind == Kind.PARSED && reason != null;
    }
}
