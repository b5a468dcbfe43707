package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Lsn;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PreconditionFailedException;
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

/** The typed repository: documents round-trip, versions are kept and checked, incomplete reports are told apart. */
class RepositoryTest {

    private static final PartitionId P = PartitionId.of("p-0001");
    private static final ReplicaId R1 = ReplicaId.of("r1");
    private static final ReplicaId R2 = ReplicaId.of("r2");

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

    private static Digest digest(String... keys) {
        DigestAccumulator accumulator = new DigestAccumulator(DigestAlgorithm.XXH128, 4);
        for (String key : keys) {
            accumulator.add(key.getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        return accumulator.snapshot();
    }

    private static ScrubReport report(ReplicaId replica, long lsn, Digest digest) {
        return new ScrubReport(
                ScrubReport.VERSION,
                P,
                replica,
                lsn,
                digest.summary(),
                digest.itemCount(),
                10,
                5,
                Instant.parse("2026-12-02T10:00:00Z"),
                "node-a",
                "/var/lib/vigil/checkpoints/x");
    }

    private static Verdict verdict(long lsn, ReplicaId replica) {
        return new Verdict(
                Verdict.VERSION,
                P,
                lsn,
                replica,
                Verdict.Status.CLEAN,
                "aa",
                "aa",
                Map.of(),
                0,
                List.of(),
                0,
                true,
                Instant.parse("2026-12-02T10:00:00Z"),
                Verdict.BY_CHECKPOINT,
                0,
                List.of(),
                0,
                0);
    }

    private void put(String key, String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
    }

    @Test
    void aPublishedScrubReportIsListedCompleteAndReadsBackWithItsDigest() throws Exception {
        Digest digest = digest("a", "b");
        repository.publishScrubReport(report(R1, 40, digest), digest);
        // A scrubber that died between its two objects: the digest alone.
        store.put(PutRequest.overwrite(
                RepositoryLayout.scrubKey(P, 40, R2, "digest"),
                ObjectBody.ofBytes(digest.encode()),
                Checksum.of(ChecksumAlgorithm.CRC32C, digest.encode()),
                Map.of()));

        List<PublishedScrub> listed = repository.scrubReports(P);
        assertThat(listed).extracting(PublishedScrub::at).containsExactly(new ReportAt(40, R1), new ReportAt(40, R2));
        assertThat(listed).extracting(PublishedScrub::complete).containsExactly(true, false);
        assertThat(repository.scrubReportsAt(P, 40)).hasSize(2);
        assertThat(repository.scrubReportsAt(P, 41)).isEmpty();

        ScrubEvidence read = repository.readScrubReport(P, new ReportAt(40, R1));
        // The digest summary's numbers come back as JSON numbers (Integer), so compare its text.
        assertThat(read.report()).hasToString(report(R1, 40, digest).toString());
        assertThat(read.digest().rootHex()).isEqualTo(digest.rootHex());
        assertThat(repository.partitionsWithScrubReports()).containsExactly(P);
    }

    @Test
    void aDamagedScrubDigestIsRefusedNamingItsKey() throws Exception {
        Digest digest = digest("a");
        repository.publishScrubReport(report(R1, 7, digest), digest);
        String key = RepositoryLayout.scrubKey(P, 7, R1, "digest");
        byte[] bytes;
        try (ObjectStream in = store.get(key)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= 0x10;
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(bytes), Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));

        assertThatThrownBy(() -> repository.readScrubReport(P, new ReportAt(7, R1)))
                .hasMessageContaining(key);
    }

    @Test
    void verdictsAreListedAsJudgedReportsAndReadBackTyped() throws Exception {
        Verdict verdict = new Verdict(
                Verdict.VERSION,
                P,
                40,
                R2,
                Verdict.Status.REPLICA_DIVERGED,
                "aa",
                "bb",
                Map.of("r1", "aa"),
                1,
                List.of(new Verdict.Difference("k1", Verdict.Difference.Kind.MISSING_ON_REPLICA)),
                1,
                true,
                Instant.parse("2026-12-02T10:00:00Z"),
                Verdict.BY_CHECKPOINT,
                0,
                List.of(),
                0,
                0);

        Optional<String> key = repository.writeVerdict(verdict);

        assertThat(key).contains("partitions/p-0001/verdicts/" + Lsn.padded(40) + "/r2.json");
        assertThat(repository.judged(P)).containsExactly(new ReportAt(40, R2));
        assertThat(repository.readVerdict(P, new ReportAt(40, R2))).contains(verdict);
        assertThat(repository.readVerdict(P, new ReportAt(40, R1))).isEmpty();
        assertThat(repository.verdicts(P)).containsExactly(verdict);

        // A second judge of the same report (a fleet worker that took over a dead one's task) stores nothing.
        Verdict late = new Verdict(
                Verdict.VERSION,
                P,
                40,
                R2,
                Verdict.Status.CLEAN,
                verdict.referenceRoot(),
                verdict.replicaRoot(),
                verdict.peerRoots(),
                0,
                List.of(),
                0,
                true,
                Instant.parse("2026-12-02T10:05:00Z"),
                Verdict.BY_CHECKPOINT,
                0,
                List.of(),
                0,
                0);
        assertThat(repository.writeVerdict(late)).isEmpty();
        assertThat(repository.readVerdict(P, new ReportAt(40, R2))).contains(verdict);
    }

    @Test
    void aDocumentWrittenBeforeVersionsWereRecordedReadsAsVersionOne() throws Exception {
        put(
                RepositoryLayout.drillsPrefix(P) + "2026-12-01T00-00-00Z.json",
                "{\"partition\":\"p-0001\",\"lsn\":5,\"passed\":true,\"time\":\"2026-12-01T00:00:00Z\"}");

        assertThat(repository.drills(P)).singleElement().satisfies(drill -> {
            assertThat(drill.version()).isEqualTo(1);
            assertThat(drill.lsn()).isEqualTo(5);
            assertThat(drill.checks()).isEmpty();
        });
    }

    @Test
    void aDocumentInANewerFormatIsRefusedNamingItsKeyAndVersion() throws Exception {
        String key = RepositoryLayout.verdictKey(P, 9, R1);
        put(key, "{\"version\":2,\"partition\":\"p-0001\",\"lsn\":9,\"replica\":\"r1\",\"status\":\"CLEAN\"}");

        assertThatThrownBy(() -> repository.verdicts(P))
                .hasMessageContaining("Verdict " + key)
                .hasMessageContaining("format version 2, newer than this Vigil reads (up to 1)");
    }

    @Test
    void aDrillRecordIsStoredUnderItsStartTimeAndAcknowledgementsByFinding() throws Exception {
        DrillRecord drill = new DrillRecord(
                DrillRecord.VERSION,
                P,
                12,
                false,
                Instant.parse("2026-12-02T10:00:00Z"),
                30,
                0,
                null,
                List.of(),
                "boom");
        String key = repository.writeDrill(drill, Instant.parse("2026-12-02T10:00:00Z"));
        assertThat(key).isEqualTo("partitions/p-0001/drills/2026-12-02T10-00-00Z.json");
        assertThat(repository.drills(P)).containsExactly(drill);

        Acknowledgement ack = new Acknowledgement(
                Acknowledgement.VERSION, "F-0123456789", P, "alice", Instant.parse("2026-12-02T11:00:00Z"), "known");
        repository.acknowledge(ack);
        UnreadableDocuments unreadable = new UnreadableDocuments();
        assertThat(repository.acknowledgements(unreadable)).containsExactly(Map.entry("F-0123456789", List.of(ack)));
        assertThat(unreadable.isEmpty()).isTrue();
    }

    @Test
    void aSecondAcknowledgementOfAFindingIsKeptBesideTheFirstNeverOverIt() throws Exception {
        Acknowledgement first = new Acknowledgement(
                Acknowledgement.VERSION,
                "F-0123456789",
                P,
                "alice@n1",
                Instant.parse("2026-12-02T11:00:00Z"),
                "disk swap");
        Acknowledgement second = new Acknowledgement(
                Acknowledgement.VERSION,
                "F-0123456789",
                P,
                "bob@n2",
                Instant.parse("2026-12-02T12:00:00Z"),
                "not a swap");
        // One written before acknowledgements were history, under the old key: still read, in time order.
        Acknowledgement legacy = new Acknowledgement(
                Acknowledgement.VERSION,
                "F-0123456789",
                P,
                "carol",
                Instant.parse("2026-12-01T09:00:00Z"),
                "first look");
        put(
                RepositoryLayout.legacyAckKey(Optional.of(P), "F-0123456789"),
                RepositoryJson.MAPPER.writeValueAsString(legacy));

        String firstKey = repository.acknowledge(first);
        String secondKey = repository.acknowledge(second);
        // The same acknowledgement again (a retried command) lands on the same key and is refused, not duplicated.
        assertThatThrownBy(() -> repository.acknowledge(first)).isInstanceOf(PreconditionFailedException.class);

        assertThat(firstKey)
                .startsWith("acks/p-0001/F-0123456789/20261202T110000.000Z-")
                .isNotEqualTo(secondKey);
        assertThat(repository.acknowledgements(new UnreadableDocuments()).get("F-0123456789"))
                .containsExactly(legacy, first, second);
    }

    @Test
    void aDamagedDocumentIsNamedWhileEveryOtherOneIsRead() throws Exception {
        Verdict clean = verdict(5, R1);
        repository.writeVerdict(clean);
        String damaged = RepositoryLayout.verdictKey(P, 9, R1);
        put(damaged, "{\"version\":1,\"partition\":\"p-00");
        String newer = RepositoryLayout.verdictKey(P, 12, R1);
        put(newer, "{\"version\":7,\"partition\":\"p-0001\",\"lsn\":12,\"replica\":\"r1\",\"status\":\"CLEAN\"}");

        UnreadableDocuments unreadable = new UnreadableDocuments();
        assertThat(repository.verdicts(P, unreadable)).containsExactly(clean);
        assertThat(unreadable.all())
                .extracting(UnreadableDocuments.Unreadable::key)
                .containsExactly(damaged, newer);
        assertThat(unreadable.all().getFirst().reason()).contains("Verdict " + damaged, "unreadable or damaged");
        assertThat(unreadable.all().getLast().reason()).contains("format version 7, newer than this Vigil reads");
    }
}
