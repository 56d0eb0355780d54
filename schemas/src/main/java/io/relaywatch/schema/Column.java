package io.relaywatch.schema;

import java.util.Locale;

/**
 * One column of a relaywatch table. Every table is an enum implementing this interface, so a column is declared exactly
 * once, with its type, its Elastic Common Schema counterpart and a one-line description; the enum's ordinal is the
 * column's position.
 */
public interface Column {

    /** Type, ECS name and description of a column, as written in its enum constant. */
    record Spec(FieldType type, String ecs, String doc) {
    }

    /** Position of the column in its table (the enum ordinal). */
    int ordinal();

    /** The enum constant's name. */
    String name();

    /** Type, ECS name and description. */
    Spec spec();

    /** The column name in Parquet and SQL: the enum constant in lower snake_case. */
    default String columnName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The column's type. */
    default FieldType type() {
        return spec().type();
    }

    /** The Elastic Common Schema field this column maps to, or {@code ""} where ECS has none. */
    default String ecs() {
        return spec().ecs();
    }

    /** One sentence saying what the column holds. */
    default String doc() {
        return spec().doc();
    }
}
