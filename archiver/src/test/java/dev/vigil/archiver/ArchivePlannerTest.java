package dev.vigil.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pass decides for one partition: what to ship, when the repository is listed, and holes filled again. */
class ArchivePlannerTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;

    private ReplicationGroup group;
    private ObjectStore local;
    private final AtomicInteger listings = new AtomicInteger();
    private ArchivePlanner planner;
    private LocalPartition partition;
    private SimulatedReplica replica;

    @BeforeEach
    void setUp() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(50)
                .build();
        group.write(150);
        group.sealAll();
        replica = group.replica("r1");
        partition = new LocalPartition(P, replica.id(), replica.walDir());
        local = ObjectStores.localDirectory(dir.resolve("repository"), Clock.systemUTC());
        // The real local store, counting the listings the planner asks for.
        ObjectStore counting = new ForwardingObjectStore(local) {
            @Override
            public ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys) throws IOException {
                listings.incrementAndGet();
                return super.list(prefix, startAfter, maxKeys);
            }
        };
        planner = new ArchivePlanner(new Repository(counting), ArchiveConfig.defaults());
    }

    @AfterEach
    void tearDown() throws Exception {
        local.close();
        group.close();
    }

    @Test
    void aNewPartitionShipsEverySealedSegmentInLsnOrder() throws Exception {
        PartitionWork work = planner.plan(partition, T0);

        assertThat(work.listed()).isTrue();
        assertThat(work.toShip()).extracting(s -> s.range().first()).containsExactly(1L, 51L, 101L);
        assertThat(listings).hasPositiveValue();
    }

    @Test
    void anIdlePartitionCostsNoRequestUntilTheContinuityCheckIsDue() throws Exception {
        for (LocalSegment segment : planner.plan(partition, T0).toShip()) {
            planner.confirm(partition, segment);
        }
        int afterFirst = listings.get();

        PartitionWork idle = planner.plan(partition, T0.plusSeconds(1));
        assertThat(idle.listed()).isFalse();
        assertThat(idle.toShip()).isEmpty();
        assertThat(listings).hasValue(afterFirst);
        assertThat(planner.continuityDue(P, T0.plusSeconds(1))).isFalse();

        Duration interval = ArchiveConfig.defaults().continuityCheckInterval();
        assertThat(planner.continuityDue(P, T0.plus(interval))).isTrue();
        assertThat(planner.plan(partition, T0.plus(interval)).listed()).isTrue();
        assertThat(listings).hasValueGreaterThan(afterFirst);
    }

    @Test
    void aHoleInTheArchiveIsFilledAgainWhateverArchivedLsnSays() throws Exception {
        replica.storeSealedSegments(local);
        List<LocalSegment> sealed = LocalWal.read(replica.walDir()).sealed();
        ArchivedLsnFile.write(replica.walDir(), sealed.getLast().range().last());
        // The middle segment's object is lost after it was archived.
        local.delete(RepositoryLayout.walKey(P, sealed.get(1).range()));

        PartitionWork work = planner.plan(partition, T0);

        assertThat(work.toShip()).containsExactly(sealed.get(1));
    }

    @Test
    void segmentsUpToArchivedLsnAreNotShippedAgainWhenTheArchiveHoldsThem() throws Exception {
        replica.storeSealedSegments(local);
        List<LocalSegment> sealed = LocalWal.read(replica.walDir()).sealed();
        ArchivedLsnFile.write(replica.walDir(), sealed.get(1).range().last());

        PartitionWork work = planner.plan(partition, T0);

        assertThat(work.toShip()).containsExactly(sealed.get(2));
    }
}
