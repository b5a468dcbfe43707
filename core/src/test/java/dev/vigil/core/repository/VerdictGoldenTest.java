package dev.vigil.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdicts as they are on disk today ({@code golden/verdict-*.json}, written by the Vigil before the typed model)
 * read into the typed record and written back as the same JSON: typing the model changed nothing in the repository.
 * A verdict in a newer format version is still refused, naming its key.
 */
class VerdictGoldenTest {

    private static final PartitionId PARTITION = PartitionId.of("users.eu_2");

    @TempDir
    Path dir;

    @Test
    void aCleanVerdictReadsTypedAndWritesBackUnchanged() throws Exception {
        Verdict verdict = roundTrip("verdict-clean.json", 4100, "r2");
        assertThat(verdict.status()).isEqualTo(Verdict.Status.CLEAN);
        assertThat(verdict.judgedAt()).isEqualTo(Instant.parse("2026-12-06T10:15:30.123Z"));
        assertThat(verdict.localisation()).isNull();
    }

    @Test
    void aDivergedVerdictKeepsItsNamedKeysAndTheirKinds() throws Exception {
        Verdict verdict = roundTrip("verdict-replica-diverged.json", 4200, "r3");
        assertThat(verdict.differences())
                .extracting(Verdict.Difference::key, Verdict.Difference::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("user/0042", Verdict.Difference.Kind.MISSING_ON_REPLICA),
                        org.assertj.core.groups.Tuple.tuple("user/0077", Verdict.Difference.Kind.DIFFERENT_VALUE),
                        org.assertj.core.groups.Tuple.tuple("user/9000", Verdict.Difference.Kind.EXTRA_ON_REPLICA));
        assertThat(verdict.peerRoots()).containsEntry("r1", "aa01").containsEntry("r2", "aa01");
    }

    @Test
    void aVerdictWhoseKeysWereNotNamedKeepsItsBoundsAndBuckets() throws Exception {
        Verdict verdict = roundTrip("verdict-not-localised.json", 4300, "r1");
        assertThat(verdict.localised()).isFalse();
        assertThat(verdict.unlocalisedBuckets()).containsExactly(3, 17, 200);
        assertThat(verdict.differingKeysAtLeast()).isEqualTo(7);
        assertThat(verdict.differingKeysEstimate()).isEqualTo(9);
    }

    @Test
    void aVerdictInANewerFormatIsRefusedNamingItsKey() throws Exception {
        ObjectNode newer = (ObjectNode) golden("verdict-clean.json");
        newer.put("version", Verdict.VERSION + 1);
        ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        String key = RepositoryLayout.verdictKey(PARTITION, 4100, ReplicaId.of("r2"));
        put(store, key, RepositoryJson.MAPPER.writeValueAsBytes(newer));
        assertThatThrownBy(() -> new Repository(store).readVerdict(PARTITION, new ReportAt(4100, ReplicaId.of("r2"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("format version " + (Verdict.VERSION + 1));
    }

    /**
     * With typed ids and times, a verdict whose replica is not a valid id (a path, say) or whose time is not a time is
     * a damaged document named by its key, set aside while the rest are read, not a value that fails later elsewhere.
     */
    @Test
    void aVerdictWithAnInvalidIdOrTimeIsDamagedNamingItsKeyAndTheOthersAreRead() throws Exception {
        ObjectStore store = ObjectStores.localDirectory(dir.resolve("hostile"), Clock.systemUTC());
        ObjectNode badReplica = (ObjectNode) golden("verdict-clean.json");
        badReplica.put("replica", "../../etc");
        ObjectNode badTime = (ObjectNode) golden("verdict-replica-diverged.json");
        badTime.put("judgedAt", "yesterday");
        String badReplicaKey = RepositoryLayout.verdictKey(PARTITION, 4100, ReplicaId.of("r2"));
        String badTimeKey = RepositoryLayout.verdictKey(PARTITION, 4200, ReplicaId.of("r3"));
        put(store, badReplicaKey, RepositoryJson.MAPPER.writeValueAsBytes(badReplica));
        put(store, badTimeKey, RepositoryJson.MAPPER.writeValueAsBytes(badTime));
        put(
                store,
                RepositoryLayout.verdictKey(PARTITION, 4300, ReplicaId.of("r1")),
                RepositoryJson.MAPPER.writeValueAsBytes(golden("verdict-not-localised.json")));

        UnreadableDocuments unreadable = new UnreadableDocuments();
        assertThat(new Repository(store).verdicts(PARTITION, unreadable))
                .extracting(Verdict::lsn)
                .containsExactly(4300L);
        assertThat(unreadable.all())
                .extracting(UnreadableDocuments.Unreadable::key)
                .containsExactlyInAnyOrder(badReplicaKey, badTimeKey);
        assertThatThrownBy(() -> new Repository(store).readVerdict(PARTITION, new ReportAt(4100, ReplicaId.of("r2"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(badReplicaKey)
                .hasMessageContaining("unreadable or damaged")
                .hasMessageContaining("move it aside");
    }

    /** Reads the golden file through the repository, writes it into a fresh one, and compares the stored JSON. */
    private Verdict roundTrip(String file, long lsn, String replica) throws Exception {
        JsonNode expected = golden(file);
        ObjectStore original = ObjectStores.localDirectory(dir.resolve("original"), Clock.systemUTC());
        String key = RepositoryLayout.verdictKey(PARTITION, lsn, ReplicaId.of(replica));
        put(original, key, RepositoryJson.MAPPER.writeValueAsBytes(expected));
        Verdict verdict = new Repository(original)
                .readVerdict(PARTITION, new ReportAt(lsn, ReplicaId.of(replica)))
                .orElseThrow();
        assertThat(verdict.partition()).hasToString(PARTITION.value());
        assertThat(verdict.replica()).hasToString(replica);

        ObjectStore rewritten = ObjectStores.localDirectory(dir.resolve("rewritten"), Clock.systemUTC());
        assertThat(new Repository(rewritten).writeVerdict(verdict)).contains(key);
        try (InputStream in = rewritten.get(key)) {
            assertThat(RepositoryJson.MAPPER.readTree(in)).isEqualTo(expected);
        }
        return verdict;
    }

    private static void put(ObjectStore store, String key, byte[] body) throws IOException {
        store.put(PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
    }

    private static JsonNode golden(String file) throws IOException {
        try (InputStream in = Objects.requireNonNull(
                VerdictGoldenTest.class.getResourceAsStream("/golden/" + file), "missing golden file " + file)) {
            return RepositoryJson.MAPPER.readTree(in);
        }
    }
}
