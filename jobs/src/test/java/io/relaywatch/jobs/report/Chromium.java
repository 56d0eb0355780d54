package io.relaywatch.jobs.report;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real headless Chromium for the report tests: the DOM after the page was parsed (and any script in it would have run),
 * with a fresh profile and no background network. Skips the calling test when Chromium is not installed.
 */
final class Chromium {

    static final String BINARY = System.getProperty("relaywatch.chromium", "/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 120;

    private Chromium() {
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BINARY)), BINARY + " not found: install the chromium "
                + "package (apt-get install chromium) to run the browser tests");
    }

    /** The serialized DOM of {@code page} as Chromium built it ({@code --dump-dom}). */
    static String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    private static String run(Path page, String... mode) throws IOException, InterruptedException {
        assumeInstalled();
        Path profile = Files.createTempDirectory("relaywatch-chromium");
        Path stdout = Files.createTempFile("relaywatch-chromium", ".out");
        try {
            List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--user-data-dir=" + profile));
            command.addAll(List.of(mode));
            command.add(page.toAbsolutePath().toUri().toString());
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue());
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stdout);
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** How a text node with {@code text} appears in the dump: '&', '<', '>' and U+00A0 escaped. */
    static String domText(String text) {
        return text.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
