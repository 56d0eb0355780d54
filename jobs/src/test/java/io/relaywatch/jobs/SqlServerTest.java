package io.relaywatch.jobs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** serve-sql: Spark's Thrift server over the sample warehouse, queried through the Hive JDBC driver as BI tools do. */
class SqlServerTest {

    static HiveThriftServer2 server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        server = SqlServer.start(SparkTestSupport.spark(), SampleWarehouse.get().warehouse(), "127.0.0.1", port);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static Connection connect() throws Exception {
        Class.forName("org.apache.hive.jdbc.HiveDriver");
        return DriverManager.getConnection(SqlServer.jdbcUrl("127.0.0.1", port), "analyst", "");
    }

    @Test
    void everyTableIsQueryableThroughJdbc() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        for (Row row : SparkTestSupport.spark().sql("SELECT rule, count(*) FROM findings GROUP BY rule")
                .collectAsList()) {
            expected.put(row.getString(0), row.getLong(1));
        }
        Map<String, Long> actual = new TreeMap<>();
        List<String> tables = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT rule, count(*) AS n FROM findings GROUP BY rule")) {
                while (rs.next()) {
                    actual.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = statement.executeQuery("SHOW TABLES")) {
                while (rs.next()) {
                    tables.add(rs.getString("tableName"));
                }
            }
            // a shipped triage query runs unchanged over JDBC
            try (ResultSet rs = statement.executeQuery(TriageQuery.FINDINGS_OVERVIEW.text())) {
                assertTrue(rs.next());
                assertEquals("critical", rs.getString("severity"));
            }
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual);
        for (var table : io.relaywatch.schema.Tables.ALL) {
            assertTrue(tables.contains(table.name()), table.name() + " registered; SHOW TABLES gave " + tables);
        }
    }

    @Test
    void aSecondConnectionSeesTheSameTables() throws Exception {
        try (Connection a = connect(); Connection b = connect();
             Statement sa = a.createStatement(); Statement sb = b.createStatement();
             ResultSet ra = sa.executeQuery("SELECT count(*) FROM smtp_events");
             ResultSet rb = sb.executeQuery("SELECT count(*) FROM smtp_events")) {
            assertTrue(ra.next() && rb.next());
            assertTrue(ra.getLong(1) > 0);
            assertEquals(ra.getLong(1), rb.getLong(1));
        }
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && address instanceof Inet4Address) {
                    others.add(address);
                }
            }
        }
        for (InetAddress address : others) {
            assertThrows(IOException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2000);
                }
            }, "serve-sql must not answer on " + address);
        }
    }
}
