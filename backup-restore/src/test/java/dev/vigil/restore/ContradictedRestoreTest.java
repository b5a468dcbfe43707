package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyHash;
import dev.vigil.core.repository.ReplicaKeySource;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.ScrubReport;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentReader;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.reference.Judge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore is verified only when nothing at its LSN contradicts the archive: replicas' scrub reports that agree with
 * each other and not with the archive, or a verdict of {@code ARCHIVE_DIVERGED}, make it unverified (exit 1 in the CLI),
 * unless the operator explicitly accepts the archive's version.
 */
class ContradictedRestoreTest {

    @TempDir
    Path dir;

    private RestoreFixture fixture;
    private PartitionId partition;
    private WalRecord forgedRecord;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new RestoreFixture(dir);
        partition = fixture.group.partition();
        fixture.archive(3, 100);
        forgedRecord = forgeArchivedSegment(new LsnRange(101, 200));
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        fixture.store.close();
    }

    @Test
    void scrubReportsThatAgreeAgainstTheArchiveMakeTheRestoreUnverified() throws Exception {
        publishScrubReport("r1", 250);
        publishScrubReport("r2", 250);

        RestoreResult result = restore(250, "target", false);

        assertThat(result.verified()).isFalse();
        assertThat(result.checks().getFirst())
                .as("the output itself matches the replayed archive")
                .startsWith("reference digest at LSN 250 (replayed from the archive): match");
        assertThat(result.contradictions())
                .singleElement()
                .asString()
                .contains(
                        "scrub reports of replicas [r1, r2] at LSN 250 contradict the archive's state",
                        "ARCHIVE_DIVERGED");
        assertThat(result.checks()).contains("scrub report of replica r1 at LSN 250: differs (ARCHIVE_DIVERGED)");
        assertThat(dir.resolve("target"))
                .as("a contradicted restore never takes the target's name")
                .doesNotExist();
        assertThat(result.output().getFileName().toString()).startsWith("target.unverified-");
    }

    @Test
    void anArchiveDivergedVerdictAtOrBelowTheLsnMakesTheRestoreUnverifiedNamingIt() throws Exception {
        publishScrubReport("r1", 200);
        publishScrubReport("r2", 200);
        Judge.Outcome judged = new Judge(
                        new Repository(fixture.store),
                        dir.resolve("judge"),
                        unreachableReplicas(),
                        Optional.empty(),
                        fixture.alerts,
                        fixture.clock)
                .judge(partition);
        assertThat(judged.verdicts()).extracting(Verdict::status).containsOnly(Verdict.Status.ARCHIVE_DIVERGED);

        RestoreResult result = restore(250, "target", false);

        assertThat(result.verified()).isFalse();
        assertThat(result.contradictions())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c)
                        .contains(
                                "partitions/" + partition + "/verdicts/00000000000000000200/",
                                "ARCHIVE_DIVERGED at LSN 200"));
        assertThat(dir.resolve("target")).doesNotExist();
    }

    @Test
    void theOperatorMayAcceptTheArchivesVersionExplicitly() throws Exception {
        publishScrubReport("r1", 250);
        publishScrubReport("r2", 250);

        RestoreResult result = restore(250, "target", true);

        assertThat(result.verified()).isTrue();
        assertThat(result.contradictions()).hasSize(1);
        assertThat(result.checks())
                .contains("the operator accepted the archive's version (--accept-archive) despite the"
                        + " contradiction");
        assertThat(result.output()).isEqualTo(dir.resolve("target").toAbsolutePath());
    }

    @Test
    void aLoneReplicaThatDiffersDoesNotContradictTheArchive() throws Exception {
        // r1's report agrees with the archive; r2's (the true state) differs: r2 diverged, the archive stands.
        publishScrubReport("r1", 250, digestOfArchiveAt(250));
        publishScrubReport("r2", 250);

        RestoreResult result = restore(250, "target", false);

        assertThat(result.verified()).isTrue();
        assertThat(result.contradictions()).isEmpty();
        assertThat(result.checks()).contains("scrub report of replica r2 at LSN 250: differs (REPLICA_DIVERGED)");
    }

    private RestoreResult restore(long lsn, String target, boolean accept) throws IOException {
        return fixture.restorer()
                .restore(
                        new RestoreRequest(
                                partition,
                                new RestoreTarget.ToLsn(lsn),
                                dir.resolve(target),
                                RestoreFormat.ROCKSDB,
                                false,
                                accept),
                        RestoreProgress.SILENT);
    }

    /** Rewrites an archived segment with one value changed: valid CRCs, seal and stored checksum. */
    private WalRecord forgeArchivedSegment(LsnRange range) throws IOException {
        List<WalRecord> records = new ArrayList<>();
        SealedSegment original = fixture.group.replica("r1").sealedSegments().stream()
                .filter(s -> s.summary().lsnRange().equals(range))
                .findFirst()
                .orElseThrow();
        try (SegmentReader reader = SegmentReader.open(original.path())) {
            while (reader.hasNext()) {
                records.add(reader.next());
            }
        }
        WalRecord victim =
                records.stream().filter(r -> r.op() == Op.PUT).findFirst().orElseThrow();
        SealedSegment forged;
        try (SegmentWriter writer = SegmentWriter.create(
                Files.createDirectories(dir.resolve("forged")),
                partition,
                range.first(),
                fixture.clock,
                FsyncPolicy.ON_SYNC)) {
            for (WalRecord r : records) {
                writer.append(
                        r.lsn() == victim.lsn()
                                ? WalRecord.put(
                                        r.lsn(),
                                        r.timestampMillis(),
                                        r.key(),
                                        "forged".getBytes(StandardCharsets.UTF_8))
                                : r);
            }
            forged = writer.seal();
        }
        fixture.store.put(PutRequest.overwrite(
                RepositoryLayout.walKey(partition, range),
                ObjectBody.ofFile(forged.path()),
                forged.summary().checksum(),
                Map.of()));
        return victim;
    }

    private Digest trueStateAt(long lsn) {
        DigestAccumulator accumulator = new DigestAccumulator(DigestAlgorithm.XXH128, RestoreFixture.BITS);
        fixture.group.stateAt(lsn).forEach((k, v) -> accumulator.add(k.getBytes(StandardCharsets.UTF_8), v));
        return accumulator.snapshot();
    }

    private Digest digestOfArchiveAt(long lsn) {
        DigestAccumulator accumulator = new DigestAccumulator(DigestAlgorithm.XXH128, RestoreFixture.BITS);
        fixture.group
                .stateAt(lsn)
                .forEach((k, v) -> accumulator.add(
                        k.getBytes(StandardCharsets.UTF_8),
                        Arrays.equals(k.getBytes(StandardCharsets.UTF_8), forgedRecord.key())
                                        && lastWriterOf(k, lsn) == forgedRecord.lsn()
                                ? "forged".getBytes(StandardCharsets.UTF_8)
                                : v));
        return accumulator.snapshot();
    }

    private long lastWriterOf(String key, long lsn) {
        long last = -1;
        for (WalRecord r : fixture.group.history().subList(0, (int) lsn)) {
            if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
                last = r.lsn();
            }
        }
        return last;
    }

    private void publishScrubReport(String replica, long lsn) throws IOException {
        publishScrubReport(replica, lsn, trueStateAt(lsn));
    }

    /** What a scrubber publishes for a replica whose state hashes to {@code digest} at {@code lsn}. */
    private void publishScrubReport(String replica, long lsn, Digest digest) throws IOException {
        new Repository(fixture.store)
                .publishScrubReport(
                        new ScrubReport(
                                ScrubReport.VERSION,
                                partition,
                                ReplicaId.of(replica),
                                lsn,
                                digest.summary(),
                                digest.itemCount(),
                                0,
                                0,
                                fixture.clock.instant(),
                                "elsewhere",
                                "/nowhere"),
                        digest);
    }

    private static ReplicaKeySource unreachableReplicas() {
        return new ReplicaKeySource() {
            @Override
            public Optional<List<KeyHash>> keyHashes(ScrubReport report, Set<Integer> buckets, ItemHasher hasher) {
                return Optional.empty();
            }

            @Override
            public void release(ScrubReport report) {}
        };
    }
}
