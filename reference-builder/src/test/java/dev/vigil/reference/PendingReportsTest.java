package dev.vigil.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which reports a judge takes up: LSNs with an unjudged complete report, and every complete peer report there. */
class PendingReportsTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final ReplicaId R1 = ReplicaId.of("r1");
    private static final ReplicaId R2 = ReplicaId.of("r2");
    private static final ReplicaId R3 = ReplicaId.of("r3");

    @TempDir
    Path dir;

    private ObjectStore store;
    private Repository repository;

    @BeforeEach
    void open() throws Exception {
        store = ObjectStores.localDirectory(dir, Clock.systemUTC());
        repository = new Repository(store);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private void publish(ReplicaId replica, long lsn, String... keys) throws Exception {
        DigestAccumulator accumulator = new DigestAccumulator(DigestAlgorithm.XXH128, 4);
        for (String key : keys) {
            accumulator.add(key.getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        Digest digest = accumulator.snapshot();
        repository.publishScrubReport(
                new ScrubReport(
                        ScrubReport.VERSION,
                        P,
                        replica,
                        lsn,
                        digest.summary(),
                        keys.length,
                        0,
                        0,
                        Instant.parse("2026-12-02T10:00:00Z"),
                        "node",
                        "/c"),
                digest);
    }

    private void judged(ReplicaId replica, long lsn) throws Exception {
        repository.writeVerdict(new Verdict(
                Verdict.VERSION,
                P,
                lsn,
                replica,
                Verdict.Status.CLEAN,
                "",
                "",
                Map.of(),
                0,
                List.of(),
                0,
                true,
                Instant.parse("2026-12-02T10:00:00Z"),
                null,
                0,
                List.of(),
                0,
                0));
    }

    @Test
    void onlyLsnsWithAnUnjudgedReportArePendingAndEveryCompletePeerThereTakesPart() throws Exception {
        publish(R1, 10, "a");
        publish(R2, 10, "a");
        judged(R1, 10);
        judged(R2, 10); // LSN 10: all judged
        publish(R1, 20, "a", "b");
        publish(R2, 20, "a", "b");
        publish(R3, 20, "a");
        judged(R1, 20); // LSN 20: r2 and r3 still to judge; r1 takes part in the classification
        // r3 at 30: its scrubber died after the digest, before the summary; nobody judges it
        byte[] digest = new byte[] {1, 2, 3};
        store.put(PutRequest.overwrite(
                RepositoryLayout.scrubKey(P, 30, R3, "digest"),
                ObjectBody.ofBytes(digest),
                Checksum.of(ChecksumAlgorithm.CRC32C, digest),
                Map.of()));

        PendingReports pending = PendingReports.find(repository, P, Optional.empty());

        assertThat(pending.byLsn()).containsOnlyKeys(20L);
        assertThat(pending.oldest()).isEqualTo(20);
        Map<ReplicaId, PendingReports.Pending> at20 = pending.byLsn().get(20L);
        assertThat(at20).containsOnlyKeys(R1, R2, R3);
        assertThat(at20.get(R1).toJudge()).isFalse();
        assertThat(at20.get(R2).toJudge()).isTrue();
        assertThat(at20.get(R3).toJudge()).isTrue();
        assertThat(at20.get(R3).report().items()).isEqualTo(1);
    }

    @Test
    void aJudgeForOneReplicaTakesUpOnlyItsReportsButReadsItsPeers() throws Exception {
        publish(R1, 20, "a");
        publish(R2, 20, "a");
        publish(R2, 30, "a", "b");

        PendingReports pending = PendingReports.find(repository, P, Optional.of(R1));

        assertThat(pending.byLsn()).containsOnlyKeys(20L);
        assertThat(pending.byLsn().get(20L).get(R1).toJudge()).isTrue();
        assertThat(pending.byLsn().get(20L).get(R2).toJudge()).isFalse();
        assertThat(PendingReports.find(repository, P, Optional.of(ReplicaId.of("r9")))
                        .isEmpty())
                .isTrue();
    }
}
