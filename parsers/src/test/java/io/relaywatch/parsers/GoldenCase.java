package io.relaywatch.parsers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.relaywatch.schema.Column;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One golden case: {@code golden/<format>/<case>.log} parsed with that format, compared line by line with
 * {@code <case>.expected.jsonl}. See {@code src/test/resources/golden/README.md} for the file format.
 */
public record GoldenCase(String format, Path input, Path expected, Properties options) {

    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Columns filled by {@link FileParser} for every format: left out of goldens to keep them short. */
    private static final List<String> COMMON = List.of("source_file", "event_date");

    /** Every case under {@code root}, one folder per format. */
    public static List<GoldenCase> all(Path root) throws IOException {
        List<GoldenCase> cases = new ArrayList<>();
        try (var dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (var files = Files.list(dir)) {
                    for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                        String base = log.getFileName().toString().replaceFirst("\\.log$", "");
                        Properties options = new Properties();
                        Path props = dir.resolve(base + ".properties");
                        if (Files.exists(props)) {
                            try (var reader = Files.newBufferedReader(props)) {
                                options.load(reader);
                            }
                        }
                        cases.add(new GoldenCase(dir.getFileName().toString(), log,
                                dir.resolve(base + ".expected.jsonl"), options));
                    }
                }
            }
        }
        return cases;
    }

    public ParseContext context() {
        String fileDate = options.getProperty("file_date");
        String year = options.getProperty("year", fileDate == null ? "2026" : null);
        return new ParseContext("golden/" + format + "/" + input.getFileName(),
                ZoneId.of(options.getProperty("tz", "UTC")),
                year == null ? null : Integer.valueOf(year),
                fileDate == null ? null : Instant.parse(fileDate));
    }

    public boolean checksDetection() {
        return !"false".equals(options.getProperty("detect"));
    }

    /**
     * The input's lines as ingest reads them: decoded by {@link TextEncoding} (a UTF-16 case is read as such), split at
     * LF with a CR before it dropped (CRLF files stay CRLF in the repository: see .gitattributes).
     */
    public List<String> inputLines() {
        try (var in = TextEncoding.open(Files.newInputStream(input)).stream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            lines.replaceAll(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the input and renders one JSON line per input line. */
    public List<String> render() {
        return render(inputLines());
    }

    /** Parses {@code lines} as this case's format and renders one JSON line per line. */
    public List<String> render(List<String> lines) {
        LogParser parser = LogFormats.byName(format)
                .orElseThrow(() -> new IllegalStateException("golden folder for unknown format " + format));
        FileParser fileParser = new FileParser(parser, context());
        List<String> out = new ArrayList<>();
        long n = 0;
        for (String line : lines) {
            out.add(renderResult(fileParser.parse(line, ++n)));
        }
        return out;
    }

    static String renderResult(ParseResult result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", result.kind().name().toLowerCase());
        if (result.reason() != null) {
            json.put(result.kind() == ParseResult.Kind.PARSED ? "partial" : "reason", result.reason());
        }
        if (!result.records().isEmpty()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (EventRecord record : result.records()) {
                rows.add(renderRecord(record));
            }
            json.put("rows", rows);
        }
        try {
            return JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> renderRecord(EventRecord record) {
        Map<String, Object> row = new TreeMap<>();
        for (Column column : record.table().columns()) {
            Object value = record.get(column);
            if (value != null && !COMMON.contains(column.columnName())) {
                row.put(column.columnName(), value instanceof Instant || value instanceof java.time.LocalDate
                        ? value.toString() : value);
            }
        }
        return row;
    }
}
