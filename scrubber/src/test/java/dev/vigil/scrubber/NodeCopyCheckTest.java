package dev.vigil.scrubber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import dev.vigil.testkit.time.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent's comparison of its local sealed segments with the archive, when a fleet verifies the archive: a
 * node whose WAL differs from what was archived (here r3, whose copy of LSN 250 was altered; r1's copy was archived)
 * is reported as node-local verification reports it, from a HEAD of each archived object, while the fleet's own
 * archive verification, which has no node, finds the archive intact.
 */
class NodeCopyCheckTest {

    private static final PartitionId P = PartitionId.of("p-0009");
    private static final String DIFFERING = "partitions/p-0009/wal/00000000000000000201-00000000000000000300.seg";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ReplicationGroup group;

    @BeforeEach
    void setUp() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .partition(P.value())
                .build();
        group.diverge("r3", 250, Divergence.ALTER_IN_WAL);
        group.write(300);
    }

    @AfterEach
    void tearDown() throws Exception {
        group.close();
    }

    private NodeCopyCheck onR3(ObjectStore store) {
        return new NodeCopyCheck(
                store,
                new NodeConfig(
                        group.replica("r3").id(), List.of(group.replica("r3").root())),
                VerifyConfig.defaults(),
                dir.resolve("work-r3"),
                alerts,
                clock);
    }

    @Test
    void aNodeCopyThatDiffersFromTheArchiveIsFoundWithoutDownloadingAndOnlyOncePerPeriod() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), clock)) {
            group.replica("r1").storeSealedSegments(store);
            Path local = StorageNodeContract.walDir(group.replica("r3").root(), P)
                    .resolve("00000000000000000201-00000000000000000300.seg");

            NodeCopyCheck.Report first = onR3(store).check();

            assertThat(first.compared()).isEqualTo(3);
            assertThat(first.errors()).isEmpty();
            assertThat(first.findings())
                    .singleElement()
                    .asString()
                    .startsWith(DIFFERING + " differs from this node's copy " + local + " (archived ")
                    .contains("local " + Files.size(local) + " bytes "
                            + SegmentReader.validate(local).checksum());
            Alert alert = alerts.ofType(AlertType.ARCHIVE_CORRUPT).getFirst();
            assertThat(alert.partition()).contains(P);
            assertThat(alert.lsnRange()).contains(new LsnRange(201, 300));
            assertThat(alert.message()).contains("differs from this node's copy");
            // The fleet's archive verification, with no node, finds the archived objects intact.
            VerifyReport fleet = new ArchiveVerifier(
                            new Repository(store),
                            Optional.empty(),
                            VerifyConfig.defaults(),
                            Duration.ofMinutes(15),
                            new RecordingAlerts(),
                            clock,
                            new SplittableRandom(1))
                    .verify(Optional.of(P), OptionalDouble.empty());
            assertThat(fleet.hasFindings()).isFalse();

            // Compared within the period: not again (a new process reads when from work-dir/state).
            NodeCopyCheck.Report second = onR3(store).check();
            assertThat(second.compared()).isZero();
            assertThat(second.notDue()).isEqualTo(3);
            assertThat(second.bytesRead()).isZero();

            clock.advance(VerifyConfig.defaults().period());
            NodeCopyCheck.Report third = onR3(store).check();
            assertThat(third.compared()).isEqualTo(3);
            assertThat(third.findings()).hasSize(1);
        }
    }

    @Test
    void segmentsNotArchivedAreSkippedAndAnIdenticalNodeFindsNothing() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), clock)) {
            NodeCopyCheck.Report nothingArchived = onR3(store).check();
            assertThat(nothingArchived.notArchived()).isEqualTo(3);
            assertThat(nothingArchived.compared()).isZero();

            group.replica("r1").storeSealedSegments(store);
            NodeCopyCheck onR2 = new NodeCopyCheck(
                    store,
                    new NodeConfig(
                            group.replica("r2").id(),
                            List.of(group.replica("r2").root())),
                    VerifyConfig.defaults(),
                    dir.resolve("work-r2"),
                    alerts,
                    clock);
            NodeCopyCheck.Report same = onR2.check();
            assertThat(same.compared()).isEqualTo(3);
            assertThat(same.findings()).isEmpty();
            assertThat(alerts.ofType(AlertType.ARCHIVE_CORRUPT)).isEmpty();
        }
    }

    @Test
    @UsingS3(S3ServerKind.S3MOCK)
    void theArchivedChecksumComesFromAHeadOnARealS3Server(S3Endpoint endpoint) throws Exception {
        try (ObjectStore s3 = endpoint.openStore("vigil")) {
            group.replica("r1").storeSealedSegments(s3);

            NodeCopyCheck.Report report = onR3(s3).check();

            assertThat(report.compared()).isEqualTo(3);
            assertThat(report.findings()).singleElement().asString().startsWith(DIFFERING + " differs");
        }
    }
}
