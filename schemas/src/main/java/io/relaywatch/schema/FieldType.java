package io.relaywatch.schema;

/**
 * Column types used by relaywatch tables. Kept independent of Spark so that the parsers can depend on the schemas
 * without pulling Spark in; the jobs module maps each constant to a Spark {@code DataType} and to a Parquet type.
 */
public enum FieldType {
    /** UTF-8 text; Java {@link String}. */
    STRING(String.class),
    /** 32-bit signed integer; Java {@link Integer}. */
    INT(Integer.class),
    /** 64-bit signed integer; Java {@link Long}. */
    LONG(Long.class),
    /** 64-bit floating point; Java {@link Double}. */
    DOUBLE(Double.class),
    /** true/false; Java {@link Boolean}. */
    BOOLEAN(Boolean.class),
    /** An instant, stored in UTC with microsecond precision; Java {@link java.time.Instant}. */
    TIMESTAMP(java.time.Instant.class),
    /** A calendar date (UTC); Java {@link java.time.LocalDate}. */
    DATE(java.time.LocalDate.class),
    /**
     * A list of pointers to raw lines: {@code array<struct<table, source_file, source_line>>}; only produced by Spark
     * jobs, never by parsers.
     */
    EVIDENCE(null);

    /** The one Java class of this type's values (all final), or null where no Java value is accepted. */
    private final Class<?> javaClass;

    FieldType(Class<?> javaClass) {
        this.javaClass = javaClass;
    }

    /** Whether {@code value} is an acceptable Java value for this type ({@code null} always is). */
    public boolean accepts(Object value) {
        if (value == null) {
            return true;
        }
        // an exact class test: it runs for every value a parser sets, and every accepted class is final
        return value.getClass() == javaClass;
    }
}
