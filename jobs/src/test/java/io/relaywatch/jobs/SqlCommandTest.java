package io.relaywatch.jobs;

import io.relaywatch.jobs.ingest.IngestJob;
import io.relaywatch.jobs.ingest.IngestOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlCommandTest {

    @TempDir
    static Path dir;
    static String warehouse;

    @BeforeAll
    static void ingest() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("mail.log"), String.join("\n",
                "Nov 10 09:00:01 mx1 postfix/smtpd[2101]: connect from unknown[198.51.100.7]",
                "Nov 10 09:00:02 mx1 postfix/smtpd[2101]: connect from unknown[198.51.100.7]",
                "Nov 10 09:00:03 mx1 postfix/smtpd[2101]: connect from unknown[203.0.113.9]",
                "=cmd|' /C calc'!A0 not a log line") + "\n");
        warehouse = dir.resolve("wh").toString();
        IngestJob.run(SparkTestSupport.spark(), List.of(logs.toString()), warehouse,
                new IngestOptions(null, "UTC", 2026, 0L));
    }

    static String run(SqlCommand.OutputFormat format, String query) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SqlCommand.run(SparkTestSupport.spark(), warehouse, query, format, 100,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tablesAreViewsByName() throws Exception {
        String out = run(SqlCommand.OutputFormat.CSV,
                "SELECT client_ip, count(*) AS n FROM smtp_events GROUP BY client_ip ORDER BY n DESC");
        assertEquals("client_ip,n\r\n198.51.100.7,2\r\n203.0.113.9,1\r\n", out);
    }

    @Test
    void tableOutputIsAlignedAndCounted() throws Exception {
        String out = run(SqlCommand.OutputFormat.TABLE, "SELECT lines_read, lines_rejected FROM ingest_files");
        assertTrue(out.contains("| lines_read | lines_rejected |"), out);
        assertTrue(out.contains("| 4          | 1              |"), out);
        assertTrue(out.trim().endsWith("1 row"), out);
    }

    @Test
    void jsonOutputIsOneObjectPerRow() throws Exception {
        String out = run(SqlCommand.OutputFormat.JSON, "SELECT source_line, event FROM smtp_events ORDER BY 1");
        assertEquals(List.of("{\"source_line\":1,\"event\":\"connect\"}", "{\"source_line\":2,\"event\":\"connect\"}",
                "{\"source_line\":3,\"event\":\"connect\"}"), out.lines().toList());
    }

    @Test
    void csvNeutralizesFormulasFromLogs() throws Exception {
        String out = run(SqlCommand.OutputFormat.CSV, "SELECT raw_line FROM rejected_lines");
        assertTrue(out.contains("'=cmd|"), out);
        assertEquals("'=1+2", SqlCommand.neutralizeFormula("=1+2"));
        assertEquals("'@SUM(A1)", SqlCommand.neutralizeFormula("@SUM(A1)"));
        assertEquals("'-2+3", SqlCommand.neutralizeFormula("-2+3"));
        assertEquals("-42", SqlCommand.neutralizeFormula("-42"));
        assertEquals("mx1", SqlCommand.neutralizeFormula("mx1"));
    }

    @Test
    void terminalEscapesFromLogsAreShownNotRun() {
        String shown = SqlCommand.printable("evil\u001b]0;pwned\u0007agent");
        assertFalse(shown.contains("\u001b"));
        assertEquals("evil\\x1b]0;pwned\\x07agent", shown);
    }

    @Test
    void missingWarehouseIsAClearError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(CommandLine.UsageException.class,
                () -> SqlCommand.run(SparkTestSupport.spark(), dir.resolve("nothing").toString(), "SELECT 1",
                        SqlCommand.OutputFormat.TABLE, 10, System.out));
        assertTrue(e.getMessage().contains("no relaywatch tables"), e.getMessage());
    }
}
