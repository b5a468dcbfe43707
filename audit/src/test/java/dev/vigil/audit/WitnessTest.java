package dev.vigil.audit;

import static dev.vigil.audit.TestObjects.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The witness: every checkpoint is copied to a second location. A forger with write access to the repository alone
 * rewrites a segment and its log entry consistently and deletes the checkpoints that signed the old log; without the
 * witness the audit has nothing signed to hold the log to, with it the rewrite and the removed checkpoint are named.
 * A witness that cannot be written fails the checkpoint, naming it.
 */
class WitnessTest {

    private static final String SEGMENT = "partitions/p-1/wal/00000000000000000001-00000000000000000100.seg";

    @TempDir
    Path dir;

    private ObjectStore raw;
    private ObjectStore witness;
    private NoteKeys.Signer signer;

    @BeforeEach
    void setUp() throws Exception {
        raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        witness = ObjectStores.localDirectory(dir.resolve("witness"), Clock.systemUTC());
        signer = NoteKeys.generate("vigil.test/witnessed", new SecureRandom());
        LoggingObjectStore logged = TestObjects.logged(
                raw, Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC), "w/1", dir.resolve("i"));
        put(logged, SEGMENT, "records 1..100");
        put(logged, "partitions/p-1/verdicts/00000000000000000100/node-a.json", "clean");
        logged.close();
    }

    private Checkpointer checkpointer(ObjectStore witnessStore) {
        return new Checkpointer(
                raw, signer, "vigil.test/witnessed", Clock.systemUTC(), Optional.empty(), Optional.of(witnessStore));
    }

    private Auditor auditor() {
        return new Auditor(raw, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC());
    }

    @Test
    void aRewriteWhoseCheckpointsWereDeletedIsStillNamedThroughTheWitness() throws Exception {
        checkpointer(witness).checkpoint();
        String checkpoint = LogLayout.checkpointKey(2);
        assertThat(witness.head(checkpoint).size()).as("copied to the witness").isPositive();
        assertThat(auditor().withWitness(witness).audit().findings()).isEmpty();

        // The forger rewrites the segment, its entry (consistently) and deletes the signed checkpoint.
        byte[] forged = "records 1..100, forged".getBytes(StandardCharsets.UTF_8);
        raw.put(PutRequest.overwrite(
                SEGMENT, ObjectBody.ofBytes(forged), Checksum.of(ChecksumAlgorithm.CRC32C, forged), Map.of()));
        byte[] entry = LogEntry.put(
                        0,
                        SEGMENT,
                        LoggingObjectStore.sha256().digest(forged),
                        forged.length,
                        Instant.parse("2026-12-07T09:00:00Z"),
                        "w/1")
                .encode();
        raw.put(PutRequest.overwrite(
                LogLayout.entryKey(0),
                ObjectBody.ofBytes(entry),
                Checksum.of(ChecksumAlgorithm.SHA256, entry),
                Map.of()));
        raw.delete(checkpoint);

        Auditor.Report alone = auditor().audit();
        assertThat(alone.checkpoints())
                .as("nothing signed left in the repository")
                .isZero();
        assertThat(alone.findings()).as("the log and the objects agree").isEmpty();

        Auditor.Report witnessed = auditor().withWitness(witness).audit();
        assertThat(witnessed.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactlyInAnyOrder(
                        "REMOVED checkpoint at size 2", "LOG_REWRITTEN witness checkpoint at size 2");
        assertThat(witnessed.clean()).isFalse();
    }

    @Test
    void aWitnessThatCannotBeWrittenFailsTheCheckpointNamingIt() {
        ObjectStore refusing = new ForwardingObjectStore(witness) {
            @Override
            public ObjectInfo put(PutRequest request) throws IOException {
                throw new ObjectStoreException("access denied", false, null);
            }
        };

        assertThatThrownBy(() -> checkpointer(refusing).checkpoint())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("signed and stored in " + raw.describe())
                .hasMessageContaining("could not be copied to the witness " + witness.describe())
                .hasMessageContaining("access denied");
    }
}
