package dev.vigil.audit;

import static dev.vigil.audit.TestObjects.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
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
 * An audit that resumes from the previous one's state (saved and loaded from the work directory) reads only what is
 * new or changed, and still names everything a full audit names: a rewrite, a plant and a deletion since the last
 * audit; a checkpoint rewritten below where it resumes; a checkpoint signed late below it is checked by reading in
 * full.
 */
class IncrementalAuditTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    @TempDir
    Path dir;

    private ObjectStore raw;
    private LoggingObjectStore logged;
    private NoteKeys.Signer signer;
    private Checkpointer checkpointer;

    @BeforeEach
    void setUp() throws Exception {
        raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        logged = TestObjects.logged(raw, Clock.fixed(T0, ZoneOffset.UTC), "test/1", dir.resolve("intents"));
        signer = NoteKeys.generate("vigil-test-repo", new SecureRandom());
        checkpointer = new Checkpointer(raw, signer, "vigil-test-repo", Clock.systemUTC());
        for (int i = 0; i < 20; i++) {
            put(logged, "partitions/p-1/wal/" + i + ".seg", "records " + i);
        }
        checkpointer.checkpoint();
    }

    private Auditor auditor() {
        return new Auditor(raw, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC());
    }

    /** A full audit, its state saved and loaded back as the next process would. */
    private AuditState saved(Auditor.Report report) throws Exception {
        Path file = dir.resolve("work/state/audit.json.gz");
        report.state().save(file);
        return AuditState.load(file).orElseThrow();
    }

    @Test
    void aResumedAuditReadsOnlyWhatIsNewAndIsAsCleanAsAFullOne() throws Exception {
        Auditor.Report full = auditor().audit();
        assertThat(full.findings()).isEmpty();
        assertThat(full.full()).isTrue();
        assertThat(full.objectsHashed()).isEqualTo(20);
        assertThat(full.entriesRead()).isEqualTo(20);

        Auditor.Report nothingNew = auditor().audit(Optional.of(saved(full)));
        assertThat(nothingNew.findings()).isEmpty();
        assertThat(nothingNew.full()).isFalse();
        assertThat(nothingNew.entriesRead()).isZero();
        assertThat(nothingNew.objectsHashed()).isZero();
        assertThat(nothingNew.objects()).isEqualTo(20);
        assertThat(nothingNew.root()).isEqualTo(full.root());

        put(logged, "partitions/p-1/wal/20.seg", "records 20");
        put(logged, "partitions/p-1/wal/3.seg", "records 3, archived again");
        checkpointer.checkpoint();
        Auditor.Report grown = auditor().audit(Optional.of(saved(nothingNew)));
        assertThat(grown.findings()).isEmpty();
        assertThat(grown.entriesRead()).isEqualTo(2);
        assertThat(grown.objectsHashed()).isEqualTo(2);
        assertThat(grown.checkpoints()).isEqualTo(2);
        assertThat(grown.root()).isEqualTo(auditor().audit().root());
    }

    @Test
    void tamperingSinceTheLastAuditIsNamedByAResumedOne() throws Exception {
        AuditState state = saved(auditor().audit());
        put(raw, "partitions/p-1/wal/5.seg", "records 5, rewritten with a valid checksum");
        put(raw, "partitions/p-1/wal/planted.seg", "never logged");
        raw.delete("partitions/p-1/wal/7.seg");

        Auditor.Report report = auditor().audit(Optional.of(state));

        assertThat(report.full()).isFalse();
        assertThat(report.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactlyInAnyOrder(
                        "ALTERED partitions/p-1/wal/5.seg",
                        "INSERTED partitions/p-1/wal/planted.seg",
                        "REMOVED partitions/p-1/wal/7.seg");
        assertThat(report.objectsHashed())
                .as("only the rewritten object is read again")
                .isEqualTo(1);

        Auditor.Report again = auditor().audit(Optional.of(saved(report)));
        assertThat(again.findings())
                .as("what was found is found again until it is mended")
                .hasSize(3);
    }

    @Test
    void aCheckpointRewrittenBelowTheResumedSizeIsNamedAndALateOneIsCheckedInFull() throws Exception {
        AuditState state = saved(auditor().audit());
        // Rewritten: the stored checkpoint at 20 replaced by one (validly signed) of another root.
        Checkpoint forged = new Checkpoint("vigil-test-repo", 20, new byte[32], List.of());
        byte[] note = SignedNote.sign(forged.body(), List.of(signer)).getBytes(StandardCharsets.UTF_8);
        raw.put(PutRequest.overwrite(
                LogLayout.checkpointKey(20),
                ObjectBody.ofBytes(note),
                Checksum.of(ChecksumAlgorithm.SHA256, note),
                Map.of()));

        Auditor.Report rewritten = auditor().audit(Optional.of(state));

        assertThat(rewritten.full()).isFalse();
        assertThat(rewritten.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly("LOG_REWRITTEN checkpoint at size 20");

        // A checkpoint signed at 10 after the audit read past 10 (a slow checkpointer): checked by a full read.
        ObjectStore firstTen = new dev.vigil.core.store.ForwardingObjectStore(raw) {
            @Override
            public dev.vigil.core.store.ObjectListing list(String prefix, Optional<String> startAfter, int maxKeys)
                    throws java.io.IOException {
                dev.vigil.core.store.ObjectListing all = super.list(prefix, startAfter, maxKeys);
                return prefix.equals(LogLayout.ENTRIES)
                        ? new dev.vigil.core.store.ObjectListing(
                                all.objects().stream()
                                        .filter(o -> LogLayout.number(o.key(), LogLayout.ENTRIES)
                                                        .orElseThrow()
                                                < 10)
                                        .toList(),
                                Optional.empty())
                        : all;
            }
        };
        raw.delete(LogLayout.checkpointKey(20));
        new Checkpointer(firstTen, signer, "vigil-test-repo", Clock.systemUTC()).checkpoint();
        Auditor.Report late = auditor().audit(Optional.of(state));
        assertThat(late.full()).isTrue();
        assertThat(late.findings()).isEmpty();
        assertThat(late.state().checkpoints()).containsOnlyKeys(10L);
    }
}
