package io.relaywatch.parsers;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden files: every {@code golden/<format>/<case>.log} must parse to exactly {@code <case>.expected.jsonl}.
 * Regenerate with {@code mvn -pl parsers test -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {

    static Path goldenRoot() {
        try {
            return Path.of(GoldenFilesTest.class.getResource("/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes to the source tree, not to target/, so that an update shows up in git. */
    static Path sourceGoldenRoot() {
        return Path.of(System.getProperty("user.dir"), "src", "test", "resources", "golden");
    }

    @TestFactory
    List<DynamicTest> everyGoldenCaseParsesAsExpected() throws IOException {
        boolean update = Boolean.getBoolean("golden.update");
        List<DynamicTest> tests = new ArrayList<>();
        for (GoldenCase c : GoldenCase.all(goldenRoot())) {
            tests.add(DynamicTest.dynamicTest(c.format() + "/" + c.input().getFileName(), () -> {
                List<String> actual = c.render();
                if (update) {
                    Path target = sourceGoldenRoot().resolve(c.format()).resolve(c.expected().getFileName());
                    Files.write(target, actual, StandardCharsets.UTF_8);
                    return;
                }
                if (!Files.exists(c.expected())) {
                    fail("no " + c.expected().getFileName() + "; generate it with -Dgolden.update=true");
                }
                List<String> expected = Files.readAllLines(c.expected(), StandardCharsets.UTF_8);
                assertEquals(c.inputLines().size(), expected.size(),
                        "expected file must have one line per input line");
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i), actual.get(i),
                            c.input().getFileName() + " line " + (i + 1) + ": " + c.inputLines().get(i));
                }
            }));
            if (!update) {
                tests.add(DynamicTest.dynamicTest(c.format() + "/" + c.input().getFileName()
                        + " with a byte-order mark", () -> {
                    // Exchange and IIS start every file with one; files joined with cat carry one per part
                    List<String> lines = new ArrayList<>(c.inputLines());
                    if (!lines.isEmpty()) {
                        lines.set(0, TextEncoding.BOM + TextEncoding.withoutBom(lines.get(0)));
                    }
                    if (lines.size() > 1) {
                        lines.set(lines.size() - 1, TextEncoding.BOM + lines.get(lines.size() - 1));
                    }
                    assertEquals(Files.readAllLines(c.expected(), StandardCharsets.UTF_8), c.render(lines));
                }));
            }
            if (c.checksDetection()) {
                tests.add(DynamicTest.dynamicTest(c.format() + "/" + c.input().getFileName() + " is detected",
                        () -> {
                            List<String> lines = new ArrayList<>(c.inputLines());
                            if (!lines.isEmpty()) {
                                lines.set(0, TextEncoding.BOM + lines.get(0)); // detection sees past it too
                            }
                            var detection = LogFormats.detect(
                                    lines.subList(0, Math.min(lines.size(), LogFormats.SAMPLE_LINES)), c.context());
                            assertTrue(detection.found(), detection.describe());
                            assertEquals(c.format(), detection.parser().format(), detection.describe());
                        }));
            }
        }
        return tests;
    }

    @Test
    void everyFormatHasGoldenCases() throws IOException {
        Set<String> covered = GoldenCase.all(goldenRoot()).stream().map(GoldenCase::format)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> formats = LogFormats.all().stream().map(LogParser::format)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(covered.containsAll(formats), "formats without golden cases: "
                + formats.stream().filter(f -> !covered.contains(f)).toList());
        assertTrue(formats.containsAll(covered), "golden folders for unknown formats: "
                + covered.stream().filter(f -> !formats.contains(f)).toList());
    }
}
