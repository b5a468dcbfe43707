package dev.vigil.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.testkit.alert.RecordingAlerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a partition's uploads: a gap in grace (or one this node may still fill) is delayed, one past its grace that no
 * local segment holds is lost and raised once by its LSNs; archived.lsn advances to the end of the contiguous archive
 * and never across a gap.
 */
class ArchiveContinuityTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final ReplicaId R = ReplicaId.of("r1");
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    private static final ArchiveConfig SETTINGS = ArchiveConfig.defaults();

    @TempDir
    Path dir;

    private ObjectStore store;
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ArchiveContinuity continuity;
    private LocalPartition partition;

    @BeforeEach
    void setUp() throws Exception {
        store = ObjectStores.localDirectory(dir.resolve("repository"), Clock.systemUTC());
        continuity = new ArchiveContinuity(store, SETTINGS, new ArchiveAlerts(alerts, SETTINGS));
        Path wal = Files.createDirectories(dir.resolve("wal"));
        partition = new LocalPartition(P, R, wal);
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
    }

    @Test
    void aGapStillInItsGraceIsDelayedAndRaisesNothing() {
        List<ArchivedSegment> archived = archive(range(1, 100), range(201, 300));
        Instant now = T0.plus(SETTINGS.gapGrace()).minusSeconds(1);
        Outcome outcome = check(new LocalWal(List.of(), List.of()), archived, now);

        assertThat(outcome.delayed).containsExactly("[101..200]");
        assertThat(outcome.lost).isEmpty();
        assertThat(alerts.ofType(AlertType.ARCHIVE_GAP)).isEmpty();
    }

    @Test
    void aGapPastItsGraceThatNoLocalSegmentHoldsIsLostAndRaisedByItsLsns() {
        List<ArchivedSegment> archived = archive(range(1, 100), range(201, 300));
        Instant now = T0.plus(SETTINGS.gapGrace()).plusSeconds(1);
        Outcome outcome = check(new LocalWal(List.of(), List.of()), archived, now);

        assertThat(outcome.lost).containsExactly("[101..200]");
        assertThat(outcome.delayed).isEmpty();
        assertThat(outcome.tally.findings).containsExactly("archive gap [101..200]");
        assertThat(alerts.ofType(AlertType.ARCHIVE_GAP)).singleElement().satisfies(alert -> {
            assertThat(alert.partition()).contains(P);
            assertThat(alert.lsnRange()).contains(range(101, 200));
            assertThat(alert.message()).contains("r1 holds no segment with them");
        });
    }

    @Test
    void anOldGapThisNodeStillHoldsIsDelayedNotLost() {
        List<ArchivedSegment> archived = archive(range(1, 100), range(201, 300));
        LocalSegment holding = new LocalSegment(dir.resolve("wal/seg"), range(101, 200), 10, T0);
        Instant now = T0.plus(SETTINGS.gapGrace()).plus(Duration.ofHours(1));
        Outcome outcome = check(new LocalWal(List.of(holding), List.of()), archived, now);

        assertThat(outcome.delayed).containsExactly("[101..200]");
        assertThat(outcome.lost).isEmpty();
        assertThat(alerts.all()).extracting(Alert::type).doesNotContain(AlertType.ARCHIVE_GAP);
    }

    @Test
    void archivedLsnAdvancesToTheEndOfTheContiguousArchiveAndNeverAcrossAGap() throws Exception {
        List<ArchivedSegment> archived = archive(range(1, 100), range(101, 200), range(301, 400));
        PartitionWork work = work(OptionalLong.of(50));

        long lsn = continuity.advanceArchivedLsn(partition, work, archived, new PartitionTally());

        assertThat(lsn).isEqualTo(200);
        assertThat(ArchivedLsnFile.read(partition.walDir())).hasValue(200);

        long again =
                continuity.advanceArchivedLsn(partition, work(OptionalLong.of(200)), archived, new PartitionTally());
        assertThat(again).as("nothing new past the gap: stays").isEqualTo(200);
    }

    @Test
    void anArchivedLsnThatCannotBeWrittenIsAnErrorAndKeepsTheValueInForce() throws Exception {
        List<ArchivedSegment> archived = archive(range(1, 100));
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        LocalPartition broken = new LocalPartition(P, R, notADirectory);
        PartitionTally tally = new PartitionTally();

        long lsn = continuity.advanceArchivedLsn(broken, work(OptionalLong.of(40)), archived, tally);

        assertThat(lsn).isEqualTo(40);
        assertThat(tally.errors).singleElement().asString().contains("cannot write", notADirectory.toString());
    }

    private record Outcome(List<String> delayed, List<String> lost, PartitionTally tally) {}

    private Outcome check(LocalWal local, List<ArchivedSegment> archived, Instant now) {
        Outcome outcome = new Outcome(new ArrayList<>(), new ArrayList<>(), new PartitionTally());
        continuity.check(partition, local, archived, now, outcome.delayed, outcome.lost, outcome.tally);
        return outcome;
    }

    private static PartitionWork work(OptionalLong archivedLsn) {
        return new PartitionWork(
                new LocalWal(List.of(), List.of()),
                new ArchivedRanges.Listing(List.of(), List.of()),
                Optional.empty(),
                true,
                archivedLsn,
                Set.of(),
                List.of(),
                Map.of(),
                Optional.empty());
    }

    private static List<ArchivedSegment> archive(LsnRange... ranges) {
        List<ArchivedSegment> segments = new ArrayList<>();
        for (LsnRange range : ranges) {
            segments.add(ArchivedSegment.justStored(
                    "partitions/p-0001/wal/" + range.first() + "-" + range.last() + ".seg", range, 100, T0));
        }
        return segments;
    }

    private static LsnRange range(long first, long last) {
        return new LsnRange(first, last);
    }
}
