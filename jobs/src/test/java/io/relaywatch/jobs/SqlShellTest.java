package io.relaywatch.jobs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interactive SQL prompt, fed as a pipe would feed it. */
class SqlShellTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... lines) throws IOException {
        SqlCommand.registerWarehouse(SparkTestSupport.spark(), SampleWarehouse.get().warehouse());
        Deque<String> queue = new ArrayDeque<>(List.of(lines));
        SqlShell shell = new SqlShell(SparkTestSupport.spark(), SqlCommand.OutputFormat.TABLE, 1000,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return shell.run(prompt -> queue.poll(), false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void statementsSpanLinesAndEndWithASemicolon() throws IOException {
        long findings = SparkTestSupport.spark().sql("SELECT * FROM findings").count();
        assertEquals(0, run("-- a comment line", "SELECT count(*) AS n", "FROM findings", ";",
                ".format csv", "SELECT 'a;b' AS x;"));
        assertTrue(out().contains("| " + findings + " "), out());
        assertTrue(out().contains("x\r\na;b"), "csv after .format csv: " + out());
    }

    @Test
    void dotCommandsListTablesQueriesAndRunTriageQueries() throws IOException {
        assertEquals(0, run(".tables", ".queries", ".schema findings", ".run chain_traffic chain='branch-mx -> mx1'"));
        assertTrue(out().contains("smtp_events"), out());
        assertTrue(out().contains("user_sessions") && out().contains("[user=...]"), out());
        assertTrue(out().contains("finding_id") && out().contains("Stable id"), out());
        assertTrue(out().contains("unauthenticated_clients") && out().matches("(?s).*\\d+ rows.*"), out());
    }

    @Test
    void errorsAreReportedAndTheShellGoesOn() throws IOException {
        assertEquals(3, run("SELECT no_such_column FROM findings;", ".run no_such_query", "SELECT 1 AS one;",
                "SELECT 2 AS two"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("no_such_column"), errors);
        assertTrue(errors.contains("no triage query no_such_query"), errors);
        assertTrue(errors.contains("without a closing ';'"), errors);
        assertTrue(out().contains("| one |"), "the statement after the errors ran: " + out());
    }

    @Test
    void quitEndsTheSession() throws IOException {
        assertEquals(0, run(".quit", "SELECT no_such_column FROM findings;"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wordsKeepQuotedParts() {
        assertArrayEquals(new String[] {".run", "chain_traffic", "chain=branch-mx -> mx1"},
                SqlShell.words(" .run  chain_traffic chain='branch-mx -> mx1' "));
        assertArrayEquals(new String[] {"a", "", "b c"}, SqlShell.words("a '' \"b c\""));
    }
}
