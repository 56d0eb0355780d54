package io.relaywatch.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaywatch.jobs.detect.GeoIp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code notebooks/*.ipynb} executed with {@code jupyter nbconvert --execute} on the sample warehouse, as a user
 * would run it: the notebooks call the relaywatch CLI in a JVM of their own (this JVM's classpath and Spark's module
 * options, through {@code RELAYWATCH_CMD}), one at a time. Skipped when Jupyter with pandas and matplotlib is not
 * installed (Debian: jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas python3-matplotlib).
 */
class NotebooksTest {

    /** Per notebook: the whole execution, a few CLI runs of some seconds each. */
    static final long NOTEBOOK_TIMEOUT_MINUTES = 15;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static String jupyter;
    static Path notebooks;

    @BeforeAll
    static void requireJupyter() throws Exception {
        notebooks = Path.of(System.getProperty("relaywatch.notebooks", "../notebooks"));
        Assumptions.assumeTrue(Files.isDirectory(notebooks), "no notebooks at " + notebooks.toAbsolutePath());
        jupyter = Files.isExecutable(Path.of("/usr/bin/jupyter")) ? "/usr/bin/jupyter" : "jupyter";
        String python = python();
        Assumptions.assumeTrue(succeeds(List.of(jupyter, "nbconvert", "--version"))
                        && succeeds(List.of(python, "-c", "import ipykernel, pandas, matplotlib")),
                "Jupyter with pandas and matplotlib not found (" + jupyter + ", " + python
                        + "); install jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas "
                        + "python3-matplotlib to run the notebook tests");
        // the kernel the notebooks name (python3), pinned to that interpreter whatever kernels the user has
        Path kernel = Files.createDirectories(dir.resolve("jupyter/kernels/python3"));
        Files.writeString(kernel.resolve("kernel.json"), JSON.writeValueAsString(Map.of(
                "argv", List.of(python, "-m", "ipykernel_launcher", "-f", "{connection_file}"),
                "display_name", "Python 3 (ipykernel)", "language", "python")));
    }

    /** Debian's python3 (the one its jupyter packages install into), else python3 on the PATH. */
    static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The CLI in a JVM of its own: this JVM's java and classpath, Spark's Java 17 options, local mode on loopback. The
     * options go into a java argument file, so that the command prefix stays short (the classpath is long).
     */
    static String relaywatchCommand() throws IOException {
        List<String> options = new ArrayList<>();
        String opens = System.getProperty("relaywatch.java17.opens");
        if (opens != null && !opens.isBlank()) {
            options.addAll(Arrays.asList(opens.trim().split("\\s+")));
        } else { // run outside surefire: take them from this JVM's own options
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                            || a.startsWith("-Djdk.reflect."))
                    .forEach(options::add);
        }
        options.addAll(List.of("-Xmx1g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.sql.shuffle.partitions=2", "-cp", System.getProperty("java.class.path")));
        StringBuilder args = new StringBuilder();
        for (String option : options) {
            args.append('"').append(option.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        Path argFile = dir.resolve("relaywatch-jvm.args");
        Files.writeString(argFile, args, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return shellQuote(java) + " " + shellQuote("@" + argFile) + " io.relaywatch.jobs.RelayWatch";
    }

    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Test
    void everyNotebookRunsOnTheSampleWarehouse() throws Exception {
        SampleWarehouse.Analysis analysis = SampleWarehouse.get();
        assertEquals(0, analysis.exitCode(), analysis.summary());
        List<Path> books;
        try (Stream<Path> files = Files.list(notebooks)) {
            books = files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
        assertEquals(List.of("01_triage_finding.ipynb", "02_account_timeline.ipynb", "03_chain_traffic.ipynb"),
                books.stream().map(p -> p.getFileName().toString()).toList());
        String command = relaywatchCommand();
        Map<String, String> executed = new LinkedHashMap<>();
        for (Path book : books) { // one at a time: each runs Spark JVMs, the machine has few cores
            executed.put(book.getFileName().toString(), execute(book, analysis.warehouse(), command));
        }
        boolean geo = GeoIp.open(null) != null;

        String triage = executed.get("01_triage_finding.ipynb");
        assertTrue(triage.contains("auth_account_abuse on user jmeier"), "most severe finding first:\n" + triage);
        assertTrue(triage.contains("evidence rows for finding"), triage);
        assertTrue(triage.contains("185.220.101.0/24"), "top offenders:\n" + triage);

        String account = executed.get("02_account_timeline.ipynb");
        assertTrue(account.contains("jmeier:"), account);
        assertTrue(account.contains("local"), "the owner's local sessions:\n" + account);
        assertTrue(account.contains("175.16.199."), "the foreign addresses:\n" + account);
        if (geo) {
            assertTrue(account.contains("CN"), "jmeier's foreign logins come from CN:\n" + account);
        }

        String chain = executed.get("03_chain_traffic.ipynb");
        assertTrue(chain.contains("branch-mx -> mx1: ") && chain.contains("hours with unauthenticated clients"),
                "the chain's traffic:\n" + chain);
        assertTrue(chain.contains("web_to_smtp_chain"), "all chains:\n" + chain);
    }

    /**
     * Executes one notebook into the temp folder; asserts that it ran, that every code cell has outputs and none is
     * an error, and that there is a plot. Returns the text of all outputs.
     */
    static String execute(Path book, String warehouse, String command) throws Exception {
        Path outDir = Files.createDirectories(dir.resolve("executed"));
        Path log = dir.resolve(book.getFileName() + ".log");
        ProcessBuilder pb = new ProcessBuilder(jupyter, "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.kernel_name=python3",
                "--output-dir", outDir.toString(), book.toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("RELAYWATCH_WAREHOUSE", warehouse);
        env.put("RELAYWATCH_CMD", command);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JUPYTER_PATH", dir.resolve("jupyter").toString());
        env.put("MPLCONFIGDIR", Files.createDirectories(dir.resolve("mpl")).toString());
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        long start = System.nanoTime();
        Process process = pb.start();
        if (!process.waitFor(NOTEBOOK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail(book + " did not finish within " + NOTEBOOK_TIMEOUT_MINUTES + " minutes:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), book + " failed:\n" + output);
        System.out.printf("%s executed in %d s%n", book.getFileName(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));

        JsonNode executed = JSON.readTree(outDir.resolve(book.getFileName()).toFile());
        StringBuilder text = new StringBuilder();
        int images = 0;
        int index = 0;
        for (JsonNode cell : executed.get("cells")) {
            index++;
            if (!"code".equals(cell.get("cell_type").asText())) {
                continue;
            }
            JsonNode outputs = cell.get("outputs");
            String where = book.getFileName() + " cell " + index + " (" + cell.get("source") + ")";
            boolean parameters = cell.path("metadata").path("tags").toString().contains("\"parameters\"");
            assertTrue(parameters || (outputs != null && !outputs.isEmpty()), where + " has no output");
            for (JsonNode out : outputs) {
                assertFalse("error".equals(out.path("output_type").asText()), where + " failed: "
                        + out.path("ename").asText() + ": " + out.path("evalue").asText());
                text.append(out.path("text").isArray() ? join(out.get("text")) : out.path("text").asText(""));
                JsonNode data = out.path("data");
                text.append(join(data.path("text/plain")));
                if (data.has("image/png")) {
                    images++;
                }
            }
        }
        assertTrue(images > 0, book.getFileName() + " draws no plot");
        return text.toString();
    }

    private static String join(JsonNode lines) {
        if (lines.isTextual()) {
            return lines.asText() + "\n";
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach(line -> sb.append(line.asText()));
        return sb.append('\n').toString();
    }
}
