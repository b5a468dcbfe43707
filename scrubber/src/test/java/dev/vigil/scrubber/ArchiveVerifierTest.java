package dev.vigil.scrubber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.VerificationState;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.wal.WalFormat;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.demo.node.Divergence;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.demo.node.SimulatedReplica;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.s3.S3ServerKind;
import dev.vigil.testkit.s3.UsingS3;
import dev.vigil.testkit.time.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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

class ArchiveVerifierTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingAlerts alerts = new RecordingAlerts();
    private ReplicationGroup group;
    private ObjectStore store;

    @BeforeEach
    void setUp() throws Exception {
        group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .build();
        group.write(1_000);
        store = ObjectStores.localDirectory(dir.resolve("repo"), clock);
        archive(store, group.replica("r1"));
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
        group.close();
    }

    static void archive(ObjectStore store, SimulatedReplica replica) throws IOException {
        replica.storeSealedSegments(store);
    }

    private ArchiveVerifier verifier(ObjectStore on, Optional<NodeConfig> node) {
        return new ArchiveVerifier(
                new Repository(on),
                node,
                VerifyConfig.defaults(),
                Duration.ofMinutes(15),
                alerts,
                clock,
                new SplittableRandom(5));
    }

    private Optional<NodeConfig> node(String replica) {
        return Optional.of(new NodeConfig(
                group.replica(replica).id(), List.of(group.replica(replica).root())));
    }

    /** The offset, inside segment {@code index}, of the frame that holds byte {@code position}. */
    private long frameStart(int index, long position) {
        List<WalRecord> history = group.history();
        long offset = WalFormat.headerLength(group.partition());
        for (WalRecord record : history.subList(index * 100, index * 100 + 100)) {
            if (offset + record.frameLength() > position) {
                return offset;
            }
            offset += record.frameLength();
        }
        throw new AssertionError("position " + position + " is past the records");
    }

    @Test
    void aCleanArchiveIsVerifiedOnceAndThenOnlyWhenDue() {
        ArchiveVerifier verifier = verifier(store, node("r1"));

        VerifyReport first = verifier.verify(Optional.empty(), OptionalDouble.empty());
        PartitionVerification partition = first.partitions().getFirst();
        assertThat(first.hasFindings() || first.hasErrors()).as("%s", first).isFalse();
        assertThat(partition.verified()).isEqualTo(10);
        assertThat(partition.bytesVerified()).isPositive();

        VerifyReport second = verifier.verify(Optional.empty(), OptionalDouble.empty());
        assertThat(second.partitions().getFirst().verified())
                .as("nothing is due yet")
                .isZero();
        assertThat(second.partitions().getFirst().notDue()).isEqualTo(10);

        clock.advance(VerifyConfig.defaults().period());
        VerifyReport later = verifier.verify(Optional.of(group.partition()), OptionalDouble.empty());
        assertThat(later.partitions().getFirst().verified())
                .as("every object again after the period")
                .isEqualTo(10);
        assertThat(alerts.all()).isEmpty();
    }

    @Test
    void aFlippedByteInAnArchivedObjectIsArchiveCorruptWithTheObjectAndOffset() throws Exception {
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(301, 400));
        Path file = dir.resolve("repo").resolve(key);
        long payload = LocalObjectFile.readHeader(file, "repo", key).payloadOffset();
        long position = 7_777;
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + position);
            int b = raw.read();
            raw.seek(payload + position);
            raw.write(b ^ 0x04);
        }

        VerifyReport report = verifier(store, Optional.empty()).verify(Optional.empty(), OptionalDouble.empty());

        PartitionVerification partition = report.partitions().getFirst();
        assertThat(partition.corrupt()).isEqualTo(1);
        assertThat(partition.verified()).isEqualTo(9);
        String expected = key + ": corrupt at byte offset " + frameStart(3, position) + ": frame CRC mismatch";
        assertThat(partition.findings()).singleElement().asString().startsWith(expected);
        Alert alert = alerts.ofType(AlertType.ARCHIVE_CORRUPT).getFirst();
        assertThat(alert.lsnRange()).contains(new LsnRange(301, 400));
        assertThat(alert.details()).containsEntry("object", key);
        assertThat(alert.message()).contains(expected);

        VerifyReport again = verifier(store, Optional.empty()).verify(Optional.empty(), OptionalDouble.empty());
        assertThat(again.partitions().getFirst().corrupt())
                .as("a corrupt object is never marked verified")
                .isEqualTo(1);
    }

    @Test
    void anObjectChangedAfterItWasVerifiedIsReadAgainAtTheNextRunNotWhenItsPeriodEnds() throws Exception {
        ArchiveVerifier verifier = verifier(store, Optional.empty());
        assertThat(verifier.verify(Optional.empty(), OptionalDouble.empty())
                        .partitions()
                        .getFirst()
                        .verified())
                .isEqualTo(10);
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(301, 400));
        Path file = dir.resolve("repo").resolve(key);
        long payload = LocalObjectFile.readHeader(file, "repo", key).payloadOffset();
        long size = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + 5_000);
            int b = raw.read();
            raw.seek(payload + 5_000);
            raw.write(b ^ 0x20);
        }
        Files.setLastModifiedTime(file, FileTime.from(clock.instant().plusSeconds(1)));
        assertThat(Files.size(file)).as("a same-size change").isEqualTo(size);

        VerifyReport after = verifier.verify(Optional.empty(), OptionalDouble.empty());

        PartitionVerification partition = after.partitions().getFirst();
        assertThat(partition.notDue()).as("only the changed object is due").isEqualTo(9);
        assertThat(partition.corrupt()).isEqualTo(1);
        assertThat(partition.findings()).singleElement().asString().startsWith(key + ": corrupt at byte offset");
    }

    @Test
    void aRepairedObjectIsVerifiedAtTheNextRunSoItsFindingCanResolve() throws Exception {
        ArchiveVerifier verifier = verifier(store, Optional.empty());
        verifier.verify(Optional.empty(), OptionalDouble.empty());
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(301, 400));
        Instant firstVerified = new Repository(store)
                .verificationState(group.partition())
                .entry(key)
                .orElseThrow()
                .verifiedAt();
        Path file = dir.resolve("repo").resolve(key);
        long payload = LocalObjectFile.readHeader(file, "repo", key).payloadOffset();
        // Bit rot on disk: the bytes change, the modification time does not; found when the object is due again.
        FileTime modified = Files.getLastModifiedTime(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + 5_000);
            int b = raw.read();
            raw.seek(payload + 5_000);
            raw.write(b ^ 0x20);
        }
        Files.setLastModifiedTime(file, modified);
        clock.advance(VerifyConfig.defaults().period());
        assertThat(verifier.verify(Optional.empty(), OptionalDouble.empty())
                        .partitions()
                        .getFirst()
                        .corrupt())
                .isEqualTo(1);

        // The documented repair: delete the damaged object; a node that holds the segment archives it again.
        clock.advance(Duration.ofMinutes(5));
        store.delete(key);
        archive(store, group.replica("r2"));
        VerifyReport next = verifier.verify(Optional.empty(), OptionalDouble.empty());

        PartitionVerification partition = next.partitions().getFirst();
        assertThat(partition.verified()).as("the repaired object, at once").isEqualTo(1);
        assertThat(partition.corrupt()).isZero();
        VerificationState.Entry entry = new Repository(store)
                .verificationState(group.partition())
                .entry(key)
                .orElseThrow();
        assertThat(entry.verifiedAt()).isAfter(firstVerified);
    }

    @Test
    void aDeletedSegmentIsAnArchiveGapWithItsLsnRange() throws Exception {
        store.delete(RepositoryLayout.walKey(group.partition(), new LsnRange(501, 600)));
        clock.advance(Duration.ofMinutes(16));

        VerifyReport report = verifier(store, Optional.empty()).verify(Optional.empty(), OptionalDouble.empty());

        assertThat(report.partitions().getFirst().gaps()).containsExactly("[501..600]");
        Alert gap = alerts.ofType(AlertType.ARCHIVE_GAP).getFirst();
        assertThat(gap.lsnRange()).contains(new LsnRange(501, 600));
        assertThat(gap.message()).contains("no segment for LSNs [501..600]");
    }

    @Test
    void anArchivedSegmentThatDiffersFromThisNodesCopyIsReported() throws Exception {
        try (ReplicationGroup diverging = ReplicationGroup.builder(dir.resolve("other"), Clock.systemUTC())
                .clock(clock)
                .recordsPerSegment(100)
                .partition("p-0009")
                .build()) {
            diverging.diverge("r3", 250, Divergence.ALTER_IN_WAL);
            diverging.write(300);
            archive(store, diverging.replica("r1"));
            ArchiveVerifier onR3 = verifier(
                    store,
                    Optional.of(new NodeConfig(
                            diverging.replica("r3").id(),
                            List.of(diverging.replica("r3").root()))));

            VerifyReport report = onR3.verify(Optional.of(PartitionId.of("p-0009")), OptionalDouble.empty());

            assertThat(report.partitions().getFirst().findings())
                    .singleElement()
                    .asString()
                    .contains("00000000000000000201-00000000000000000300.seg differs from this node's copy");
        }
    }

    @Test
    void aRunThatCouldNotFinishIsContinuedByTheNextOne() {
        ObjectStore failing = new FailingAfterStore(store, 4);
        VerifyReport interrupted = verifier(failing, Optional.empty()).verify(Optional.empty(), OptionalDouble.empty());
        assertThat(interrupted.hasErrors()).isTrue();
        assertThat(interrupted.partitions().getFirst().verified()).isEqualTo(4);

        VerifyReport resumed = verifier(store, Optional.empty()).verify(Optional.empty(), OptionalDouble.empty());

        assertThat(resumed.partitions().getFirst().verified())
                .as("only what the first run did not reach")
                .isEqualTo(6);
        assertThat(resumed.partitions().getFirst().notDue()).isEqualTo(4);
    }

    @Test
    void samplingReadsTheRequestedFractionWhateverIsDue() {
        ArchiveVerifier verifier = verifier(store, Optional.empty());
        verifier.verify(Optional.empty(), OptionalDouble.empty());

        VerifyReport sampled = verifier.verify(Optional.empty(), OptionalDouble.of(0.3));

        assertThat(sampled.partitions().getFirst().verified()).isEqualTo(3);
        assertThat(sampled.partitions().getFirst().notDue()).isEqualTo(7);
    }

    @Test
    @UsingS3(S3ServerKind.S3MOCK)
    void damageToAnObjectInS3IsFoundWithItsOffset(S3Endpoint endpoint) throws Exception {
        ObjectStore s3 = endpoint.openStore("vigil");
        archive(s3, group.replica("r1"));
        ArchiveVerifier verifier = verifier(s3, Optional.empty());
        assertThat(verifier.verify(Optional.empty(), OptionalDouble.empty())
                        .partitions()
                        .getFirst()
                        .verified())
                .isEqualTo(10);
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(101, 200));
        byte[] bytes = endpoint.client()
                .getObjectAsBytes(g -> g.bucket(endpoint.bucket()).key("vigil/" + key))
                .asByteArray();
        bytes[2_000] ^= 0x01;
        endpoint.replaceBytesKeepingMetadata("vigil/" + key, bytes);

        // Verified a moment ago, but replaced since (a new ETag): read again now, not when verify.period ends.
        VerifyReport report = verifier.verify(Optional.empty(), OptionalDouble.empty());
        assertThat(report.partitions().getFirst().notDue()).isEqualTo(9);

        assertThat(report.partitions().getFirst().findings())
                .singleElement()
                .asString()
                .startsWith(key + ": corrupt at byte offset " + frameStart(1, 2_000) + ": frame CRC mismatch");
        assertThat(alerts.ofType(AlertType.ARCHIVE_CORRUPT)).hasSize(1);
    }
}
