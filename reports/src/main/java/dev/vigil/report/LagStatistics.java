package dev.vigil.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Summarises per-segment archive lags: maximum, p99, median, and a bounded series for a chart. */
final class LagStatistics {

    /** A chart needs no more points than it has pixels; beyond this, each slice of time keeps its worst lag. */
    static final int MAX_POINTS = 400;

    /** One measured segment. */
    record Sample(Instant archivedAt, Duration lag) {}

    private LagStatistics() {}

    static ComplianceReport.Lag of(int segments, int storedAgain, List<Sample> samples) {
        if (samples.isEmpty()) {
            return new ComplianceReport.Lag(segments, 0, storedAgain, 0, 0, 0, List.of());
        }
        double[] seconds = samples.stream()
                .mapToDouble(s -> s.lag().toMillis() / 1000.0)
                .sorted()
                .toArray();
        return new ComplianceReport.Lag(
                segments,
                samples.size(),
                storedAgain,
                seconds[seconds.length - 1],
                percentile(seconds, 0.99),
                percentile(seconds, 0.50),
                points(samples));
    }

    /** The nearest-rank percentile of sorted values: the smallest value at or above {@code p} of them. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static List<ComplianceReport.LagPoint> points(List<Sample> samples) {
        List<Sample> byTime = new ArrayList<>(samples);
        byTime.sort(Comparator.comparing(Sample::archivedAt));
        List<ComplianceReport.LagPoint> points = new ArrayList<>();
        int slice = (byTime.size() + MAX_POINTS - 1) / MAX_POINTS;
        for (int start = 0; start < byTime.size(); start += slice) {
            Sample worst = byTime.subList(start, Math.min(byTime.size(), start + slice)).stream()
                    .max(Comparator.comparing(Sample::lag))
                    .orElseThrow();
            points.add(new ComplianceReport.LagPoint(
                    worst.archivedAt(), worst.lag().toMillis() / 1000.0));
        }
        return points;
    }
}
