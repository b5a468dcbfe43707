package dev.vigil.replay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceLocation;
import dev.vigil.replay.ReferenceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * For random histories (puts, overwrites, deletes, long keys, empty values, many versions of one key), archived as
 * segments of random sizes: a snapshot merged from the snapshot at a random LSN k and the WAL k+1..n holds exactly the
 * items of the history at n (a model kept as a sorted map) and the items and digest a full replay with values reaches;
 * and the judge's hash-only reference has the digest and sketch of the reference with values at every batch boundary.
 * The merge runs with a few KiB of memory half of the time, so that its changes spill to disk.
 */
class SnapshotMergePropertyTest {

    private static final PartitionId PARTITION = PartitionId.of("p-merge");
    private static final DigestAlgorithm ALGORITHM = DigestAlgorithm.XXH128;
    private static final int BITS = 4;
    private static final SketchShape SHAPE = SketchShape.forCapacity(64);
    private static final Clock CLOCK = Clock.systemUTC();

    @Property(tries = 30)
    void mergingASnapshotWithTheWalEqualsAFullReplay(@ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("merge-property");
        try {
            check(new Random(seed), dir);
        } finally {
            DurableFiles.deleteRecursively(dir);
        }
    }

    private void check(Random random, Path dir) throws Exception {
        List<WalRecord> history = history(random);
        long n = history.size();
        long k = random.nextInt((int) n + 1);
        try (ObjectStore store = ObjectStores.localDirectory(dir.resolve("repo"), CLOCK)) {
            archive(history, random, store, dir.resolve("segments"));
            Repository repository = new Repository(store);
            long memory = random.nextBoolean() ? 2_048 : SnapshotMerge.DEFAULT_MEMORY_BYTES;
            SnapshotMerge merge = new SnapshotMerge(repository, memory);

            SnapshotMerge.Merged atK = merge.merge(
                    PARTITION, k, ALGORITHM, BITS, 0, List.of(), dir.resolve("changes-k"), dir.resolve("k"));
            assertThat(items(atK))
                    .as("snapshot at %d from the archive alone", k)
                    .isEqualTo(model(history, k));

            SnapshotMerge.Merged atN = merge.merge(
                    PARTITION,
                    n,
                    ALGORITHM,
                    BITS,
                    k,
                    atK.parts().stream().map(ParquetItems.Part::path).toList(),
                    dir.resolve("changes-n"),
                    dir.resolve("n"));
            Map<String, String> expected = model(history, n);
            assertThat(items(atN))
                    .as("snapshot at %d merged from the one at %d", n, k)
                    .isEqualTo(expected);

            try (ReferenceState values = ReferenceState.open(
                            ReferenceLocation.workWithValues(dir.resolve("values"), PARTITION),
                            PARTITION,
                            ALGORITHM,
                            BITS,
                            Optional.of(SHAPE));
                    ReferenceState hashes = ReferenceState.open(
                            dir.resolve("hashes"), PARTITION, ALGORITHM, BITS, Optional.of(SHAPE))) {
                int applied = 0;
                while (applied < n) {
                    int batch = Math.min((int) n - applied, 1 + random.nextInt(40));
                    List<WalRecord> records = history.subList(applied, applied + batch);
                    values.applyAll(records);
                    hashes.applyAll(records);
                    applied += batch;
                    assertThat(hashes.digest()).as("digest at LSN %d", applied).isEqualTo(values.digest());
                    assertThat(hashes.sketch()).as("sketch at LSN %d", applied).isEqualTo(values.sketch());
                }
                Map<String, String> replayed = new TreeMap<>();
                values.forEachItem(item -> replayed.put(hex(item.key()), hex(item.value()) + "@" + item.lsn()));
                assertThat(items(atN)).as("merged items vs a full replay").isEqualTo(replayed);
                assertThat(atN.digest()).as("merged digest vs a full replay").isEqualTo(values.digest());
                Map<String, Long> lsns = new TreeMap<>();
                hashes.forEachHash((key, lsn, hash) -> lsns.put(hex(key), lsn));
                Map<String, Long> expectedLsns = new TreeMap<>();
                expected.forEach(
                        (key, item) -> expectedLsns.put(key, Long.parseLong(item.substring(item.indexOf('@') + 1))));
                assertThat(lsns).as("the hash-only reference's LSN per key").isEqualTo(expectedLsns);
            }
        }
    }

    /** Up to 600 records over few keys (so many versions of each), some long, some empty values, ~20% deletes. */
    private static List<WalRecord> history(Random random) {
        int keys = 1 + random.nextInt(40);
        List<byte[]> keySpace = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            int length = random.nextInt(10) == 0 ? 200 + random.nextInt(1800) : 1 + random.nextInt(12);
            byte[] key = new byte[length];
            random.nextBytes(key);
            keySpace.add(key);
        }
        int count = 1 + random.nextInt(600);
        List<WalRecord> history = new ArrayList<>();
        for (long lsn = 1; lsn <= count; lsn++) {
            byte[] key = keySpace.get(random.nextInt(keys));
            if (random.nextInt(5) == 0) {
                history.add(WalRecord.delete(lsn, 0, key));
            } else {
                byte[] value = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(3000)];
                random.nextBytes(value);
                history.add(WalRecord.put(lsn, 0, key, value));
            }
        }
        return history;
    }

    /** Archives the history as sealed segments of 1 to 120 records. */
    private static void archive(List<WalRecord> history, Random random, ObjectStore store, Path directory)
            throws Exception {
        Files.createDirectories(directory);
        int next = 0;
        while (next < history.size()) {
            int size = Math.min(history.size() - next, 1 + random.nextInt(120));
            SealedSegment sealed;
            try (SegmentWriter writer =
                    SegmentWriter.create(directory, PARTITION, next + 1, CLOCK, FsyncPolicy.ON_SYNC)) {
                for (WalRecord record : history.subList(next, next + size)) {
                    writer.append(record);
                }
                sealed = writer.seal();
            }
            store.put(PutRequest.ifAbsent(
                    RepositoryLayout.walKey(PARTITION, sealed.summary().lsnRange()),
                    ObjectBody.ofFile(sealed.path()),
                    sealed.summary().checksum(),
                    Map.of()));
            next += size;
        }
    }

    /** The live items after applying the history up to {@code lsn}: hex key → hex value @ LSN. */
    private static Map<String, String> model(List<WalRecord> history, long lsn) {
        Map<String, String> state = new TreeMap<>();
        for (WalRecord record : history.subList(0, (int) lsn)) {
            if (record.op() == Op.DELETE) {
                state.remove(hex(record.key()));
            } else {
                state.put(hex(record.key()), hex(record.value()) + "@" + record.lsn());
            }
        }
        return state;
    }

    /** The items a merge wrote, read back from its Parquet parts, checked to be in strictly ascending key order. */
    private static Map<String, String> items(SnapshotMerge.Merged merged) throws Exception {
        Map<String, String> items = new TreeMap<>();
        DigestAccumulator digest = new DigestAccumulator(ALGORITHM, BITS);
        byte[] last = null;
        try (ParquetItems.ItemStream stream = ParquetItems.readAll(
                merged.parts().stream().map(ParquetItems.Part::path).toList())) {
            while (stream.hasNext()) {
                ReferenceItem item = stream.next();
                if (last != null) {
                    assertThat(Arrays.compareUnsigned(last, item.key()))
                            .as("keys ascend")
                            .isNegative();
                }
                last = item.key();
                items.put(hex(item.key()), hex(item.value()) + "@" + item.lsn());
                digest.add(item.key(), item.value());
            }
        }
        assertThat(digest.snapshot()).as("the merge's digest is its items'").isEqualTo(merged.digest());
        return items;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
