package dev.vigil.replay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.replay.ArchivedPartition;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.testkit.store.ForwardingObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotsTest {

    private static final int BITS = 8;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final List<SnapshotException> bad = new ArrayList<>();
    private ArchivedPartition archived;
    private ReplicationGroup group;
    private ObjectStore store;
    private Snapshots snapshots;

    @BeforeEach
    void setUp() throws Exception {
        archived = new ArchivedPartition(dir, clock);
        group = archived.group();
        store = archived.store();
        snapshots = new Snapshots(new Repository(store), dir.resolve("scratch"), clock, 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        archived.close();
    }

    private long archive(int records) throws Exception {
        return archived.archive(records);
    }

    private ReferenceBuilder builder(long everyBytes) {
        return new ReferenceBuilder(new Repository(store), Optional.of(snapshots), everyBytes, bad::add);
    }

    private ReferenceState buildTo(ReferenceBuilder builder, Path work, long target) throws Exception {
        ReferenceState reference = builder.open(work, group.partition(), DigestAlgorithm.XXH128, BITS, target);
        builder.advance(reference, target, new TreeSet<>(), (l, s) -> {});
        return reference;
    }

    /** Builds the reference to {@code lsn} and writes a snapshot there, checking its digest is the reference's. */
    private SnapshotManifest snapshotAt(long lsn) throws Exception {
        try (ReferenceState reference = buildTo(builder(0), dir.resolve("work"), lsn)) {
            SnapshotManifest manifest = builder(0).snapshot(reference);
            assertThat(manifest.digest().root()).isEqualTo(reference.digest().rootHex());
            return manifest;
        }
    }

    @Test
    void aSnapshotHoldsTheStateAtItsLsnAndDuckDbReadsTheSameItems() throws Exception {
        long last = archive(2_500);
        SnapshotManifest manifest = snapshotAt(last);
        Map<String, byte[]> expected = group.stateAt(last);
        assertThat(manifest.lsn()).isEqualTo(last);
        assertThat(manifest.items()).isEqualTo(expected.size());
        assertThat(snapshots.list(group.partition()))
                .extracting(Snapshots.SnapshotRef::lsn)
                .containsExactly(last);

        List<Path> files = snapshots.download(manifest, dir.resolve("download"));
        Map<String, byte[]> read = new TreeMap<>();
        Map<String, Long> lsns = new HashMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement query = duck.createStatement();
                ResultSet rows = query.executeQuery("SELECT key, value, lsn FROM read_parquet('"
                        + files.getFirst().getParent() + "/*.parquet') ORDER BY key")) {
            while (rows.next()) {
                String key = new String(rows.getBytes(1), StandardCharsets.ISO_8859_1);
                read.put(key, rows.getBytes(2));
                lsns.put(key, rows.getLong(3));
            }
        }
        assertThat(read.keySet()).isEqualTo(new TreeMap<>(expected).keySet());
        expected.forEach(
                (key, value) -> assertThat(read.get(key)).as("value of %s", key).isEqualTo(value));
        Map<String, Long> lastWrite = new HashMap<>();
        for (WalRecord record : group.history()) {
            lastWrite.put(new String(record.key(), StandardCharsets.ISO_8859_1), record.lsn());
        }
        lsns.forEach((key, lsn) -> assertThat(lsn).as("LSN of %s", key).isEqualTo(lastWrite.get(key)));
    }

    @Test
    void aBuildStartsFromTheNewestSnapshotAtOrBelowItsTargetAndEndsInTheSameState() throws Exception {
        long first = archive(1_000);
        snapshotAt(first);
        long last = archive(1_400);

        Digest fromScratch;
        try (ReferenceState reference =
                ReferenceState.open(dir.resolve("scratch-build"), group.partition(), DigestAlgorithm.XXH128, BITS)) {
            new ReferenceBuilder(new Repository(store)).advance(reference, last, new TreeSet<>(), (l, s) -> {});
            fromScratch = reference.digest();
        }
        try (ReferenceState reference =
                builder(0).open(dir.resolve("fresh"), group.partition(), DigestAlgorithm.XXH128, BITS, last)) {
            assertThat(reference.lsn()).as("starts at the snapshot").isEqualTo(first);
            builder(0).advance(reference, last, new TreeSet<>(), (l, s) -> {});
            assertThat(reference.digest()).isEqualTo(fromScratch);
        }
        try (ReferenceState reference =
                builder(0).open(dir.resolve("earlier"), group.partition(), DigestAlgorithm.XXH128, BITS, first - 1)) {
            assertThat(reference.lsn())
                    .as("no snapshot at or below the target: LSN 0")
                    .isZero();
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void thePolicyWritesASnapshotEachTimeEnoughWalWasReplayed() throws Exception {
        long last = archive(2_000);
        List<ArchivedSegment> segments =
                new Repository(store).archive(group.partition()).segments();
        long every = 3 * segments.getFirst().size();
        List<Long> expected = new ArrayList<>();
        Map<Long, Long> walBytesAt = new HashMap<>();
        long since = 0;
        long total = 0;
        for (ArchivedSegment segment : segments) {
            since += segment.size();
            total += segment.size();
            if (since >= every) {
                expected.add(segment.range().last());
                walBytesAt.put(segment.range().last(), total);
                since = 0;
            }
        }
        assertThat(expected).as("the workload spans several snapshot intervals").hasSizeGreaterThan(1);
        try (ReferenceState reference = buildTo(builder(every), dir.resolve("work"), last)) {
            assertThat(reference.lsn()).isEqualTo(last);
        }
        assertThat(snapshots.list(group.partition()))
                .extracting(Snapshots.SnapshotRef::lsn)
                .isEqualTo(expected);
        long lsn = expected.get(1);
        SnapshotManifest second = snapshots.manifest(new Snapshots.SnapshotRef(group.partition(), lsn));
        assertThat(second.items()).isEqualTo(group.stateAt(lsn).size());
        assertThat(second.walBytes()).isEqualTo(walBytesAt.get(lsn));
    }

    @Test
    void aSnapshotThatCannotBeStoredIsRetriedAtTheNextSegmentAndNeverHalfCommitted() throws Exception {
        long last = archive(2_000);
        List<ArchivedSegment> segments =
                new Repository(store).archive(group.partition()).segments();
        long every = 3 * segments.getFirst().size();
        int[] failures = {1};
        ObjectStore flaky = new ForwardingObjectStore(store) {
            @Override
            public ObjectInfo put(PutRequest request) throws IOException {
                if (request.key().contains("/snapshots/")
                        && request.key().endsWith("/manifest.json")
                        && failures[0]-- > 0) {
                    throw new IOException("503 Service Unavailable (injected) storing " + request.key());
                }
                return super.put(request);
            }
        };
        Snapshots onFlaky = new Snapshots(new Repository(flaky), dir.resolve("scratch"), clock, 2);
        ReferenceBuilder builder = new ReferenceBuilder(new Repository(flaky), Optional.of(onFlaky), every, bad::add);
        Digest reached;
        try (ReferenceState reference = buildTo(builder, dir.resolve("work"), last)) {
            assertThat(reference.lsn())
                    .as("a failed snapshot does not stop the build")
                    .isEqualTo(last);
            reached = reference.digest();
        }
        long since = 0;
        int due = 0;
        while ((since += segments.get(due).size()) < every) {
            due++;
        }
        long firstDue = segments.get(due).range().last();
        List<Long> written = snapshots.list(group.partition()).stream()
                .map(Snapshots.SnapshotRef::lsn)
                .toList();
        assertThat(written)
                .as("the due snapshot failed, so the next segment end wrote one")
                .isNotEmpty()
                .doesNotContain(firstDue)
                .allMatch(l -> l > firstDue);
        assertThat(snapshots.objectsByLsn(group.partition()).get(firstDue))
                .as("the failed snapshot's files are there, without a manifest: not a snapshot")
                .isNotEmpty()
                .noneMatch(o -> o.key().endsWith("manifest.json"));
        try (ReferenceState scratch =
                ReferenceState.open(dir.resolve("scratch-build"), group.partition(), DigestAlgorithm.XXH128, BITS)) {
            new ReferenceBuilder(new Repository(store)).advance(scratch, last, new TreeSet<>(), (l, s) -> {});
            assertThat(reached).isEqualTo(scratch.digest());
        }
    }

    @Test
    void aSnapshotWhoseItemsDoNotProveItsDigestIsRefusedAndTheBuildFallsBack() throws Exception {
        long first = archive(600);
        snapshotAt(first);
        String key = RepositoryLayout.snapshotManifestKey(group.partition(), first);
        String manifest;
        try (ObjectStream in = store.get(key)) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // A consistent rewrite: valid checksums, but the manifest now claims one item more.
        String tampered = manifest.replaceFirst("\"items\" : (\\d+)", "\"items\" : 1$1");
        byte[] body = tampered.getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.SHA256, body), Map.of()));
        // Without the hash-state checkpoint written beside it, the snapshot is the only starting point there.
        store.forEach(RepositoryLayout.hashStatesPrefix(group.partition()), o -> store.delete(o.key()));

        try (ReferenceState reference =
                builder(0).open(dir.resolve("fresh"), group.partition(), DigestAlgorithm.XXH128, BITS, first)) {
            assertThat(reference.lsn()).isZero();
        }
        assertThat(bad).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.getMessage()).contains("does not prove out");
        });
    }

    @Test
    void aSnapshotWithAMissingFileNamesTheFile() throws Exception {
        long first = archive(600);
        SnapshotManifest manifest = snapshotAt(first);
        String file = RepositoryLayout.snapshotPrefix(group.partition(), first)
                + manifest.files().getFirst().name();
        store.delete(file);
        assertThatThrownBy(() -> snapshots.load(manifest, dir.resolve("fresh"), DigestAlgorithm.XXH128, BITS))
                .isInstanceOf(SnapshotException.class)
                .hasMessageContaining(file)
                .hasMessageContaining("missing");
    }

    @Test
    void filesWithoutAManifestAreNotASnapshot() throws Exception {
        long first = archive(600);
        snapshotAt(first);
        store.delete(RepositoryLayout.snapshotManifestKey(group.partition(), first));
        assertThat(snapshots.list(group.partition())).isEmpty();
        assertThat(snapshots.objectsByLsn(group.partition())).containsOnlyKeys(first);
    }

    @Test
    void partsLoadAtOnceOnlyAsManyAsCoresDownloadsAndHeapAllow() {
        long mib = 1024L * 1024;
        assertThat(Snapshots.loadThreads(4, 2, 256 * mib))
                .as("the image's 256 MiB heap")
                .isEqualTo(1);
        assertThat(Snapshots.loadThreads(4, 2, 100 * mib)).as("never none").isEqualTo(1);
        assertThat(Snapshots.loadThreads(4, 2, 1024 * mib)).as("two cores").isEqualTo(2);
        assertThat(Snapshots.loadThreads(4, 16, 6 * 1024 * mib))
                .as("four downloads")
                .isEqualTo(4);
        assertThat(Snapshots.loadThreads(4, 16, 768 * mib))
                .as("three parts per 768 MiB")
                .isEqualTo(3);
    }
}
