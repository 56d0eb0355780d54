package io.relaywatch.jobs.report;

import io.relaywatch.jobs.report.ReportModel.EvidenceLine;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evidence lines read back from source files as ingest numbered them; unreadable sources are said to be. */
class EvidenceReaderTest {

    @Test
    void readsWantedLinesOfPlainAndGzippedFiles(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("mail.log");
        Files.writeString(plain, "one\r\ntwo\nthree <b>\nfour\n");
        Path gz = dir.resolve("rotated"); // gzip without the suffix: found by its magic bytes, as ingest does
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        }
        EvidenceReader reader = EvidenceReader.hadoop(new Configuration());
        var p = reader.read(plain.toUri().toString(), new TreeSet<>(List.of(1L, 3L, 9L)));
        assertEquals(Map.of(1L, "one", 3L, "three <b>"), p.lines());
        assertTrue(p.error().isEmpty());
        var g = reader.read(gz.toUri().toString(), new TreeSet<>(List.of(2L)));
        assertEquals(Map.of(2L, "b"), g.lines());
        var missing = reader.read(dir.resolve("gone.log").toUri().toString(), new TreeSet<>(List.of(1L)));
        assertTrue(missing.lines().isEmpty());
        assertTrue(missing.error().isPresent());
    }

    @Test
    void cutsLongLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("long.log");
        Files.writeString(file, "x".repeat(EvidenceReader.MAX_LINE_BYTES + 10) + "\n");
        String line = EvidenceReader.hadoop(new Configuration()).read(file.toUri().toString(),
                new TreeSet<>(List.of(1L))).lines().get(1L);
        assertTrue(line.startsWith("x".repeat(EvidenceReader.MAX_LINE_BYTES)));
        assertTrue(line.endsWith("(line cut at 4096 bytes of 4106)"), line);
    }

    @Test
    void fillsEvidenceFromFilesAndSaysWhatIsMissing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "l1\nl2\nl3\n");
        String ok = file.toUri().toString();
        String gone = dir.resolve("gone.log").toUri().toString();
        ReportModel.Finding f = new ReportModel.Finding("f1", "high", 50, "ip", "192.0.2.1", null, null,
                Instant.EPOCH, Instant.EPOCH, 3, "s", 4, List.of(
                pointer(ok, 2), pointer(ok, 3), pointer(ok, 99), pointer(gone, 1)));
        List<ReportModel.RuleSection> filled = Report.withEvidence(null,
                List.of(new ReportModel.RuleSection("proxy_probe", 1, List.of(f))),
                EvidenceReader.hadoop(new Configuration()));
        List<EvidenceLine> lines = filled.get(0).shown().get(0).evidence();
        assertEquals(List.of(EvidenceLine.Kind.RAW, EvidenceLine.Kind.RAW, EvidenceLine.Kind.UNAVAILABLE,
                EvidenceLine.Kind.UNAVAILABLE), lines.stream().map(EvidenceLine::kind).toList());
        assertEquals("l2", lines.get(0).text());
        assertEquals("l3", lines.get(1).text());
        assertEquals("line not found in source", lines.get(2).text());
        assertTrue(lines.get(3).text().startsWith("source not readable"), lines.get(3).text());
        assertFalse(lines.get(3).text().isBlank());
    }

    private static EvidenceLine pointer(String file, long line) {
        return new EvidenceLine("http_requests", file, line, EvidenceLine.Kind.UNAVAILABLE, null);
    }
}
