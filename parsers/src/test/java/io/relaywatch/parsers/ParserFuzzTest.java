package io.relaywatch.parsers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad-input fuzzing of every parser in {@link LogFormats#all()}, deterministic (fixed seeds; {@code -Dfuzz.seed=N}
 * picks others). Each input goes through {@link FileParser} (the path the job uses) with the format's own
 * {@link LineParser} wrapped so that an escaping exception is caught with its stack trace; {@link FuzzHarness} checks
 * that each line is exactly one of parsed (rows of the table's declared types, no nonsense values such as a port
 * above 65535 or a non-IP in an {@code _ip} column), rejected (with a reason) or skipped (blank lines and directives
 * only), and that lines = parsed + rejected + skipped. A watchdog fails a line that runs longer than
 * {@link #LINE_LIMIT_S} seconds (catastrophic backtracking, loops); there are no timing assertions beyond that.
 *
 * <p>Strategies per format: random bytes (UTF-8 with replacement and ISO-8859-1), token soup from real lines,
 * mutations of the golden inputs and of the corpus lines ({@code ../shared/corpus}, read in place, skipped when
 * absent), truncation at every position, 1 MiB lines and 100k-character fields, directive abuse for the W3C and Zeek
 * formats, and 200k lines with distinct IPv4/IPv6 addresses through one file parser with a retained-memory bound.
 * Counts per format and strategy, and the total, are printed at the end.
 */
class ParserFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", 20261109L);
    static final int RANDOM_INPUTS = 1500;
    static final int SOUP_INPUTS = 1500;
    static final int GOLDEN_MUTATIONS = 4000;
    static final int CORPUS_MUTATIONS = 3000;
    static final int TRUNCATED_SEEDS = 3;
    static final int MIB = 1 << 20;
    static final int LONG_FIELD = 100_000;
    static final int DISTINCT_IPS = 200_000;
    static final long MAX_RETAINED_BYTES = 64L * MIB;
    static final int LINE_LIMIT_S = 10;

    /** format → strategy → counts, filled by every test of the class and printed once at the end. */
    static final Map<String, Map<String, FuzzHarness.Tally>> RESULTS = new TreeMap<>();

    private static final AtomicReference<FuzzHarness> ACTIVE = new AtomicReference<>();

    /** A line of a real file and the directives before it (which the W3C and Zeek parsers must see first). */
    record Seed(List<String> directives, String line) {
    }

    static boolean directiveFormat(String format) {
        return CorpusConformanceTest.DIRECTIVE_FORMATS.contains(format);
    }

    /** Splits a file's lines into seeds, each with the directives that precede it (for directive formats). */
    static void addSeeds(List<String> lines, String format, List<Seed> seeds, List<List<String>> headers) {
        List<String> directives = new ArrayList<>();
        boolean inHeader = false;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (directiveFormat(format) && line.startsWith("#")) {
                if (!inHeader) {
                    directives = new ArrayList<>(directives);
                    inHeader = true;
                }
                directives.add(line);
                continue;
            }
            if (inHeader) {
                headers.add(List.copyOf(directives));
                inHeader = false;
            }
            seeds.add(new Seed(List.copyOf(directives), line));
        }
        if (inHeader) {
            headers.add(List.copyOf(directives));
        }
    }

    static List<Seed> goldenSeeds(String format, List<List<String>> headers) throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (GoldenCase c : GoldenCase.all(GoldenFilesTest.goldenRoot())) {
            if (c.format().equals(format)) {
                addSeeds(c.inputLines(), format, seeds, headers);
            }
        }
        return seeds;
    }

    static List<Seed> corpusSeeds(String format) throws IOException {
        Path root = CorpusConformanceTest.corpusRoot();
        List<Seed> seeds = new ArrayList<>();
        for (Path file : CorpusConformanceTest.corpusFiles(root)) {
            String folder = root.relativize(file).getName(1).toString();
            if (format.equals(CorpusConformanceTest.FORMAT_OF_FOLDER.get(folder))) {
                List<String> lines = CorpusConformanceTest.unwrap(file, format).stream()
                        .map(CorpusConformanceTest.CorpusLine::text).toList();
                addSeeds(lines, format, seeds, new ArrayList<>());
            }
        }
        return seeds;
    }

    static long seedOf(String format, String strategy) {
        return SEED * 31 + (format + "/" + strategy).hashCode();
    }

    // ---------------------------------------------------------------- running with a watchdog, and reporting

    /**
     * Runs {@code body} for one format on a worker thread while this thread watches the line in progress; a line
     * running past {@link #LINE_LIMIT_S} fails the test with the input and the worker's stack.
     */
    static void watched(String format, Consumer<List<FuzzHarness>> body) {
        List<FuzzHarness> harnesses = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + format);
            t.setDaemon(true);
            return t;
        });
        AtomicReference<Thread> thread = new AtomicReference<>();
        try {
            Future<?> done = worker.submit(() -> {
                thread.set(Thread.currentThread());
                body.accept(harnesses);
            });
            while (true) {
                try {
                    done.get(200, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    FuzzHarness active = ACTIVE.get();
                    if (active != null && active.runningNanos() > TimeUnit.SECONDS.toNanos(LINE_LIMIT_S)) {
                        StringBuilder stack = new StringBuilder();
                        Thread t = thread.get();
                        if (t != null) {
                            for (StackTraceElement el : t.getStackTrace()) {
                                stack.append("\n      at ").append(el);
                            }
                        }
                        done.cancel(true);
                        fail(format + " / " + active.strategy + " (seed " + active.seed + "): a line ran longer than "
                                + LINE_LIMIT_S + " s\n    input: " + active.current() + stack);
                    }
                } catch (Exception e) {
                    throw new AssertionError(format + ": fuzzing stopped: " + e, e);
                }
            }
        } finally {
            worker.shutdownNow();
            record(format, harnesses);
        }
        List<String> problems = new ArrayList<>();
        for (FuzzHarness h : harnesses) {
            problems.addAll(h.problems.values());
            long sum = h.tally.parsed + h.tally.rejected + h.tally.skipped;
            if (sum != h.tally.inputs) {
                problems.add(format + " / " + h.strategy + ": " + h.tally.inputs + " lines but " + sum
                        + " parsed + rejected + skipped");
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s):\n" + String.join("\n", problems));
        }
    }

    static FuzzHarness harness(LogParser format, String strategy, List<FuzzHarness> all) {
        FuzzHarness h = new FuzzHarness(format, strategy, seedOf(format.format(), strategy));
        all.add(h);
        ACTIVE.set(h);
        return h;
    }

    static synchronized void record(String format, List<FuzzHarness> harnesses) {
        for (FuzzHarness h : harnesses) {
            RESULTS.computeIfAbsent(format, f -> new LinkedHashMap<>())
                    .computeIfAbsent(h.strategy, s -> new FuzzHarness.Tally()).add(h.tally);
        }
    }

    @AfterAll
    static void printCounts() {
        String head = String.format(Locale.ROOT, "%-24s %-22s %9s %9s %8s %9s %8s", "format", "strategy", "inputs",
                "parsed", "partial", "rejected", "skipped");
        System.out.println("\nParserFuzzTest (seed " + SEED + ")\n" + head);
        FuzzHarness.Tally total = new FuzzHarness.Tally();
        RESULTS.forEach((format, byStrategy) -> {
            FuzzHarness.Tally sum = new FuzzHarness.Tally();
            byStrategy.forEach((strategy, t) -> {
                System.out.println(row(format, strategy, t));
                sum.add(t);
            });
            System.out.println(row(format, "= all", sum));
            total.add(sum);
        });
        System.out.println(row("TOTAL (" + RESULTS.size() + " formats)", "", total));
    }

    static String row(String format, String strategy, FuzzHarness.Tally t) {
        return String.format(Locale.ROOT, "%-24s %-22s %9d %9d %8d %9d %8d", format, strategy, t.inputs, t.parsed,
                t.partial, t.rejected, t.skipped);
    }

    // ---------------------------------------------------------------- strategies

    /** Random bytes, token soup, golden mutations, truncations, long lines and fields, directive abuse. */
    @TestFactory
    List<DynamicTest> everyFormatSurvivesBadInput() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LogParser format : LogFormats.all()) {
            tests.add(DynamicTest.dynamicTest(format.format(), () -> {
                List<List<String>> headers = new ArrayList<>();
                List<Seed> seeds = goldenSeeds(format.format(), headers);
                assertTrue(!seeds.isEmpty(), "no golden lines for " + format.format());
                watched(format.format(), all -> {
                    randomBytes(format, harness(format, "random bytes", all));
                    tokenSoup(format, seeds, harness(format, "token soup", all));
                    mutations(seeds, GOLDEN_MUTATIONS, harness(format, "golden mutations", all));
                    truncations(seeds, harness(format, "truncations", all));
                    longLines(seeds, harness(format, "1 MiB lines", all));
                    longFields(seeds, harness(format, "100k fields", all));
                    directives(format, seeds, headers, harness(format, "directive abuse", all));
                });
            }));
        }
        return tests;
    }

    /** Mutations of real log lines from the corpus, in place (partly GPL: never copied into the project). */
    @TestFactory
    List<DynamicTest> corpusLinesMutated() {
        Path root = CorpusConformanceTest.corpusRoot();
        Assumptions.assumeTrue(Files.isDirectory(root), "corpus not found at " + root.toAbsolutePath()
                + " (set -Drelaywatch.corpus); corpus mutations skipped, golden-seeded fuzzing still runs");
        List<DynamicTest> tests = new ArrayList<>();
        for (LogParser format : LogFormats.all()) {
            tests.add(DynamicTest.dynamicTest(format.format(), () -> {
                List<Seed> seeds = corpusSeeds(format.format());
                Assumptions.assumeTrue(!seeds.isEmpty(), "no corpus lines for " + format.format());
                watched(format.format(), all -> mutations(seeds, CORPUS_MUTATIONS,
                        harness(format, "corpus mutations", all)));
            }));
        }
        return tests;
    }

    /** 200k lines, each with another IPv4 or IPv6 address, through one file parser: completes, memory stays bounded. */
    @TestFactory
    List<DynamicTest> hugeCountsOfDistinctIps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (LogParser format : LogFormats.all()) {
            tests.add(DynamicTest.dynamicTest(format.format(), () -> {
                List<Seed> seeds = goldenSeeds(format.format(), new ArrayList<>());
                Seed template = ipTemplate(format, seeds);
                assertTrue(template != null, format.format() + ": no golden line with an IPv4 address that parses");
                String ip = firstIpv4(template.line());
                long[] retained = new long[1];
                watched(format.format(), all -> {
                    FuzzHarness h = harness(format, "distinct IPs", all);
                    h.newFile(template.directives());
                    long before = usedAfterGc();
                    String[] parts = template.line().split(java.util.regex.Pattern.quote(ip), -1);
                    for (int i = 0; i < DISTINCT_IPS; i++) {
                        h.feed(String.join(distinctIp(i), parts));
                    }
                    retained[0] = usedAfterGc() - before;
                    Reference.reachabilityFence(h);
                });
                System.out.printf(Locale.ROOT, "%s: %d distinct IPs, retained heap growth %.1f MiB%n",
                        format.format(), DISTINCT_IPS, retained[0] / (double) MIB);
                assertTrue(retained[0] < MAX_RETAINED_BYTES, format.format() + ": heap grew by " + retained[0]
                        + " bytes over " + DISTINCT_IPS + " distinct IPs (state per IP inside the parser?)");
            }));
        }
        return tests;
    }

    static void randomBytes(LogParser format, FuzzHarness h) {
        Random r = new Random(h.seed);
        boolean directives = directiveFormat(format.format());
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            if (directives && i % 100 == 0) {
                h.newFile(List.of());
            }
            h.feed(FuzzText.randomBytes(r));
        }
    }

    static void tokenSoup(LogParser format, List<Seed> seeds, FuzzHarness h) {
        Random r = new Random(h.seed);
        List<String> lines = seeds.stream().map(Seed::line).toList();
        for (int i = 0; i < SOUP_INPUTS; i++) {
            Seed seed = seeds.get(r.nextInt(seeds.size()));
            h.newFile(seed.directives());
            h.feed(FuzzText.tokenSoup(r, lines));
        }
    }

    /** Each mutated line in a fresh file after its seed's directives, so that a failure reproduces from the message. */
    static void mutations(List<Seed> seeds, int count, FuzzHarness h) {
        Random r = new Random(h.seed);
        for (int i = 0; i < count; i++) {
            Seed seed = seeds.get(r.nextInt(seeds.size()));
            h.newFile(seed.directives());
            h.feed(FuzzText.mutate(r, seed.line()));
        }
    }

    static void truncations(List<Seed> seeds, FuzzHarness h) {
        int step = Math.max(1, seeds.size() / TRUNCATED_SEEDS);
        for (int i = 0; i < seeds.size(); i += step) {
            Seed seed = seeds.get(i);
            for (int end = 0; end <= seed.line().length(); end++) {
                h.newFile(seed.directives());
                h.feed(seed.line().substring(0, end));
            }
        }
    }

    static void longLines(List<Seed> seeds, FuzzHarness h) {
        Random r = new Random(h.seed);
        Seed seed = seeds.get(0);
        String prefix = seed.line().substring(0, seed.line().length() / 2);
        List<String> lines = new ArrayList<>();
        lines.add("A".repeat(MIB));
        StringBuilder random = new StringBuilder(MIB);
        while (random.length() < MIB) {
            random.append((char) (32 + r.nextInt(95)));
        }
        lines.add(random.toString());
        lines.add(FuzzText.asLine((seed.line() + " ").repeat(MIB / (seed.line().length() + 1) + 1)));
        for (String sep : FuzzText.SEPARATORS) {
            lines.add(prefix + sep.repeat(MIB));
            lines.add(prefix + ("a" + sep).repeat(MIB / 2));
        }
        lines.add(prefix + "a=\"".repeat(MIB / 3));
        lines.add(prefix + "[1.2.3.4]:".repeat(MIB / 10));
        lines.add(prefix + "<a@b> ".repeat(MIB / 6));
        for (String line : lines) {
            h.newFile(seed.directives());
            h.feed(line);
        }
    }

    static void longFields(List<Seed> seeds, FuzzHarness h) {
        int step = Math.max(1, seeds.size() / 3);
        for (int i = 0; i < seeds.size(); i += step) {
            Seed seed = seeds.get(i);
            for (String line : FuzzText.longFields(seed.line(), LONG_FIELD, 40)) {
                h.newFile(seed.directives());
                h.feed(line);
            }
        }
    }

    /** W3C #Fields with no, 1000 and duplicate names, a change mid-file; Zeek #fields and #separator oddities. */
    static void directives(LogParser format, List<Seed> seeds, List<List<String>> headers, FuzzHarness h) {
        Random r = new Random(h.seed);
        List<String> data = seeds.stream().map(Seed::line).toList();
        boolean zeek = format.format().startsWith("zeek");
        String fieldsName = zeek ? "#fields" : "#Fields:";
        String sep = zeek ? "\t" : format.format().startsWith("exchange") ? "," : " ";
        List<String> realFields = new ArrayList<>();
        for (List<String> header : headers) {
            for (String line : header) {
                if (line.toLowerCase(Locale.ROOT).startsWith("#fields")) {
                    realFields.add(line);
                }
            }
        }
        if (realFields.isEmpty()) {
            realFields.add(fieldsName + sep + "date" + sep + "time" + sep + "c-ip");
        }
        List<List<String>> variants = new ArrayList<>();
        variants.add(List.of(fieldsName));
        variants.add(List.of(fieldsName + sep));
        variants.add(List.of(fieldsName + sep.repeat(50)));
        variants.add(List.of("#"));
        variants.add(List.of("#:"));
        variants.add(List.of("#Fields"));
        variants.add(List.of("#fields"));
        StringBuilder thousand = new StringBuilder(fieldsName);
        for (int i = 0; i < 1000; i++) {
            thousand.append(sep).append("f").append(i);
        }
        variants.add(List.of(thousand.toString()));
        for (String fields : realFields) {
            String[] parts = fields.split(java.util.regex.Pattern.quote(sep), -1);
            String names = fields.substring(parts[0].length());
            variants.add(List.of(fields + names)); // every name twice
            variants.add(List.of(parts[0] + sep + parts[Math.min(1, parts.length - 1)] + names)); // first twice
            variants.add(List.of(parts[0] + sep + parts[parts.length - 1])); // one field
            variants.add(List.of(fields + (sep + "x").repeat(1000))); // 1000 extra
            List<String> reversed = new ArrayList<>(List.of(parts).subList(1, parts.length));
            java.util.Collections.reverse(reversed);
            variants.add(List.of(parts[0] + sep + String.join(sep, reversed)));
            variants.add(List.of(fields.toUpperCase(Locale.ROOT)));
            variants.add(List.of(fields.replace(sep, sep + sep)));
            variants.add(List.of(fields.replace(sep, "\t")));
            variants.add(List.of(fields, fields, fields)); // repeated directive
        }
        if (zeek) {
            for (String odd : List.of("#separator \\x09", "#separator ,", "#separator", "#separator \\x", "#separator ",
                    "#set_separator\t", "#set_separator", "#set_separator\t\t", "#set_separator\t.*", "#unset_field\t",
                    "#empty_field\t", "#unset_field\t\t", "#path\tconn", "#path\t", "#path", "#types", "#close",
                    "#open\t" + "9".repeat(100), "#fields\tuid\tuid\trcptto", "#fields\trcptto\tuid\tuid\tuid",
                    "#fields\tts\tuid\trcptto\tts\tuid\trcptto", "#fields\t\t\t", "#fields\tuid\trcptto\t")) {
                for (String fields : realFields) {
                    variants.add(List.of(fields, odd));
                    variants.add(List.of(odd, fields));
                }
                variants.add(List.of(odd));
            }
        } else {
            variants.add(List.of("#Date: 2026-02-30 00:00:00"));
            variants.add(List.of("#Date: 9999999999"));
            variants.add(List.of("#Date:"));
            variants.add(List.of("#Start-Date: 2026-13-01 25:00:00"));
            variants.add(List.of("#Software: " + "x".repeat(LONG_FIELD)));
            variants.add(List.of("#Fields: " + "date".repeat(LONG_FIELD / 4)));
            variants.add(List.of("#Fields:" + sep + "date" + sep + "date" + sep + "time" + sep + "time"));
        }
        for (List<String> variant : variants) {
            // the odd header, then real data lines (some mutated)
            h.newFile(List.of());
            for (String d : variant) {
                h.feed(d);
            }
            for (int i = 0; i < 12; i++) {
                String line = data.get(r.nextInt(data.size()));
                h.feed(i % 3 == 2 ? FuzzText.mutate(r, line) : line);
            }
            // a real file whose #Fields changes mid-file to the odd header
            Seed seed = seeds.get(r.nextInt(seeds.size()));
            h.newFile(seed.directives());
            h.feed(seed.line());
            for (String d : variant) {
                h.feed(d);
            }
            for (int i = 0; i < 6; i++) {
                h.feed(data.get(r.nextInt(data.size())));
            }
            // and back to a real header
            for (String d : realFields.subList(0, 1)) {
                h.feed(d);
            }
            h.feed(data.get(r.nextInt(data.size())));
        }
    }

    /** The first golden line that parses and carries an IPv4 address. */
    static Seed ipTemplate(LogParser format, List<Seed> seeds) {
        for (Seed seed : seeds) {
            if (firstIpv4(seed.line()) == null) {
                continue;
            }
            FileParser parser = new FileParser(format, ParseContext.forYear("template", 2026));
            for (String d : seed.directives()) {
                parser.parse(d, 0);
            }
            ParseResult result = parser.parse(seed.line(), 1);
            if (result.kind() == ParseResult.Kind.PARSED && !result.isPartial()) {
                return seed;
            }
        }
        return null;
    }

    static String firstIpv4(String line) {
        Matcher m = java.util.regex.Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b").matcher(line);
        while (m.find()) {
            if (Values.isIpv4(m.group())) {
                return m.group();
            }
        }
        return null;
    }

    /** Line {@code i}'s address: IPv4 from 11.0.0.0 up for even i, IPv6 in 2001:db8::/32 for odd i; all distinct. */
    static String distinctIp(int i) {
        int n = i / 2 + 1;
        if (i % 2 == 0) {
            return "11." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
        }
        return "2001:db8:" + Integer.toHexString(n >> 16) + ":" + Integer.toHexString(n & 0xffff) + "::1";
    }

    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
