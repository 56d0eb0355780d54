package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.jobs.SparkTestSupport;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest of good and hostile files: every line is parsed, rejected with a reason or skipped, the counts add up, and
 * the rows can be traced to their line.
 */
class IngestJobTest {

    @TempDir
    static Path dir;
    static Path input;
    static String warehouse;
    static IngestJob.Result result;
    static Map<String, byte[]> decompressed = new HashMap<>();

    static String postfixLine(int i) {
        return String.format("Nov 10 09:%02d:%02d mx1 postfix/smtpd[2101]: connect from unknown[198.51.100.%d]",
                (i / 60) % 60, i % 60, i % 250 + 1);
    }

    static List<String> postfixLines(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(postfixLine(i));
        }
        return lines;
    }

    static void write(String name, byte[] plain, String compression) throws IOException {
        decompressed.put(name, plain);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (compression) {
            case "gz" -> new GZIPOutputStream(bytes);
            case "bz2" -> new BZip2CompressorOutputStream(bytes);
            default -> bytes;
        }) {
            out.write(plain);
        }
        Files.write(input.resolve(name), bytes.toByteArray());
    }

    static byte[] text(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void ingestHostileFolder() throws IOException {
        input = Files.createDirectories(dir.resolve("logs"));
        warehouse = dir.resolve("warehouse").toString();
        write("mail.log", text(postfixLines(50)), "plain");
        write("mail.log.1.gz", text(postfixLines(30)), "gz");
        write("mail.log.2.bz2", text(postfixLines(20)), "bz2");
        write("empty.log", new byte[0], "plain");
        write("notes.txt", text(List.of("shopping list", "milk", "", "eggs")), "plain");
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        write("garbage.bin", garbage, "plain");

        // a gzip cut in half: what decompresses before the cut must be kept
        write("truncated.log.gz", text(postfixLines(5000)), "gz");
        byte[] whole = Files.readAllBytes(input.resolve("truncated.log.gz"));
        Files.write(input.resolve("truncated.log.gz"), Arrays.copyOf(whole, whole.length / 2));
        decompressed.remove("truncated.log.gz");

        List<String> withLongLine = postfixLines(10);
        withLongLine.add(5, "Nov 10 09:00:00 mx1 postfix/smtpd[1]: " + "A".repeat(10 * 1024 * 1024));
        write("longline.log", text(withLongLine), "plain");

        ByteArrayOutputStream badUtf8 = new ByteArrayOutputStream();
        badUtf8.write(text(postfixLines(3)));
        badUtf8.write("Nov 10 09:00:09 mx1 postfix/smtpd[2101]: connect from caf".getBytes(StandardCharsets.UTF_8));
        badUtf8.write(new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        badUtf8.write("[198.51.100.9]\r\n".getBytes(StandardCharsets.UTF_8));
        write("badutf8.log", badUtf8.toByteArray(), "plain");

        // as Windows tools write text: a UTF-8 byte-order mark and CRLF; UTF-16LE with its mark
        byte[] crlf = (String.join("\r\n", postfixLines(12)) + "\r\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        bom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bom.write(crlf);
        write("bom-crlf.log", bom.toByteArray(), "plain");
        ByteArrayOutputStream utf16 = new ByteArrayOutputStream();
        utf16.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
        utf16.write(new String(crlf, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE));
        write("utf16.log", utf16.toByteArray(), "plain");
        decompressed.put("utf16.log", crlf); // its lines, counted in the text it holds

        result = IngestJob.run(spark(), List.of(input.toString()), warehouse,
                new IngestOptions(null, "Europe/Berlin", 2026, 0L));
    }

    static SparkSession spark() {
        return SparkTestSupport.spark();
    }

    static FileSummary summary(String name) {
        return result.files().stream().filter(f -> f.file().endsWith("/" + name)).findFirst().orElseThrow();
    }

    static long countLines(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? n + 1 : n;
    }

    @Test
    void everyFileIsListedAndItsLinesAddUp() {
        assertEquals(11, result.files().size());
        for (FileSummary f : result.files()) {
            assertEquals(f.read(), f.parsed() + f.rejected() + f.skipped(), f.toString());
        }
        // lines read agrees with an independent count of the decompressed bytes
        decompressed.forEach((name, bytes) -> assertEquals(countLines(bytes), summary(name).read(), name));
    }

    @Test
    void tableRowsAgreeWithTheAccounting() {
        for (FileSummary f : result.files()) {
            long eventRows = 0;
            for (TableSchema table : Tables.EVENT_TABLES) {
                eventRows += Warehouse.read(spark(), warehouse, table).filter(col("source_file").equalTo(f.file()))
                        .count();
            }
            assertEquals(f.rows(), eventRows, f.file());
            long lineRejects = Warehouse.read(spark(), warehouse, Tables.REJECTED_LINES)
                    .filter(col("source_file").equalTo(f.file()).and(col("source_line").isNotNull())).count();
            assertEquals(f.rejected() + f.partial(), lineRejects, f.file());
        }
    }

    @Test
    void compressedFilesAreReadByContent() {
        assertEquals("postfix", summary("mail.log.1.gz").format());
        assertEquals(30, summary("mail.log.1.gz").parsed());
        assertEquals("postfix", summary("mail.log.2.bz2").format());
        assertEquals(20, summary("mail.log.2.bz2").parsed());
    }

    @Test
    void truncatedGzipKeepsWhatWasReadAndSaysSo() {
        FileSummary f = summary("truncated.log.gz");
        assertNotNull(f.error());
        assertTrue(f.error().contains("truncated"), f.error());
        assertTrue(f.parsed() > 100, "lines before the cut are kept: " + f);
        List<Row> fileErrors = Warehouse.read(spark(), warehouse, Tables.REJECTED_LINES)
                .filter(col("source_file").equalTo(f.file()).and(col("source_line").isNull())).collectAsList();
        assertEquals(1, fileErrors.size());
        assertTrue(fileErrors.get(0).getAs("reason").toString().startsWith("file error: "));
    }

    @Test
    void unknownFormatsAndGarbageAreRejectedLineByLine() {
        FileSummary notes = summary("notes.txt");
        assertEquals("unknown", notes.format());
        assertEquals(3, notes.rejected());
        assertEquals(1, notes.skipped());
        List<Row> rejected = Warehouse.read(spark(), warehouse, Tables.REJECTED_LINES)
                .filter(col("source_file").equalTo(notes.file())).orderBy("source_line").collectAsList();
        assertEquals("shopping list", rejected.get(0).getAs("raw_line"));
        assertTrue(rejected.get(0).getAs("reason").toString().startsWith("unknown format"));

        FileSummary garbage = summary("garbage.bin");
        assertEquals("unknown", garbage.format());
        assertEquals(0, garbage.parsed());
        assertTrue(garbage.rejected() > 0);
    }

    @Test
    void byteOrderMarksAndUtf16AreNotPartOfTheLines() {
        for (String name : List.of("bom-crlf.log", "utf16.log")) {
            FileSummary f = summary(name);
            assertEquals("postfix", f.format(), name);
            assertEquals(12, f.parsed(), name);
            assertEquals(0, f.rejected() + f.partial(), name);
            Row first = Warehouse.read(spark(), warehouse, Tables.SMTP_EVENTS)
                    .filter(col("source_file").equalTo(f.file()).and(col("source_line").equalTo(1))).first();
            assertEquals("198.51.100.1", first.getAs("client_ip"), name);
        }
        assertTrue(summary("utf16.log").how().contains("utf-16le"), summary("utf16.log").how());
        assertTrue(!summary("bom-crlf.log").how().contains("utf-16"), summary("bom-crlf.log").how());
    }

    @Test
    void emptyFileIsAccountedWithoutRows() {
        FileSummary empty = summary("empty.log");
        assertEquals(0, empty.read());
        assertEquals("empty file", empty.how());
    }

    @Test
    void tenMegabyteLineIsRejectedAndCutNotParsed() {
        FileSummary f = summary("longline.log");
        assertEquals("postfix", f.format());
        assertEquals(10, f.parsed());
        assertEquals(1, f.rejected());
        Row row = Warehouse.read(spark(), warehouse, Tables.REJECTED_LINES)
                .filter(col("source_file").equalTo(f.file())).first();
        assertEquals(6L, row.<Long>getAs("source_line"));
        assertTrue(row.getAs("reason").toString().contains("longer than"), row.toString());
        assertEquals(FileIngestor.MAX_RAW_CHARS, row.<String>getAs("raw_line").length());
    }

    @Test
    void invalidUtf8IsParsedWithANote() {
        FileSummary f = summary("badutf8.log");
        assertEquals(4, f.parsed());
        assertEquals(1, f.partial());
        Row note = Warehouse.read(spark(), warehouse, Tables.REJECTED_LINES)
                .filter(col("source_file").equalTo(f.file())).first();
        assertEquals(4L, note.<Long>getAs("source_line"));
        assertTrue(note.getAs("reason").toString().contains("not UTF-8"), note.toString());
        Row parsed = Warehouse.read(spark(), warehouse, Tables.SMTP_EVENTS)
                .filter(col("source_file").equalTo(f.file()).and(col("source_line").equalTo(4))).first();
        assertEquals("198.51.100.9", parsed.getAs("client_ip"));
    }

    @Test
    void rowsPointBackToTheirLineAndUseUtc() {
        String file = summary("mail.log").file();
        Row row = Warehouse.read(spark(), warehouse, Tables.SMTP_EVENTS)
                .filter(col("source_file").equalTo(file).and(col("source_line").equalTo(2))).first();
        // line 2 is postfixLine(1): Nov 10 09:00:01 in Europe/Berlin = 08:00:01 UTC
        assertEquals(java.time.Instant.parse("2026-11-10T08:00:01Z"), row.getAs("ts"));
        assertEquals(java.time.LocalDate.parse("2026-11-10"), row.getAs("event_date"));
        assertEquals("198.51.100.2", row.getAs("client_ip"));
        assertEquals("connect", row.getAs("event"));
    }

    @Test
    void parquetOnDiskHasTheDeclaredSchema() {
        for (TableSchema table : Tables.INGESTED) {
            if (!Warehouse.exists(spark(), warehouse, table)) {
                // a partitioned table without rows has no files at all (no partition to put them in)
                assertTrue(table.partitionColumn() != null, table.name() + " has files even when empty");
                assertEquals(0, Warehouse.read(spark(), warehouse, table).count(), table.name());
                continue;
            }
            StructField[] onDisk = spark().read().parquet(Warehouse.tablePath(warehouse, table)).schema().fields();
            StructField[] declared = SparkSchemas.structType(table).fields();
            assertEquals(declared.length, onDisk.length, table.name());
            for (int i = 0; i < declared.length; i++) {
                assertEquals(declared[i].name(), onDisk[i].name(), table.name());
                assertEquals(declared[i].dataType(), onDisk[i].dataType(), table.name() + "." + declared[i].name());
            }
        }
    }
}
