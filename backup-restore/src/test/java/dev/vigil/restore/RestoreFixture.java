package dev.vigil.restore;

import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.SnapshotException;
import dev.vigil.replay.snapshot.Snapshots;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.time.MutableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** A replication group whose WAL is archived in batches a minute apart, and helpers to read restored output. */
final class RestoreFixture implements AutoCloseable {

    static final int BITS = 8;
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    final MutableClock clock;
    final RecordingAlerts alerts = new RecordingAlerts();
    final ReplicationGroup group;
    final ObjectStore store;
    final Path dir;

    /** A fixture on a local directory repository that stamps objects with the fixture's clock. */
    RestoreFixture(Path dir) throws IOException {
        this(dir, null);
    }

    RestoreFixture(Path dir, ObjectStore store) throws IOException {
        this(dir, store, new MutableClock(START));
    }

    /** A fixture whose clock starts at {@code clock}'s time (a store that checks dates against its own needs now). */
    RestoreFixture(Path dir, ObjectStore store, MutableClock clock) throws IOException {
        this.clock = clock;
        this.dir = dir;
        this.store = store != null ? store : ObjectStores.localDirectory(dir.resolve("repo"), clock);
        this.group = ReplicationGroup.builder(dir.resolve("nodes"), Clock.systemUTC())
                .replicas("r1")
                .recordsPerSegment(100)
                .keySpace(400)
                .clock(clock)
                .build();
    }

    /** Writes {@code batches} batches of {@code perBatch} records, one minute apart, and archives them. */
    long archive(int batches, int perBatch) throws IOException {
        return archive(batches, perBatch, Duration.ofMinutes(1));
    }

    /** Writes and archives {@code batches} batches of {@code perBatch} records, {@code every} apart. */
    long archive(int batches, int perBatch, Duration every) throws IOException {
        long last = 0;
        for (int i = 0; i < batches; i++) {
            last = group.write(perBatch);
            group.sealAll();
            group.replica("r1").storeSealedSegments(store);
            clock.advance(every);
        }
        return last;
    }

    Snapshots snapshots() {
        return new Snapshots(new Repository(store), dir.resolve("snapshot-scratch"), clock, 2);
    }

    /** Writes a snapshot at {@code lsn}. */
    void snapshotAt(long lsn) throws IOException {
        ReferenceBuilder builder = new ReferenceBuilder(new Repository(store), Optional.of(snapshots()), 0, e -> {});
        Path work = dir.resolve("snapshot-work-" + lsn);
        try (ReferenceState reference = ReferenceState.open(work, group.partition(), DigestAlgorithm.XXH128, BITS)) {
            builder.advance(reference, lsn, new TreeSet<>(), (l, s) -> {});
            builder.snapshot(reference);
        }
    }

    Restorer restorer() {
        return new Restorer(
                new Repository(store),
                snapshots(),
                dir.resolve("work"),
                DigestAlgorithm.XXH128,
                BITS,
                SnapshotException.raisingAlerts(alerts, clock),
                clock,
                new SplittableRandom(7));
    }

    /** The items of a restored RocksDB database (without the applied-LSN key) and that key's value. */
    static Map<String, String> readRocksDb(Path db, long[] appliedLsn) throws Exception {
        Map<String, String> items = new TreeMap<>();
        try (Options options = new Options();
                RocksDB rocks = RocksDB.openReadOnly(options, db.toString());
                RocksIterator it = rocks.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (StorageNodeContract.isAppliedLsnKey(it.key())) {
                    appliedLsn[0] = ByteBuffer.wrap(it.value()).getLong();
                } else {
                    items.put(new String(it.key(), StandardCharsets.UTF_8), text(it.value()));
                }
            }
        }
        return items;
    }

    Map<String, String> expectedAt(long lsn) {
        Map<String, String> expected = new TreeMap<>();
        group.stateAt(lsn).forEach((k, v) -> expected.put(k, text(v)));
        return expected;
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        group.close();
    }
}
