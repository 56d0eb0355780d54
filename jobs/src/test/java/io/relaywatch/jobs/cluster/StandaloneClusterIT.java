package io.relaywatch.jobs.cluster;

import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar on a real Spark standalone cluster: a master and a worker on 127.0.0.1, started from the
 * Maven-resolved Spark jars (a folder whose jars/ holds them is a SPARK_HOME), and {@code analyze} submitted to it with
 * SparkSubmit exactly as {@code spark-submit --master spark://... --class io.relaywatch.jobs.RelayWatch relaywatch.jar}
 * runs it. Its findings, blocklist and ingest counts must equal those of the same jar in local mode.
 * Runs in {@code mvn verify} (failsafe), after the jar is built.
 */
class StandaloneClusterIT {

    static Path work;
    static Path sparkHome;
    static final List<Process> daemons = new ArrayList<>();
    static String masterUrl;
    static Path clusterOut;
    static Path localOut;

    @BeforeAll
    static void startClusterAndRunBoth() throws Exception {
        work = Files.createTempDirectory("relaywatch-cluster");
        sparkHome = work.resolve("spark-home");
        Files.createDirectories(sparkHome);
        // what Spark's launcher needs of an installation: jars/ and a RELEASE file (so it does not look for a build)
        Files.createSymbolicLink(sparkHome.resolve("jars"), Path.of(property("relaywatch.sparkJars")).toAbsolutePath());
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + " (the Maven-resolved jars of relaywatch's build)\n");
        int masterPort = freePort();
        masterUrl = "spark://127.0.0.1:" + masterPort;
        daemons.add(start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())));
        waitForLog("master", "I have been elected leader");
        daemons.add(start("worker", "org.apache.spark.deploy.worker.Worker", masterUrl, "--host", "127.0.0.1",
                "--cores", "2", "--memory", "3g", "--webui-port", Integer.toString(freePort()),
                "--work-dir", work.resolve("worker").toString()));
        waitForLog("worker", "Successfully registered with master");

        // outputs as Hadoop URIs, as on a cluster (file:// here, hdfs:// or s3a:// there)
        clusterOut = work.resolve("cluster-out");
        localOut = work.resolve("local-out");
        assertEquals(0, submit("cluster-submit", masterUrl, clusterOut), "cluster run failed; see "
                + work.resolve("cluster-submit.log"));
        assertEquals(0, submit("local-submit", "local[2]", localOut), "local run failed; see "
                + work.resolve("local-submit.log"));
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (Process daemon : daemons) {
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isBlank(), "system property " + name + " is set by the pom");
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> java(String... mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(property("relaywatch.java17Opens").trim().split("\\s+")));
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + File.separator + "*");
        command.addAll(Arrays.asList(mainAndArgs));
        return command;
    }

    private static ProcessBuilder builder(String name, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve(name + ".log").toFile());
        return pb;
    }

    private static Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = java("-Xmx512m", mainClass);
        command.addAll(Arrays.asList(args));
        return builder(name, command).start();
    }

    private static void waitForLog(String name, String line) throws Exception {
        Path log = work.resolve(name + ".log");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " did not log '" + line + "' within 90 s:\n" + Files.readString(log));
    }

    /** Runs analyze on sample-logs/ through SparkSubmit (client mode) with the given master. */
    private static int submit(String name, String master, Path out) throws Exception {
        List<String> command = java("-Xmx2g",
                "-Drelaywatch.geoip.country=" + property("relaywatch.geoip.country"),
                "-Drelaywatch.geoip.asn=" + property("relaywatch.geoip.asn"),
                "org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--class", "io.relaywatch.jobs.RelayWatch",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=2g",
                "--conf", "spark.cores.max=2",
                property("relaywatch.jar"),
                "analyze", property("relaywatch.samples"), "--out", out.toUri().toString(), "--tz", "Europe/Berlin");
        Process process = builder(name, command).start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not finish within 15 minutes");
        }
        return process.exitValue();
    }

    private static List<String> rows(Path out, io.relaywatch.schema.TableSchema table, String... columns) {
        SparkSession spark = SparkTestSupport.spark();
        Dataset<Row> data = Warehouse.read(spark, out.resolve("warehouse").toUri().toString(), table);
        return data.selectExpr(columns).collectAsList().stream().map(Row::toString).sorted().toList();
    }

    @Test
    void theClusterRanTheJobOnItsExecutors() throws IOException {
        String submitLog = Files.readString(work.resolve("cluster-submit.log"));
        assertTrue(submitLog.contains("Connected to Spark cluster") || submitLog.contains("Connecting to master"),
                "the driver talked to the standalone master");
        String workerLog = Files.readString(work.resolve("worker.log"));
        assertTrue(workerLog.contains("Asked to launch executor"), "the worker launched an executor");
        try (Stream<Path> apps = Files.list(work.resolve("worker"))) {
            assertTrue(apps.anyMatch(p -> p.getFileName().toString().startsWith("app-")), "executor work dir");
        }
    }

    @Test
    void findingsEqualTheLocalRun() {
        String[] columns = {"finding_id", "rule", "severity", "round(score, 6)", "entity_type", "entity", "country",
            "asn", "first_seen", "last_seen", "event_count", "summary", "evidence"};
        List<String> local = rows(localOut, Tables.FINDINGS, columns);
        List<String> cluster = rows(clusterOut, Tables.FINDINGS, columns);
        assertFalse(local.isEmpty(), "the local run found something");
        assertEquals(local, cluster);
        assertTrue(local.stream().anyMatch(r -> r.contains("auth_account_abuse") && r.contains("jmeier")));
    }

    @Test
    void blocklistAndIngestCountsEqualTheLocalRun() {
        assertEquals(rows(localOut, Tables.BLOCKLIST, "*"), rows(clusterOut, Tables.BLOCKLIST, "*"));
        String[] counts = {"source_file", "log_format", "lines_read", "lines_parsed", "lines_rejected",
            "lines_skipped", "rows_written"};
        List<String> local = rows(localOut, Tables.INGEST_FILES, counts);
        assertEquals(io.relaywatch.jobs.SampleLogsTest.EXPECTED.size(), local.size(), "every sample file");
        assertEquals(local, rows(clusterOut, Tables.INGEST_FILES, counts));
        for (var table : Tables.EVENT_TABLES) {
            assertEquals(rows(localOut, table, "count(*)"), rows(clusterOut, table, "count(*)"), table.name());
        }
    }
}
