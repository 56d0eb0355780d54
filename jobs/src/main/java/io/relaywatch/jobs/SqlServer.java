package io.relaywatch.jobs;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;

/**
 * {@code relaywatch serve-sql}: the warehouse's tables behind Spark's Thrift JDBC/ODBC server (the HiveServer2
 * protocol that beeline, DBeaver, Tableau and the Hive JDBC driver speak). It runs in single-session mode, so every
 * connection sees the tables registered here; the catalog stays in memory (no Hive metastore is created). It listens
 * on 127.0.0.1 unless told otherwise: the logs it serves are sensitive and it has no authentication.
 */
public final class SqlServer {

    /** Static SQL settings the server's session must be created with. */
    public static final java.util.Map<String, String> SESSION_SETTINGS =
            java.util.Map.of("spark.sql.hive.thriftServer.singleSession", "true");

    private SqlServer() {
    }

    /** Registers the warehouse's tables and starts the server; {@code stop()} the result to end it. */
    public static HiveThriftServer2 start(SparkSession spark, String warehouse, String host, int port) {
        if (!"true".equals(spark.conf().get("spark.sql.hive.thriftServer.singleSession", "false"))) {
            throw new IllegalStateException("the session needs spark.sql.hive.thriftServer.singleSession=true");
        }
        SqlCommand.registerWarehouse(spark, warehouse);
        // the server's scratch Hive client starts an embedded Derby, which would leave derby.log in the working folder
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file",
                    new java.io.File(System.getProperty("java.io.tmpdir"), "relaywatch-derby.log").getPath());
        }
        // HiveServer2 reads its settings from the Hadoop configuration it is started with
        var hadoop = spark.sparkContext().hadoopConfiguration();
        hadoop.set("hive.server2.thrift.bind.host", host);
        hadoop.set("hive.server2.thrift.port", Integer.toString(port));
        hadoop.set("hive.server2.transport.mode", "binary");
        spark.conf().set("hive.server2.thrift.bind.host", host);
        spark.conf().set("hive.server2.thrift.port", Integer.toString(port));
        return HiveThriftServer2.startWithContext(spark.sqlContext());
    }

    /** The JDBC URL a client uses for a server on {@code host:port}. */
    public static String jdbcUrl(String host, int port) {
        return "jdbc:hive2://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/default";
    }
}
