package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.repository.ArchivedSegment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Retention against generated histories: nothing a restore inside the window needs is ever planned for deletion. */
class RetentionPolicyPropertiesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A generated partition history and a retention run over it. */
    record History(List<ArchivedSegment> segments, Set<Long> snapshots, Instant now, Duration window, int keep) {}

    @Provide
    Arbitrary<History> histories() {
        Arbitrary<List<Integer>> lengths =
                Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(30);
        Arbitrary<List<Integer>> gaps =
                Arbitraries.integers().between(0, 600).list().ofSize(30);
        Arbitrary<List<Boolean>> snapshotFlags =
                Arbitraries.of(true, false, false).list().ofSize(30);
        Arbitrary<Integer> nowAfter = Arbitraries.integers().between(0, 4_000);
        Arbitrary<Integer> windowMinutes = Arbitraries.integers().between(1, 6_000);
        Arbitrary<Integer> keep = Arbitraries.integers().between(0, 3);
        return Combinators.combine(lengths, gaps, snapshotFlags, nowAfter, windowMinutes, keep)
                .as((l, g, f, n, w, k) -> {
                    List<ArchivedSegment> segments = new ArrayList<>();
                    Set<Long> snapshots = new HashSet<>();
                    long next = 1;
                    Instant at = T0;
                    for (int i = 0; i < l.size(); i++) {
                        LsnRange range = new LsnRange(next, next + l.get(i) - 1);
                        at = at.plus(Duration.ofMinutes(g.get(i)));
                        segments.add(new ArchivedSegment("s" + i, range, 0, at, "v"));
                        if (f.get(i)) {
                            snapshots.add(range.last());
                        }
                        next = range.last() + 1;
                    }
                    return new History(segments, snapshots, at.plus(Duration.ofMinutes(n)), Duration.ofMinutes(w), k);
                });
    }

    @Property(tries = 2_000)
    void everyPointInsideTheWindowStaysRestorable(@ForAll("histories") History history) {
        RetentionPolicy.Plan plan = new RetentionPolicy(history.window(), history.keep())
                .plan(history.segments(), history.snapshots(), history.now());
        List<ArchivedSegment> kept = new ArrayList<>(history.segments());
        kept.removeAll(plan.expiredSegments());
        TreeSet<Long> keptSnapshots = new TreeSet<>(history.snapshots());
        plan.expiredSnapshots().forEach(keptSnapshots::remove);

        Instant cutoff = history.now().minus(history.window());
        long end = history.segments().getLast().range().last();
        long windowStart = history.segments().stream()
                .filter(s -> !s.lastModified().isBefore(cutoff))
                .mapToLong(s -> s.range().first() - 1)
                .min()
                .orElse(end);
        for (long point = windowStart; point <= end; point++) {
            assertThat(restorable(point, kept, keptSnapshots))
                    .as("LSN %d (window starts at %d) with plan %s", point, windowStart, plan)
                    .isTrue();
        }
    }

    @Property(tries = 1_000)
    void theNewestSnapshotsAreAlwaysKeptAndWhatTheWindowNoLongerNeedsGoes(@ForAll("histories") History history) {
        RetentionPolicy.Plan plan = new RetentionPolicy(history.window(), history.keep())
                .plan(history.segments(), history.snapshots(), history.now());
        TreeSet<Long> all = new TreeSet<>(history.snapshots());
        all.descendingSet().stream()
                .limit(history.keep())
                .forEach(s -> assertThat(plan.expiredSnapshots()).doesNotContain(s));
        plan.baseSnapshot().ifPresent(base -> {
            assertThat(plan.expiredSnapshots()).doesNotContain(base);
            assertThat(plan.expiredSegments())
                    .containsExactlyElementsOf(history.segments().stream()
                            .filter(s -> s.range().last() <= base)
                            .toList());
        });
    }

    /** Whether a kept snapshot at or below the point, or LSN 0, is followed by kept segments covering up to it. */
    private static boolean restorable(long point, List<ArchivedSegment> segments, NavigableSet<Long> snapshots) {
        List<Long> starts = new ArrayList<>(snapshots.headSet(point, true));
        starts.add(0L);
        for (long start : starts) {
            long reached = start;
            for (ArchivedSegment segment : segments) {
                if (segment.range().first() <= reached + 1 && segment.range().last() > reached) {
                    reached = segment.range().last();
                }
            }
            if (reached >= point) {
                return true;
            }
        }
        return false;
    }
}
