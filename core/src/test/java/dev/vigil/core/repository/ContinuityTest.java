package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuityTest {

    private static ArchivedSegment segment(long first, long last) {
        return new ArchivedSegment(
                "k" + first + "-" + last, new LsnRange(first, last), 1, Instant.EPOCH.plusSeconds(first), "v");
    }

    @Test
    void aContiguousArchiveHasNoGapOrOverlap() {
        List<ArchivedSegment> segments = List.of(segment(1, 100), segment(101, 200), segment(201, 300));
        Continuity.Analysis analysis = Continuity.analyse(segments);
        assertThat(analysis.gaps()).isEmpty();
        assertThat(analysis.overlaps()).isEmpty();
        assertThat(Continuity.contiguousEnd(segments, 1)).isEqualTo(300);
    }

    @Test
    void gapsAreNamedWithTheirLsnsAndWhenTheArchiveMovedPastThem() {
        List<ArchivedSegment> segments =
                List.of(segment(1, 100), segment(201, 300), segment(301, 400), segment(451, 500));
        Continuity.Analysis analysis = Continuity.analyse(segments);
        assertThat(analysis.gaps())
                .containsExactly(
                        new Continuity.Gap(new LsnRange(101, 200), Instant.EPOCH.plusSeconds(201)),
                        new Continuity.Gap(new LsnRange(401, 450), Instant.EPOCH.plusSeconds(451)));
        assertThat(Continuity.contiguousEnd(segments, 1)).isEqualTo(100);
        assertThat(Continuity.contiguousEnd(segments, 201)).isEqualTo(400);
        assertThat(Continuity.contiguousEnd(segments, 150)).isEqualTo(149);
    }

    @Test
    void segmentsSealedAtDifferentLsnsOverlapAndCoverTheRangeTogether() {
        List<ArchivedSegment> segments =
                List.of(segment(1, 100), segment(1, 150), segment(101, 200), segment(151, 250));
        Continuity.Analysis analysis = Continuity.analyse(segments);
        assertThat(analysis.gaps()).isEmpty();
        assertThat(analysis.overlaps()).hasSize(3);
        assertThat(analysis.overlaps().getFirst().common()).isEqualTo(new LsnRange(1, 100));
        assertThat(Continuity.contiguousEnd(segments, 1)).isEqualTo(250);
    }

    @Test
    void coverageMergesTouchingAndOverlappingRangesAndAnswersByBinarySearch() {
        List<ArchivedSegment> segments = List.of(
                segment(1, 100),
                segment(50, 150),
                segment(151, 200),
                segment(301, 400),
                segment(401, 401),
                segment(600, 700));
        List<LsnRange> coverage = Continuity.coverage(segments);

        assertThat(coverage).containsExactly(new LsnRange(1, 200), new LsnRange(301, 401), new LsnRange(600, 700));
        assertThat(Continuity.covers(coverage, new LsnRange(1, 200))).isTrue();
        assertThat(Continuity.covers(coverage, new LsnRange(120, 180))).isTrue();
        assertThat(Continuity.covers(coverage, new LsnRange(150, 250))).isFalse();
        assertThat(Continuity.covers(coverage, new LsnRange(201, 300))).isFalse();
        assertThat(Continuity.covers(coverage, new LsnRange(301, 401))).isTrue();
        assertThat(Continuity.covers(coverage, new LsnRange(700, 700))).isTrue();
        assertThat(Continuity.covers(coverage, new LsnRange(701, 800))).isFalse();
        assertThat(Continuity.covers(List.of(), new LsnRange(1, 1))).isFalse();
    }
}
