package dev.vigil.audit;

import static dev.vigil.audit.TestObjects.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way someone who can write the bucket can change history, made on a real (local) repository behind the log's
 * back, each named by the audit with the entry it contradicts: a consistent rewrite of an object (valid checksum), an
 * inserted object, a deleted one, a rewritten log entry, a deleted one, a forged checkpoint; and what is not tampering
 * (a put not yet logged, within the grace period) is told apart.
 */
class AuditorTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private ObjectStore raw;
    private LoggingObjectStore logged;
    private NoteKeys.Signer signer;
    private Checkpointer checkpointer;

    @BeforeEach
    void setUp() throws Exception {
        raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        logged = TestObjects.logged(raw, Clock.fixed(T0, ZoneOffset.UTC), "test/1", dir.resolve("intents"));
        signer = NoteKeys.generate("vigil-test-repo", random);
        checkpointer = new Checkpointer(raw, signer, "vigil-test-repo", Clock.systemUTC());
        put(logged, "partitions/p-1/wal/a.seg", "records a");
        put(logged, "partitions/p-1/wal/b.seg", "records b");
        put(logged, "verdicts/p-1/v1.json", "verdict 1");
        put(logged, "partitions/p-1/verify/state.json", "state 1");
        put(logged, "partitions/p-1/verify/state.json", "state 2"); // an overwrite: the latest entry counts
        put(logged, "scratch/gone.json", "expired");
        logged.delete("scratch/gone.json");
        checkpointer.checkpoint();
    }

    private Auditor auditor(Duration grace) {
        return new Auditor(raw, List.of(signer.verifier()), grace, Clock.systemUTC());
    }

    @Test
    void aRepositoryWrittenThroughTheLogAuditsClean() throws Exception {
        Auditor.Report report = auditor(Duration.ZERO).audit();

        assertThat(report.findings()).isEmpty();
        assertThat(report.entries()).isEqualTo(7);
        assertThat(report.checkpoints()).isEqualTo(1);
        assertThat(report.objects()).isEqualTo(4);
        assertThat(report.clean()).isTrue();
    }

    @Test
    void aConsistentRewriteAnInsertAndADeleteBehindTheLogsBackAreEachNamed() throws Exception {
        put(raw, "partitions/p-1/wal/a.seg", "records A, rewritten with a valid checksum");
        put(raw, "partitions/p-1/wal/planted.seg", "never logged");
        raw.delete("verdicts/p-1/v1.json");

        Auditor.Report report = auditor(Duration.ZERO).audit();

        assertThat(report.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly(
                        "ALTERED partitions/p-1/wal/a.seg",
                        "INSERTED partitions/p-1/wal/planted.seg",
                        "REMOVED verdicts/p-1/v1.json");
        AuditFinding altered = report.findings().getFirst();
        assertThat(altered.entry()).hasValue(0);
        assertThat(altered.loggedAt()).isEqualTo(T0);
        assertThat(altered.detail()).contains("the log recorded", "by test/1");
        assertThat(report.clean()).isFalse();
    }

    @Test
    void anUnloggedObjectWithinTheGracePeriodIsPendingNotInserted() throws Exception {
        put(raw, "partitions/p-1/wal/c.seg", "being written now");

        Auditor.Report report = auditor(Duration.ofMinutes(10)).audit();

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(AuditFinding.Kind.PENDING);
            assertThat(f.subject()).isEqualTo("partitions/p-1/wal/c.seg");
        });
        assertThat(report.clean()).isTrue();
    }

    @Test
    void anObjectLoggedWhileTheAuditRanIsNeitherInsertedNorPending() throws Exception {
        // A writer stored c.seg and logs it only while the audit is reading another object (after the audit read the
        // log): without catching up with the log, the audit would call it inserted.
        String key = "partitions/p-1/wal/c.seg";
        put(raw, key, "being written now");
        AtomicBoolean logged = new AtomicBoolean();
        ObjectStore slowWriter = loggingWhileRead(key, "being written now", "verdicts/p-1/v1.json", logged);

        Auditor.Report report =
                new Auditor(slowWriter, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC()).audit();

        assertThat(logged).isTrue();
        assertThat(report.findings()).isEmpty();
        assertThat(report.objects()).isEqualTo(5);
    }

    @Test
    void aReplacementLoggedWhileTheAuditRanIsNotAltered() throws Exception {
        // A writer replaced the state and logs the new bytes only after the audit read the log (its append was slow):
        // the audit catches up with the log before calling the bytes altered.
        String key = "partitions/p-1/verify/state.json";
        put(raw, key, "state 3");
        AtomicBoolean logged = new AtomicBoolean();
        ObjectStore slowWriter = loggingWhileRead(key, "state 3", key, logged);

        Auditor.Report report =
                new Auditor(slowWriter, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC()).audit();

        assertThat(logged).isTrue();
        assertThat(report.findings()).isEmpty();
        assertThat(report.state().size()).isEqualTo(report.entries() + 1);
    }

    /**
     * The repository as the audit reads it, with a slow writer: the entry of {@code content} stored at {@code key} is
     * appended only when the audit first reads {@code trigger} (after it read the log); {@code logged} says it was.
     */
    private ObjectStore loggingWhileRead(String key, String content, String trigger, AtomicBoolean logged) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        byte[] sha = LoggingObjectStore.sha256().digest(bytes);
        LogAppender writer = new LogAppender(raw);
        return new ForwardingObjectStore(raw) {
            @Override
            public ObjectStream get(String read) throws IOException {
                if (read.equals(trigger) && logged.compareAndSet(false, true)) {
                    writer.append(seq -> LogEntry.put(seq, key, sha, bytes.length, T0, "test/2"));
                }
                return super.get(read);
            }
        };
    }

    @Test
    void aReplacementNoEntryRecordsIsPendingWithinTheGracePeriodAndAlteredAfterIt() throws Exception {
        put(raw, "partitions/p-1/verify/state.json", "state 3, its writer not yet logged");

        assertThat(auditor(Duration.ofMinutes(10)).audit().findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly("PENDING partitions/p-1/verify/state.json");
        assertThat(auditor(Duration.ZERO).audit().findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly("ALTERED partitions/p-1/verify/state.json");
    }

    @Test
    void theListingSkipsTheLogButStillSeesObjectsOnEitherSideOfIt() throws Exception {
        put(raw, "acks/planted.json", "before log/ in key order");
        put(raw, "log0/planted.json", "just after log/");
        put(raw, "log/\u00e9trange", "under log/, after the skip: never judged, and no endless listing");
        put(raw, "zzz/planted.json", "after everything");

        Auditor.Report report = auditor(Duration.ZERO).audit();

        assertThat(report.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly(
                        "INSERTED acks/planted.json", "INSERTED log0/planted.json", "INSERTED zzz/planted.json");
        assertThat(report.objects()).isEqualTo(7);
    }

    @Test
    void aRewrittenLogEntryContradictsTheSignedCheckpoint() throws Exception {
        // Rewrite entry 0 to match the altered object: the object now agrees with the log, but the log no longer
        // agrees with what was signed.
        put(raw, "partitions/p-1/wal/a.seg", "records A");
        byte[] sha = LoggingObjectStore.sha256().digest("records A".getBytes(StandardCharsets.UTF_8));
        LogEntry forged = LogEntry.put(0, "partitions/p-1/wal/a.seg", sha, 9, T0, "test/1");
        raw.put(PutRequest.overwrite(
                LogLayout.entryKey(0), ObjectBody.ofBytes(forged.encode()), crc(forged.encode()), Map.of()));

        Auditor.Report report = auditor(Duration.ZERO).audit();

        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(AuditFinding.Kind.LOG_REWRITTEN);
            assertThat(f.subject()).isEqualTo("checkpoint at size 7");
            assertThat(f.detail()).contains("an entry was rewritten after it was signed");
        });
    }

    @Test
    void aDeletedEntryAForgedCheckpointAndATruncatedLogAreNamed() throws Exception {
        NoteKeys.Signer stranger = NoteKeys.generate("vigil-test-repo", random);
        Checkpoint fake = new Checkpoint("vigil-test-repo", 3, new byte[32], List.of());
        byte[] note = SignedNote.sign(fake.body(), List.of(stranger)).getBytes(StandardCharsets.UTF_8);
        raw.put(PutRequest.overwrite(LogLayout.checkpointKey(3), ObjectBody.ofBytes(note), crc(note), Map.of()));
        raw.delete(LogLayout.entryKey(5));

        Auditor.Report report = auditor(Duration.ZERO).audit();

        assertThat(report.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .contains(
                        "CHECKPOINT_FORGED checkpoint at size 3",
                        "LOG_DAMAGED log entry 5",
                        "LOG_FORKED checkpoint at size 7");
    }

    /**
     * Two writers replacing one object at once can leave the store holding the version the log has just before the
     * last (their puts and entries crossed): not tampering. Putting back a version logged an hour earlier is a
     * rollback: ALTERED.
     */
    @Test
    void crossedReplacementsAreAcceptedButARollbackIsAltered() throws Exception {
        Instant[] now = {T0};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        LoggingObjectStore writer =
                new LoggingObjectStore(raw, new LogAppender(raw), clock, "w/2", new LogIntents(dir.resolve("i2")));
        put(writer, "states/s.json", "v1");
        now[0] = T0.plus(Duration.ofHours(1));
        put(writer, "states/s.json", "v2");
        now[0] = now[0].plusSeconds(1);
        put(writer, "states/s.json", "v3");

        put(raw, "states/s.json", "v2");
        assertThat(auditor(Duration.ZERO).audit().findings()).isEmpty();

        put(raw, "states/s.json", "v1");
        assertThat(auditor(Duration.ZERO).audit().findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly("ALTERED states/s.json");
    }

    private static Checksum crc(byte[] bytes) {
        return Checksum.of(ChecksumAlgorithm.CRC32C, bytes);
    }
}
