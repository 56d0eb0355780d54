package io.relaywatch.schema;

/**
 * Column types used by relaywatch tables. Kept independent of Spark so that the parsers can depend on the schemas
 * without pulling Spark in; the jobs module maps each constant to a Spark {@code DataType} and to a Parquet type.
 */
public enum FieldType {
    /** UTF-8 text; Java {@link String}. */
    STRING,
    /** 32-bit signed integer; Java {@link Integer}. */
    INT,
    /** 64-bit signed integer; Java {@link Long}. */
    LONG,
    /** 64-bit floating point; Java {@link Double}. */
    DOUBLE,
    /** true/false; Java {@link Boolean}. */
    BOOLEAN,
    /** An instant, stored in UTC with microsecond precision; Java {@link java.time.Instant}. */
    TIMESTAMP,
    /** A calendar date (UTC); Java {@link java.time.LocalDate}. */
    DATE,
    /**
     * A list of pointers to raw lines: {@code array<struct<table, source_file, source_line>>}; only produced by Spark
     * jobs, never by parsers.
     */
    EVIDENCE;

    /** Whether {@code value} is an acceptable Java value for this type ({@code null} always is). */
    public boolean accepts(Object value) {
        if (value == null) {
            return true;
        }
        return switch (this) {
            case STRING -> value instanceof String;
            case INT -> value instanceof Integer;
            case LONG -> value instanceof Long;
            case DOUBLE -> value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            case TIMESTAMP -> value instanceof java.time.Instant;
            case DATE -> value instanceof java.time.LocalDate;
            case EVIDENCE -> false;
        };
    }
}
