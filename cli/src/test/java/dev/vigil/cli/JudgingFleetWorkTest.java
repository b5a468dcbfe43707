package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.scrubber.ArchiveVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet worker's archive verification of one partition: done, or a failure that names what it could not read. */
class JudgingFleetWorkTest {

    private static final PartitionId PARTITION = PartitionId.of("orders-3");

    @TempDir
    Path dir;

    @Test
    void aPartitionsArchiveIsVerifiedAndAnUnreadableRepositoryFailsTheTaskNamingTheObject() throws Exception {
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC())) {
            String key = archiveOneSegment(store);

            assertThat(work(store).verifyArchive(PARTITION))
                    .isEqualTo("1 object(s) re-read (" + store.head(key).size() + " bytes), 0 finding(s)");

            ObjectStore unreadable = new ForwardingObjectStore(store) {
                @Override
                public ObjectStream get(String k) throws IOException {
                    if (k.contains("/wal/")) {
                        throw new IOException("connection reset reading " + k);
                    }
                    return super.get(k);
                }
            };
            assertThatThrownBy(() -> work(unreadable).verifyArchive(PARTITION))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the archive of orders-3 could not be verified: ")
                    .hasMessageContaining(key)
                    .hasMessageContaining("the objects not reached are verified at the task's next try");
        }
    }

    private static JudgingFleetWork work(ObjectStore store) {
        ArchiveVerifier verifier = new ArchiveVerifier(
                new Repository(store),
                Optional.empty(),
                new VerifyConfig(Duration.ZERO), // every object due
                Duration.ofMinutes(15),
                alert -> {},
                Clock.systemUTC(),
                new SplittableRandom(1));
        return new JudgingFleetWork(
                new Repository(store),
                () -> {
                    throw new AssertionError("no judging in this test");
                },
                verifier,
                new ReferenceBuilder(new Repository(store)),
                new ReferenceSizes(new SimpleMeterRegistry()));
    }

    private String archiveOneSegment(ObjectStore store) throws IOException {
        SealedSegment sealed;
        try (SegmentWriter writer = SegmentWriter.create(
                java.nio.file.Files.createDirectories(dir.resolve("wal")),
                PARTITION,
                1,
                Clock.systemUTC(),
                FsyncPolicy.ON_SYNC)) {
            for (long lsn = 1; lsn <= 10; lsn++) {
                writer.append(lsn, Op.PUT, ("key-" + lsn).getBytes(StandardCharsets.UTF_8), new byte[64]);
            }
            sealed = writer.seal();
        }
        String key = RepositoryLayout.walKey(PARTITION, sealed.summary().lsnRange());
        store.put(PutRequest.ifAbsent(
                key, ObjectBody.ofFile(sealed.path()), sealed.summary().checksum(), Map.of("replica", "r1")));
        return key;
    }
}
