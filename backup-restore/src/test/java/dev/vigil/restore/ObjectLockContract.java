package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Lsn;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectLockStatus;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.RetentionLock;
import dev.vigil.core.store.S3ServerSideEncryption;
import dev.vigil.core.store.S3Settings;
import dev.vigil.testkit.s3.S3Endpoint;
import dev.vigil.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 Object Lock on a bucket created with it, on each server that keeps lock dates (S3Mock and moto store and return
 * them but do not enforce them: what is checked here is what Vigil writes and how retention treats the dates it reads
 * back). moto also refuses a locked put that carries neither Content-MD5 nor x-amz-sdk-checksum-algorithm, as AWS
 * documents, so it proves that Vigil's default puts carry what locked puts need.
 */
abstract class ObjectLockContract {

    @TempDir
    Path dir;

    @Test
    void archivedObjectsCarryTheirRetainUntilDateAndRetentionKeepsLockedOnesUntilItPasses(S3Endpoint endpoint)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                endpoint.has(dev.vigil.testkit.s3.S3ServerKind.Capability.OBJECT_LOCK)
                        && endpoint.has(dev.vigil.testkit.s3.S3ServerKind.Capability.CONDITIONAL_PUT_WITH_OBJECT_LOCK),
                "the endpoint declares it lacks object-lock, or conditional puts on a locked bucket (where Vigil"
                        + " refuses to write: S3GuaranteesTest)");
        String bucket = endpoint.bucket() + "-locked";
        endpoint.client().createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
        S3Settings base = endpoint.settings("vigil");
        S3Settings settings = new S3Settings(
                bucket,
                base.prefix(),
                base.endpoint(),
                base.region(),
                base.pathStyle(),
                base.profile(),
                base.integrity(),
                base.sdkChecksums(),
                base.multipartThreshold(),
                base.partSize(),
                base.maxAttempts(),
                base.connectTimeout(),
                base.socketTimeout(),
                S3ServerSideEncryption.NONE);
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Instant start = clock.instant();
        // Keep three days restorable; lock for the window plus five days of margin.
        RetentionConfig retention =
                new RetentionConfig(Duration.ofDays(3), 1, true, Duration.ofDays(5), RetentionLock.Mode.GOVERNANCE);
        ObjectStore raw = endpoint.openStore(settings);
        assertThat(raw.objectLock())
                .extracting(ObjectLockStatus::available, ObjectLockStatus::enabled)
                .containsExactly(true, true);
        ObjectStore store = ObjectStores.locking(
                raw,
                retention.lockMode(),
                retention.window().plus(retention.lockMargin()),
                RepositoryLayout::lockable,
                clock);
        try (RestoreFixture fixture = new RestoreFixture(dir, store, clock)) {
            // Ten segments, one a day; snapshots after segments 3 and 8.
            fixture.archive(3, 100, Duration.ofDays(1));
            fixture.snapshotAt(300);
            fixture.archive(5, 100, Duration.ofDays(1));
            fixture.snapshotAt(800);
            fixture.archive(2, 100, Duration.ofDays(1));

            List<ArchivedSegment> segments =
                    new Repository(store).archive(fixture.group.partition()).segments();
            assertThat(segments).hasSize(10);
            for (int day = 0; day < segments.size(); day++) {
                assertThat(store.retainedUntil(segments.get(day).key()))
                        .as(segments.get(day).key())
                        .contains(start.plus(Duration.ofDays(day + 8)));
            }
            assertThat(store.retainedUntil("partitions/" + fixture.group.partition() + "/snapshots/" + Lsn.padded(300)
                            + "/manifest.json"))
                    .isPresent();
            String state = "partitions/" + fixture.group.partition() + "/verify/state.json";
            byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
            store.put(PutRequest.overwrite(
                    state, ObjectBody.ofBytes(json), Checksum.of(ChecksumAlgorithm.CRC32C, json), Map.of()));
            assertThat(store.retainedUntil(state))
                    .as("state Vigil rewrites is never locked")
                    .isEmpty();

            // Day 10: the policy expires segments 1-8 and the snapshot at LSN 300 (the window rests on the snapshot at
            // LSN 800), but only the segments archived on days 0-2 are past their lock (day 8-10); the rest, and the
            // snapshot's manifest (so its files too), stay, listed as locked, until theirs passes.
            // What is still locked is kept and not counted as expired; a dry run counts the same.
            Retention.PartitionOutcome dry = new Retention(new Repository(store), fixture.snapshots(), retention, clock)
                    .run(fixture.group.partition(), true);
            assertThat(dry.expiredSegments()).hasSize(3);
            assertThat(dry.locked()).hasSize(5 + 1);
            Retention.PartitionOutcome outcome = new Retention(
                            new Repository(store), fixture.snapshots(), retention, clock)
                    .run(fixture.group.partition(), false);
            assertThat(outcome.expiredSegments()).hasSize(3);
            assertThat(outcome.expiredSnapshots()).isEmpty();
            assertThat(outcome.locked())
                    .hasSize(5 + 1)
                    .allSatisfy(l -> assertThat(l.until()).isAfter(clock.instant()))
                    .anySatisfy(l -> assertThat(l.key())
                            .isEqualTo("partitions/p-0001/snapshots/00000000000000000300/manifest.json"));
            assertThat(outcome.refused()).isEmpty();
            assertThat(new Repository(store).archive(fixture.group.partition()).segments())
                    .extracting(s -> s.range().first())
                    .containsExactly(301L, 401L, 501L, 601L, 701L, 801L, 901L);

            clock.advance(Duration.ofDays(7));
            Retention.PartitionOutcome later = new Retention(
                            new Repository(store), fixture.snapshots(), retention, clock)
                    .run(fixture.group.partition(), false);
            assertThat(later.locked()).isEmpty();
            assertThat(later.expiredSegments()).hasSize(5);
            assertThat(later.expiredSnapshots()).containsExactly(300L);
            assertThat(new Repository(store).archive(fixture.group.partition()).segments())
                    .extracting(s -> s.range().first())
                    .containsExactly(801L, 901L);
        }
    }
}
