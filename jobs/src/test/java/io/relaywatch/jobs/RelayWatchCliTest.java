package io.relaywatch.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes and messages. */
class RelayWatchCliTest {

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(String... args) {
        SparkTestSupport.spark();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RelayWatch.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionIsAUsageError() {
        Outcome o = run("ingest", "x", "--outt", "y");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("unknown option --outt"), o.err());
    }

    @Test
    void queryListNamesEveryTriageQueryWithItsParameters(@TempDir Path dir) {
        Outcome o = run("sql", "--warehouse", dir.toString(), "--query", "list");
        assertEquals(0, o.code(), o.err());
        for (TriageQuery query : TriageQuery.values()) {
            assertTrue(o.out().contains(query.id() + " "), o.out());
        }
        assertTrue(o.out().contains("[--param user=...]"), o.out());
    }

    @Test
    void unknownFormatNamesTheSupportedOnes() {
        Outcome o = run("ingest", "x", "--out", "y", "--format", "nosuch");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("postfix"), o.err());
    }

    @Test
    void missingInputIsAClearError(@TempDir Path dir) {
        Outcome o = run("ingest", dir.resolve("absent").toString(), "--out", dir.resolve("wh").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().contains("input not found"), o.err());
    }

    @Test
    void badZoneIsAClearError(@TempDir Path dir) {
        Outcome o = run("ingest", dir.toString(), "--out", dir.resolve("wh").toString(), "--tz", "Mars/Olympus");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("Mars/Olympus"), o.err());
    }

    @Test
    void tablesListsDocumentedColumns() {
        Outcome o = run("tables");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("next_queue_id"), o.out());
        assertTrue(o.out().contains("ecs:source.ip"), o.out());
    }
}
