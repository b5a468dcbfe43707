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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints signed with the local leaf cache: the same root as reading the whole log, while each reads only the
 * entries appended since the last; and an entry rewritten in the repository after it was cached keeps its first
 * form in the checkpoints signed here, so the audit names the rewrite instead of a checkpointer signing it.
 */
class CheckpointerTest {

    @TempDir
    Path dir;

    @Test
    void aCachedCheckpointReadsOnlyNewEntriesSignsTheSameRootAndDoesNotSignARewrite() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        LoggingObjectStore logged = TestObjects.logged(
                raw,
                Clock.fixed(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC),
                "test/1",
                dir.resolve("intents"));
        for (int i = 0; i < 30; i++) {
            put(logged, "partitions/p-1/wal/" + i + ".seg", "records " + i);
        }
        AtomicInteger entryReads = new AtomicInteger();
        ObjectStore counting = new ForwardingObjectStore(raw) {
            @Override
            public ObjectStream get(String key) throws IOException {
                if (key.startsWith(LogLayout.ENTRIES)) {
                    entryReads.incrementAndGet();
                }
                return super.get(key);
            }
        };
        NoteKeys.Signer signer = NoteKeys.generate("vigil-test-repo", new SecureRandom());
        LeafCache cache = LeafCache.in(dir.resolve("work/state"), raw.describe(), "vigil-test-repo");
        Checkpointer cached =
                new Checkpointer(counting, signer, "vigil-test-repo", Clock.systemUTC(), Optional.of(cache));

        Checkpoint first = cached.checkpoint();
        assertThat(entryReads).hasValue(30);
        assertThat(first.rootHash())
                .isEqualTo(new Checkpointer(raw, signer, "vigil-test-repo", Clock.systemUTC())
                        .checkpoint()
                        .rootHash());

        put(logged, "partitions/p-1/wal/30.seg", "records 30");
        put(logged, "partitions/p-1/wal/31.seg", "records 31");
        entryReads.set(0);
        Checkpoint second = cached.checkpoint();
        assertThat(entryReads).as("only the two new entries are read").hasValue(2);
        assertThat(second.size()).isEqualTo(32);
        assertThat(second.rootHash()).isEqualTo(LogSnapshot.read(raw).root());

        // Entry 4 rewritten behind the log's back (to cover a rewritten object), then a new put and a checkpoint.
        put(raw, "partitions/p-1/wal/4.seg", "records 4, forged");
        byte[] forgedSha = LoggingObjectStore.sha256().digest("records 4, forged".getBytes(StandardCharsets.UTF_8));
        LogEntry forged = LogEntry.put(
                4, "partitions/p-1/wal/4.seg", forgedSha, 17, Instant.parse("2026-12-07T09:00:00Z"), "test/1");
        raw.put(PutRequest.overwrite(
                LogLayout.entryKey(4),
                ObjectBody.ofBytes(forged.encode()),
                Checksum.of(ChecksumAlgorithm.CRC32C, forged.encode()),
                Map.of()));
        put(logged, "partitions/p-1/wal/32.seg", "records 32");
        Checkpoint third = cached.checkpoint();

        assertThat(third.rootHash())
                .as("the cache signs entry 4 as it was first read, not as rewritten")
                .isNotEqualTo(LogSnapshot.read(raw).root());
        Auditor.Report audit = new Auditor(raw, List.of(signer.verifier()), Duration.ZERO, Clock.systemUTC()).audit();
        assertThat(audit.findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .contains("LOG_REWRITTEN checkpoint at size 30", "LOG_REWRITTEN checkpoint at size 33");
    }
}
