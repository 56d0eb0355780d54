package io.relaywatch.jobs;

import io.relaywatch.jobs.ingest.FileSummary;
import io.relaywatch.jobs.ingest.IngestJob;
import io.relaywatch.jobs.ingest.IngestOptions;
import io.relaywatch.schema.Tables;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest of the whole real corpus exactly as it lies (annotation and wrapper lines included): no crash, every file
 * accounted for, every line in a table or in rejected_lines.
 */
class CorpusIngestTest {

    @Test
    void wholeCorpusIngestsWithoutLosingALine(@TempDir Path dir) throws Exception {
        Path corpus = Path.of(System.getProperty("relaywatch.corpus", "../../shared/corpus"));
        Assumptions.assumeTrue(Files.isDirectory(corpus), "corpus not found at " + corpus.toAbsolutePath()
                + "; corpus ingest skipped");
        String warehouse = dir.resolve("wh").toString();
        IngestJob.Result result = IngestJob.run(SparkTestSupport.spark(), List.of(corpus.toString()), warehouse,
                new IngestOptions(null, "UTC", 2026, 0L));
        FileSummary.print(result.files(), System.out);
        long files;
        try (var walk = Files.walk(corpus)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".md")).count();
        }
        assertEquals(files, result.files().size());
        long rows = 0;
        long rejectedLines = 0;
        for (FileSummary f : result.files()) {
            assertTrue(f.balances(), f.toString());
            rows += f.rows();
            rejectedLines += f.rejected() + f.partial();
        }
        long tableRows = 0;
        for (var table : Tables.EVENT_TABLES) {
            tableRows += Warehouse.read(SparkTestSupport.spark(), warehouse, table).count();
        }
        assertEquals(rows, tableRows);
        assertEquals(rejectedLines, Warehouse.read(SparkTestSupport.spark(), warehouse, Tables.REJECTED_LINES)
                .filter("source_line IS NOT NULL").count());
    }
}
