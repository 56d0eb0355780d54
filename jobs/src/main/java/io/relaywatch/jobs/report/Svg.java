package io.relaywatch.jobs.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import static io.relaywatch.jobs.report.Html.escape;
import static io.relaywatch.jobs.report.Html.escapeShort;

/**
 * Inline SVG charts drawn from plain values: no script, no external resource, so the page renders under a CSP that
 * allows nothing but inline styles. Every label goes through {@link Html#escape}; tooltips are SVG {@code <title>}.
 */
public final class Svg {

    static final String MESSAGES_COLOR = "#8fb3de";
    static final String ABUSE_COLOR = "#b3261e";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR_FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A bar of a horizontal bar chart: {@code highlighted} of {@code value} is drawn in the alarm colour. */
    public record Bar(String label, long value, long highlighted, String tooltip) {
    }

    private Svg() {
    }

    /**
     * Hourly mail volume (bars) against the part of it from detected abusers (bars in front), on a real time axis so that
     * hours without mail show as gaps; date labels at midnight UTC.
     */
    public static String timeline(List<ReportModel.HourRow> hours) {
        if (hours.isEmpty()) {
            return "<p class=\"muted\">No timestamped SMTP events in the warehouse.</p>";
        }
        int width = 1100;
        int height = 320;
        int left = 64;
        int right = 16;
        int top = 36;
        int bottom = 56;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        Instant from = hours.get(0).hour().truncatedTo(ChronoUnit.HOURS);
        Instant to = hours.get(hours.size() - 1).hour().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        for (ReportModel.HourRow h : hours) {
            from = h.hour().isBefore(from) ? h.hour().truncatedTo(ChronoUnit.HOURS) : from;
        }
        long spanHours = Math.max(1, Duration.between(from, to).toHours());
        double hourW = (double) plotW / spanHours;
        long max = 1;
        for (ReportModel.HourRow h : hours) {
            max = Math.max(max, Math.max(h.messages(), h.abusiveMessages()));
        }
        long step = niceStep(max, 4);
        long yMax = ((max + step - 1) / step) * step;

        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"Messages accepted per hour and those from detected abusers\">");
        // y grid and labels
        for (long v = 0; v <= yMax; v += step) {
            double y = top + plotH - (double) v / yMax * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>",
                    left, y, left + plotW, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%d</text>",
                    left - 6, y + 4, v));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" class=\"axis\" transform=\"rotate(-90 14 %d)\" "
                + "text-anchor=\"middle\">messages / hour</text>", top + plotH / 2, top + plotH / 2));
        // x ticks: every day at 00:00 UTC; on short spans also every 6 hours
        long tickHours = spanHours <= 72 ? 6 : spanHours <= 24 * 14 ? 24 : 24 * (long) Math.ceil(spanHours / 24.0 / 12);
        Instant tick = from.truncatedTo(ChronoUnit.DAYS);
        while (tick.isBefore(from)) {
            tick = tick.plus(tickHours, ChronoUnit.HOURS);
        }
        boolean first = true;
        for (; !tick.isAfter(to); tick = tick.plus(tickHours, ChronoUnit.HOURS)) {
            double x = left + Duration.between(from, tick).toHours() * hourW;
            boolean midnight = tick.equals(tick.truncatedTo(ChronoUnit.DAYS));
            boolean dated = midnight || first; // the first tick carries its date too: a span may not cross midnight
            first = false;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"%s\"/>",
                    x, top, x, top + plotH + 5, midnight ? "grid day" : "grid"));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s"
                    + "</text>", x, top + plotH + 18, HOUR.format(tick)));
            if (dated) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"axis date\" "
                        + "text-anchor=\"middle\">%s</text>", x, top + plotH + 34, DAY.format(tick)));
            }
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"end\">hour (UTC)"
                + "</text>", left + plotW, height - 4));
        // bars: volume behind, abusive part in front, each hour with a tooltip
        double barW = Math.max(1.0, hourW - (hourW > 4 ? 1.5 : 0));
        for (ReportModel.HourRow h : hours) {
            double x = left + Duration.between(from, h.hour().truncatedTo(ChronoUnit.HOURS)).toHours() * hourW;
            double hm = (double) h.messages() / yMax * plotH;
            double ha = (double) h.abusiveMessages() / yMax * plotH;
            sb.append("<g><title>").append(escape(HOUR_FULL.format(h.hour()))).append(": ").append(h.messages())
                    .append(" messages, ").append(h.abusiveMessages()).append(" from detected abusers, ")
                    .append(h.rejects()).append(" rejects, ").append(h.deferred()).append(" deferred</title>");
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"%s\"/>", x, top + plotH - hm, barW, Math.max(0, hm), MESSAGES_COLOR));
            if (h.abusiveMessages() > 0) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"/>", x, top + plotH - ha, barW, Math.max(1, ha), ABUSE_COLOR));
            }
            sb.append("</g>");
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axisline\"/>",
                left, top + plotH, left + plotW, top + plotH));
        // legend
        sb.append("<g class=\"legend\">");
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"14\" height=\"14\" fill=\"%s\"/>", left,
                MESSAGES_COLOR));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\">messages accepted</text>", left + 20));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"10\" width=\"14\" height=\"14\" fill=\"%s\"/>",
                left + 170, ABUSE_COLOR));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\">from detected abusers</text>", left + 190));
        sb.append("</g></svg>");
        return sb.toString();
    }

    /** A horizontal bar chart, one row per bar, the value printed after it. */
    public static String horizontalBars(List<Bar> bars, String ariaLabel, String valueUnit) {
        if (bars.isEmpty()) {
            return "<p class=\"muted\">Nothing to chart.</p>";
        }
        int labelW = 190;
        int barMax = 330;
        int rowH = 22;
        int width = labelW + barMax + 130;
        int height = bars.size() * rowH + 8;
        long max = 1;
        for (Bar b : bars) {
            max = Math.max(max, b.value());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(escape(ariaLabel)).append("\">");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 4 + i * rowH;
            double w = Math.max(1, (double) b.value() / max * barMax);
            double hw = b.value() == 0 ? 0 : (double) Math.min(b.highlighted(), b.value()) / b.value() * w;
            sb.append("<g><title>").append(escape(b.tooltip())).append("</title>");
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"label\" text-anchor=\"end\">%s</text>",
                    labelW - 8, y + 15, escapeShort(b.label(), 26)));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    labelW, y + 3, w, rowH - 6, MESSAGES_COLOR));
            if (hw > 0) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                        + "fill=\"%s\"/>", labelW, y + 3, Math.max(1, hw), rowH - 6, ABUSE_COLOR));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"value\">%d %s</text>",
                    labelW + w + 6, y + 15, b.value(), escape(valueUnit)));
            sb.append("</g>");
        }
        sb.append("</svg>");
        return sb.toString();
    }

    /** One relay chain: a box per node, arrows between them labelled with the message count. */
    public static String chain(List<String> nodes, long messages, String severityColor) {
        int boxH = 34;
        int gap = 120;
        int top = 26;
        int[] widths = new int[nodes.size()];
        int total = 10;
        for (int i = 0; i < nodes.size(); i++) {
            int chars = Math.min(30, Math.max(4, nodes.get(i).codePointCount(0, nodes.get(i).length())));
            widths[i] = 24 + chars * 8;
            total += widths[i] + (i > 0 ? gap : 0);
        }
        int width = total + 10;
        int height = top + boxH + 12;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chain\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(escape(String.join(" -> ", nodes))).append("\">");
        int x = 10;
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                int x0 = x - gap + 4;
                int x1 = x - 4;
                int y = top + boxH / 2;
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"arrow\"/>",
                        x0, y, x1 - 8, y));
                sb.append(String.format(Locale.ROOT, "<polygon points=\"%d,%d %d,%d %d,%d\" class=\"arrowhead\"/>",
                        x1, y, x1 - 10, y - 6, x1 - 10, y + 6));
                sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"arrowlabel\" "
                        + "text-anchor=\"middle\">%d msg%s</text>", (x0 + x1) / 2, y - 8, messages,
                        messages == 1 ? "" : "s"));
            }
            String node = nodes.get(i);
            sb.append("<g><title>").append(escape(node)).append("</title>");
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" "
                    + "class=\"node\" stroke=\"%s\"/>", x, top, widths[i], boxH, escape(severityColor)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"nodelabel\" text-anchor=\"middle\">"
                    + "%s</text>", x + widths[i] / 2, top + boxH / 2 + 5, escapeShort(node, 30)));
            sb.append("</g>");
            x += widths[i] + gap;
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"16\" class=\"axis\">hop 1 \u2192 hop %d</text>",
                nodes.size()));
        sb.append("</svg>");
        return sb.toString();
    }

    /** A round step (1, 2 or 5 times a power of ten) giving about {@code ticks} ticks up to {@code max}. */
    static long niceStep(long max, int ticks) {
        double raw = Math.max(1.0, (double) max / ticks);
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double unit = raw / pow;
        double nice = unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10;
        return Math.max(1, Math.round(nice * pow));
    }
}
