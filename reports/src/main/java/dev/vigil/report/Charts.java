package dev.vigil.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The report's small inline SVG charts. Each is a pure function of report data; sizes are fixed. Stateless. */
final class Charts {

    private static final int WIDTH = 1000;
    private static final String GREEN = "#2e9e68";
    private static final String RED = "#d0342c";
    private static final String BLUE = "#3a6fd8";
    private static final String GRID = "#e3e7ee";

    private Charts() {}

    /** One bar over the archived LSN range: covered ranges green, gaps red, with the first and last LSN. */
    static String coverage(ComplianceReport.Coverage coverage) {
        if (coverage.segments() == 0) {
            return "";
        }
        int height = 40;
        double from = coverage.firstLsn();
        double span = Math.max(1, coverage.lastLsn() - from + 1);
        StringBuilder svg =
                open(height, "archive coverage from LSN " + coverage.firstLsn() + " to " + coverage.lastLsn());
        svg.append(rect(0, 4, WIDTH, 18, GRID));
        for (ComplianceReport.Range range : coverage.ranges()) {
            svg.append(rect(x(range.first(), from, span), 4, width(range, span), 18, GREEN));
        }
        for (ComplianceReport.Range gap : coverage.gaps()) {
            svg.append(rect(x(gap.first(), from, span), 0, Math.max(3, width(gap, span)), 26, RED));
        }
        svg.append(text(0, 37, "start", "LSN " + coverage.firstLsn()))
                .append(text(WIDTH, 37, "end", "LSN " + coverage.lastLsn()));
        return svg.append("</svg>").toString();
    }

    /**
     * Lag of each archived segment over time (dots), with the RPO as a dashed red line. The time axis starts at the
     * first segment when the archive is younger than the period; the lag axis fits the lags, and shows the RPO line
     * when it is within reach of them (otherwise it names the RPO as off the scale).
     */
    static String lag(List<ComplianceReport.LagPoint> points, double rpoSeconds, Instant start, Instant end) {
        int height = 150;
        int top = 12;
        int bottom = 124;
        int left = 56;
        double worst = points.stream()
                .mapToDouble(ComplianceReport.LagPoint::lagSeconds)
                .max()
                .orElse(0);
        boolean rpoOnScale = worst >= rpoSeconds / 4;
        double max = rpoOnScale ? Math.max(rpoSeconds, worst) * 1.15 : Math.max(worst * 1.25, 0.001);
        Instant first = points.stream()
                .map(ComplianceReport.LagPoint::archivedAt)
                .min(Instant::compareTo)
                .orElse(start);
        Instant from =
                first.isAfter(start) ? first.minus(Duration.between(first, end).dividedBy(20)) : start;
        from = from.isBefore(start) ? start : from;
        double span = Math.max(1, Duration.between(from, end).toMillis());
        StringBuilder svg =
                open(height, "archive lag per segment over time, against the RPO of " + seconds(rpoSeconds));
        for (int i = 0; i <= 4; i++) {
            double value = max * i / 4;
            double y = bottom - (bottom - top) * i / 4.0;
            svg.append(line(left, y, WIDTH, y, GRID, false)).append(text(left - 6, y + 4, "end", seconds(value)));
        }
        if (rpoOnScale) {
            double rpoY = bottom - (bottom - top) * rpoSeconds / max;
            svg.append(line(left, rpoY, WIDTH, rpoY, RED, true))
                    .append(text(WIDTH - 4, rpoY - 4, "end", "RPO " + seconds(rpoSeconds)));
        } else {
            svg.append(text(WIDTH - 4, top - 2, "end", "RPO " + seconds(rpoSeconds) + ": far above this scale"));
        }
        StringBuilder path = new StringBuilder();
        for (ComplianceReport.LagPoint point : points) {
            double x = left
                    + (WIDTH - left)
                            * Duration.between(from, point.archivedAt()).toMillis()
                            / span;
            double y = bottom - (bottom - top) * point.lagSeconds() / max;
            path.append(path.isEmpty() ? "M" : "L").append(fmt(x)).append(' ').append(fmt(y));
            svg.append("<circle cx=\"")
                    .append(fmt(x))
                    .append("\" cy=\"")
                    .append(fmt(y))
                    .append("\" r=\"2.5\" fill=\"")
                    .append(point.lagSeconds() > rpoSeconds ? RED : BLUE)
                    .append("\"/>");
        }
        if (points.size() > 1) {
            svg.append("<path d=\"")
                    .append(path)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(BLUE)
                    .append("\" stroke-opacity=\".35\" stroke-width=\"1\"/>");
        }
        svg.append(text(left, 142, "start", Human.time(from))).append(text(WIDTH, 142, "end", Human.time(end)));
        return svg.append("</svg>").toString();
    }

    /** One horizontal bar per replica: the age of its last clean verdict, against the maximum age (red line). */
    static String verificationAge(List<ComplianceReport.ReplicaVerification> replicas, double maxAgeSeconds) {
        int row = 22;
        int left = 110;
        int height = replicas.size() * row + 22;
        double scale = maxAgeSeconds * 1.5;
        StringBuilder svg = open(
                height, "age of each replica's last clean verdict against the maximum of " + seconds(maxAgeSeconds));
        for (int i = 0; i < replicas.size(); i++) {
            ComplianceReport.ReplicaVerification replica = replicas.get(i);
            int y = i * row + 4;
            svg.append(text(left - 8, y + 13, "end", replica.replica().value()));
            svg.append(rect(left, y, WIDTH - left, 16, GRID));
            if (replica.secondsSinceVerified() == null) {
                svg.append(rect(left, y, WIDTH - left, 16, RED))
                        .append(text(left + 6, y + 12, "start", "never verified clean")
                                .replace("<text ", "<text style=\"fill:#fff\" "));
                continue;
            }
            double age = replica.secondsSinceVerified();
            double w = Math.max(2, (WIDTH - left) * Math.min(1, age / scale));
            svg.append(rect(left, y, w, 16, replica.healthy() ? GREEN : RED))
                    .append(text(
                            Math.min(WIDTH - 4, left + w + 6),
                            y + 12,
                            left + w + 80 > WIDTH ? "end" : "start",
                            seconds(age) + " ago"));
        }
        double maxX = left + (WIDTH - left) * maxAgeSeconds / scale;
        svg.append(line(maxX, 0, maxX, height - 16, RED, true))
                .append(text(maxX, height - 3, "middle", "max " + seconds(maxAgeSeconds)));
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(int height, String label) {
        return new StringBuilder(2048)
                .append("<svg viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" width=\"100%\" role=\"img\" aria-label=\"")
                .append(HtmlReport.esc(label))
                .append("\">")
                .append("<title>")
                .append(HtmlReport.esc(label))
                .append("</title>");
    }

    private static double x(long lsn, double from, double span) {
        return WIDTH * (lsn - from) / span;
    }

    private static double width(ComplianceReport.Range range, double span) {
        return WIDTH * (range.last() - range.first() + 1) / span;
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(w) + "\" height=\"" + fmt(h)
                + "\" rx=\"2\" fill=\"" + fill + "\"/>";
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
                + "\" stroke=\"" + stroke + "\" stroke-width=\"1\"" + (dashed ? " stroke-dasharray=\"5 4\"" : "")
                + "/>";
    }

    private static String text(double x, double y, String anchor, String content) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">"
                + HtmlReport.esc(content) + "</text>";
    }

    private static String seconds(double value) {
        return Human.duration(Duration.ofMillis(Math.round(value * 1000)));
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
