package dev.vigil.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.testkit.alert.RecordingAlerts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replicas that seal at different LSNs archive overlapping segments; equal records are fine, different ones are divergence. */
class OverlappingSegmentsTest {

    @TempDir
    Path dir;

    private final RecordingAlerts alerts = new RecordingAlerts();
    private final PartitionId partition = PartitionId.of("p-9");

    private Path node(String name, long[] boundaries, long alteredLsn) throws Exception {
        Path root = dir.resolve(name);
        Path wal = Files.createDirectories(StorageNodeContract.walDir(root, partition));
        long first = 1;
        for (long last : boundaries) {
            try (SegmentWriter writer =
                    SegmentWriter.create(wal, partition, first, Clock.systemUTC(), FsyncPolicy.ON_SYNC)) {
                for (long lsn = first; lsn <= last; lsn++) {
                    String value = (lsn == alteredLsn ? "other-" : "value-") + lsn;
                    writer.append(WalRecord.put(
                            lsn,
                            1_000 + lsn,
                            ("key-" + lsn % 17).getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8)));
                }
                writer.seal();
            }
            first = last + 1;
        }
        return root;
    }

    private ArchiveReport archive(ObjectStore store, String replica, Path root) throws Exception {
        try (Archiver archiver = new Archiver(
                new Repository(store),
                new NodeConfig(ReplicaId.of(replica), List.of(root)),
                ArchiveConfig.defaults(),
                alerts,
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                new SplittableRandom(1))) {
            return archiver.runPass();
        }
    }

    @Test
    void overlappingSegmentsWithTheSameRecordsAreAccepted() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            archive(store, "r1", node("r1", new long[] {100, 200, 300}, -1));
            ArchiveReport report = archive(store, "r2", node("r2", new long[] {150, 300}, -1));

            assertThat(report.hasFindings()).as("%s", report).isFalse();
            assertThat(report.partitions().getFirst().archivedLsn()).isEqualTo(300);
            assertThat(alerts.all()).isEmpty();
        }
    }

    @Test
    void overlappingSegmentsThatDisagreeAreReportedAtTheFirstDifferentLsn() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            archive(store, "r1", node("r1", new long[] {100, 200, 300}, -1));
            ArchiveReport report = archive(store, "r2", node("r2", new long[] {150, 300}, 123));

            assertThat(report.partitions().getFirst().findings())
                    .anySatisfy(f -> assertThat(f).contains("differ at LSN 123"));
            assertThat(alerts.ofType(AlertType.WAL_DIVERGENCE)).anySatisfy(a -> {
                assertThat(a.message()).contains("hold different records from LSN 123");
                assertThat(a.lsnRange()).contains(new LsnRange(101, 150));
            });
        }
    }
}
