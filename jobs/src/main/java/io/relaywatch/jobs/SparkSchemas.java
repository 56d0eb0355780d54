package io.relaywatch.jobs;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.FieldType;
import io.relaywatch.schema.TableSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Spark's view of the tables declared in {@code schemas}: nothing here restates a column. */
public final class SparkSchemas {

    /** One evidence pointer: which table, and the raw line's file and line number. */
    public static final StructType EVIDENCE_ITEM = new StructType(new StructField[]{
            DataTypes.createStructField("table", DataTypes.StringType, false),
            DataTypes.createStructField("source_file", DataTypes.StringType, true),
            DataTypes.createStructField("source_line", DataTypes.LongType, true)});

    private SparkSchemas() {
    }

    public static DataType dataType(FieldType type) {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case DATE -> DataTypes.DateType;
            case EVIDENCE -> DataTypes.createArrayType(EVIDENCE_ITEM, false);
        };
    }

    /** The table as a Spark struct; each field carries its description as the column comment. */
    public static StructType structType(TableSchema table) {
        StructField[] fields = new StructField[table.size()];
        for (Column column : table.columns()) {
            Metadata comment = new MetadataBuilder().putString("comment", column.doc()).build();
            fields[column.ordinal()] = new StructField(column.columnName(), dataType(column.type()), true, comment);
        }
        return new StructType(fields);
    }
}
