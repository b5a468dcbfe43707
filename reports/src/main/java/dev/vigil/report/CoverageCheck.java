package dev.vigil.report;

import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import java.time.Instant;
import java.util.List;

/** {@link Requirement#ARCHIVED_WITHOUT_GAPS}: what the archive covers, and every gap in it. */
final class CoverageCheck {

    private CoverageCheck() {}

    /** The coverage of {@code segments}; nothing archived, or a gap, is a reason. */
    static ComplianceReport.Coverage check(List<ArchivedSegment> segments, Reasons reasons) {
        ComplianceReport.Coverage coverage = coverage(segments);
        if (segments.isEmpty()) {
            reasons.add(
                    Requirement.ARCHIVED_WITHOUT_GAPS,
                    "nothing is archived: replicas were scrubbed, but the archive" + " holds no segment");
        }
        coverage.gaps()
                .forEach(g -> reasons.add(
                        Requirement.ARCHIVED_WITHOUT_GAPS,
                        "archive gap: LSNs " + g.first() + ".." + g.last() + " are missing"));
        return coverage;
    }

    private static ComplianceReport.Coverage coverage(List<ArchivedSegment> segments) {
        if (segments.isEmpty()) {
            return new ComplianceReport.Coverage(0, 0, List.of(), List.of(), 0, 0, null);
        }
        List<ComplianceReport.Range> ranges = Continuity.coverage(segments).stream()
                .map(r -> new ComplianceReport.Range(r.first(), r.last()))
                .toList();
        List<ComplianceReport.Range> gaps = Continuity.analyse(segments).gaps().stream()
                .map(g -> new ComplianceReport.Range(
                        g.missing().first(), g.missing().last()))
                .toList();
        long last = segments.stream().mapToLong(s -> s.range().last()).max().orElseThrow();
        return new ComplianceReport.Coverage(
                segments.getFirst().range().first(),
                last,
                ranges,
                gaps,
                segments.size(),
                segments.stream().mapToLong(ArchivedSegment::size).sum(),
                segments.stream()
                        .map(ArchivedSegment::lastModified)
                        .max(Instant::compareTo)
                        .orElseThrow());
    }
}
