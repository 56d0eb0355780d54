package io.relaywatch.parsers;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The registry of supported formats, and detection of a file's format from its first lines. Detection runs every
 * format's own parser over the sample and keeps the one that parses the largest share of its non-skipped lines, so a
 * format is recognized by exactly the rules that parse it; there is no second set of detection regexes to drift.
 */
public final class LogFormats {

    /** Lines read from the start of a file to detect its format. */
    public static final int SAMPLE_LINES = 200;

    /** Below this share of parsed sample lines a file is not taken to be in a format. */
    public static final double MIN_SHARE = 0.5;

    /** Every format, most specific first: on a tie in share and count the earlier one wins. */
    private static final List<LogParser> ALL = List.of(
            // formats are added here by their packages (smtp, web, firewall)
            new io.relaywatch.parsers.smtp.PostfixLogParser(),
            new io.relaywatch.parsers.smtp.SendmailLogParser(),
            new io.relaywatch.parsers.smtp.EximLogParser(),
            new io.relaywatch.parsers.smtp.ExchangeTrackingLogParser(),
            new io.relaywatch.parsers.smtp.Exchange2003TrackingLogParser(),
            new io.relaywatch.parsers.smtp.ExchangeSmtpProtocolLogParser(),
            new io.relaywatch.parsers.smtp.IisSmtpLogParser(),
            new io.relaywatch.parsers.smtp.ZeekSmtpLogParser(),
            new io.relaywatch.parsers.firewall.WindowsFirewallLogParser(),
            new io.relaywatch.parsers.web.IisW3cLogParser(),
            new io.relaywatch.parsers.web.AccessLogParser(),
            new io.relaywatch.parsers.web.SquidLogParser(),
            new io.relaywatch.parsers.firewall.CiscoAsaLogParser(),
            new io.relaywatch.parsers.firewall.PfFilterlogLogParser(),
            new io.relaywatch.parsers.firewall.FortigateLogParser(),
            new io.relaywatch.parsers.firewall.PaloAltoLogParser(),
            new io.relaywatch.parsers.firewall.IptablesLogParser()
    );

    private LogFormats() {
    }

    public static List<LogParser> all() {
        return ALL;
    }

    public static Optional<LogParser> byName(String format) {
        return ALL.stream().filter(p -> p.format().equals(format)).findFirst();
    }

    /** The names of all formats, comma-separated, for messages. */
    public static String names() {
        return ALL.stream().map(LogParser::format).collect(Collectors.joining(", "));
    }

    /**
     * Result of detection.
     *
     * @param parser the format chosen, or {@code null} if none reached {@link #MIN_SHARE}
     * @param share  share of the sample's non-skipped lines it parsed
     * @param parsed how many sample lines it parsed
     * @param tried  how many sample lines were not skipped
     */
    public record Detection(LogParser parser, double share, int parsed, int tried) {
        public boolean found() {
            return parser != null;
        }

        public String describe() {
            return parser == null
                    ? "no format parsed at least " + Math.round(MIN_SHARE * 100) + "% of the first " + tried + " lines"
                    : String.format("detected: %d of %d sample lines parse as %s", parsed, tried, parser.format());
        }
    }

    /** Picks the format that parses the largest share of {@code sample} (the first lines of a file, in order). */
    public static Detection detect(List<String> sample, ParseContext context) {
        Detection best = new Detection(null, 0, 0, 0);
        sample = sample.stream().map(TextEncoding::withoutBom).toList();
        int tried = (int) sample.stream().filter(line -> !line.isBlank() && !line.startsWith("#")).count();
        for (LogParser candidate : ALL) {
            FileParser parser = new FileParser(candidate, context);
            int parsed = 0;
            int notSkipped = 0;
            long lineNumber = 0;
            for (String line : sample) {
                ParseResult result = parser.parse(line, ++lineNumber);
                // a '#' comment that a format rejects is not evidence against it (annotated or hand-edited logs)
                boolean comment = line.startsWith("#") && result.kind() == ParseResult.Kind.REJECTED;
                if (result.kind() != ParseResult.Kind.SKIPPED && !comment) {
                    notSkipped++;
                    if (result.kind() == ParseResult.Kind.PARSED) {
                        parsed++;
                    }
                }
            }
            double share = notSkipped == 0 ? 0 : (double) parsed / notSkipped;
            if (parsed > 0 && share >= MIN_SHARE
                    && (share > best.share() || (share == best.share() && parsed > best.parsed()))) {
                best = new Detection(candidate, share, parsed, notSkipped);
            }
        }
        // "tried" for an unknown file counts its non-blank sample lines (formats may skip some as headers)
        return best.found() ? best : new Detection(null, 0, 0, tried);
    }

    /** Names of formats whose rows go to the given table. */
    public static List<String> formatsOf(io.relaywatch.schema.TableSchema table) {
        List<String> names = new ArrayList<>();
        for (LogParser p : ALL) {
            if (p.table() == table) {
                names.add(p.format());
            }
        }
        return names;
    }
}
