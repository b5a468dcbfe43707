package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.wal.WalFormat;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

class ReferenceStateTest {

    @TempDir
    Path work;

    private final PartitionId partition = PartitionId.of("p-1");

    private static WalRecord put(long lsn, String key, String value) {
        return WalRecord.put(lsn, 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSavedReferenceContinuesWhereItStoppedWithItsDigest() throws Exception {
        Digest saved;
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            reference.applyAll(List.of(put(1, "a", "1"), put(2, "b", "2"), put(3, "a", "3")));
            reference.save();
            saved = reference.digest();
        }
        try (ReferenceState reopened = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn()).isEqualTo(3);
            assertThat(reopened.digest()).isEqualTo(saved);
            reopened.apply(WalRecord.delete(4, 0, "b".getBytes(StandardCharsets.UTF_8)));
            assertThat(reopened.digest().itemCount()).isEqualTo(1);
        }
    }

    @Test
    void aReferenceChangedWithoutSavingIsDiscardedNotTrusted() throws Exception {
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            reference.applyAll(List.of(put(1, "a", "1"), put(2, "b", "2")));
            reference.save();
        }
        try (ReferenceState interrupted = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            interrupted.apply(put(3, "c", "3"));
            // closed without save(): as if the process died mid-build
        }
        try (ReferenceState reopened = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn()).isZero();
            assertThat(reopened.digest().itemCount()).isZero();
        }
    }

    @Test
    void recordsMustFollowTheReferencesLsn() throws Exception {
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThatThrownBy(() -> reference.apply(put(2, "a", "1")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reference of p-1 is at LSN 0; cannot apply 2");
        }
    }

    @Test
    void aDiscardedReferenceStartsAgainFromLsnZero() throws Exception {
        try (ReferenceState reference = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            reference.apply(put(1, "a", "1"));
            reference.save();
        }
        ReferenceLocation.work(work, partition).discard();
        try (ReferenceState reopened = ReferenceState.open(work, partition, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn()).isZero();
        }
    }

    /** A run over {@code items}; reading throws after {@code failAfter} items when it is not negative. */
    private static ItemRun run(List<ReferenceItem> items, int failAfter) {
        return () -> new ItemRun.Items() {
            private int next;

            @Override
            public boolean hasNext() {
                if (failAfter >= 0 && next == failAfter) {
                    throw new UncheckedIOException(new IOException("part-00001.parquet: unreadable Parquet data"));
                }
                return next < items.size();
            }

            @Override
            public ReferenceItem next() {
                return items.get(next++);
            }

            @Override
            public void close() {}
        };
    }

    private static List<ReferenceItem> items(int from, int to) {
        List<ReferenceItem> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            items.add(new ReferenceItem(
                    String.format("key-%05d", i).getBytes(StandardCharsets.UTF_8),
                    ("value-" + i).getBytes(StandardCharsets.UTF_8),
                    i + 1));
        }
        return items;
    }

    @Test
    void runsLoadedInParallelHoldTheSameStateAndDigestAsOneRun() throws Exception {
        ReferenceLocation one = ReferenceLocation.replica(work.resolve("one"));
        ReferenceLocation parallel = ReferenceLocation.replica(work.resolve("parallel"));
        Digest expected;
        try (ReferenceState whole = ReferenceState.load(
                one,
                partition,
                DigestAlgorithm.XXH128,
                6,
                5_000,
                items(0, 3_000).iterator(),
                Optional.empty())) {
            expected = whole.digest();
        }
        try (ReferenceState loaded = ReferenceState.load(
                parallel,
                partition,
                DigestAlgorithm.XXH128,
                6,
                5_000,
                List.of(run(items(0, 1_000), -1), run(List.of(), -1), run(items(1_000, 3_000), -1)),
                Optional.empty(),
                2)) {
            assertThat(loaded.digest()).isEqualTo(expected);
            assertThat(loaded.digest().itemCount()).isEqualTo(3_000);
            loaded.completeReplica();
        }
        try (Stream<Path> left = Files.list(work.resolve("parallel"))) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain(".ingest");
        }
    }

    @Test
    void aRunThatOverlapsTheOneBeforeItIsRefusedNamingTheKeyAndLeavesNothing() {
        ReferenceLocation location = ReferenceLocation.replica(work.resolve("overlap"));
        assertThatThrownBy(() -> ReferenceState.load(
                        location,
                        partition,
                        DigestAlgorithm.XXH128,
                        6,
                        5_000,
                        List.of(run(items(0, 1_000), -1), run(items(999, 2_000), -1)),
                        Optional.empty(),
                        2))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("part 2 of 2 starts at key key-00999")
                .hasMessageContaining("the last key key-00999 of part 1");
        assertThat(work.resolve("overlap")).doesNotExist();
    }

    @Test
    void aRunThatFailsStopsTheLoadWithItsErrorAndLeavesNothing() {
        ReferenceLocation location = ReferenceLocation.replica(work.resolve("failing"));
        assertThatThrownBy(() -> ReferenceState.load(
                        location,
                        partition,
                        DigestAlgorithm.XXH128,
                        6,
                        5_000,
                        List.of(run(items(0, 2_000), -1), run(items(2_000, 4_000), 700)),
                        Optional.empty(),
                        2))
                .isInstanceOf(IOException.class)
                .hasMessage("part-00001.parquet: unreadable Parquet data");
        assertThat(work.resolve("failing")).doesNotExist();
    }

    /**
     * Whatever the cache of item hashes holds or drops, and whether the reference started empty (the cache complete)
     * or from loaded items (every key unknown), the digest after a random history equals the digest of the final
     * state computed from scratch, and the database holds exactly that state.
     */
    @Test
    void theDigestIsExactWhateverTheItemHashCacheHoldsOrDrops() throws Exception {
        for (int capacity : new int[] {0, 1, 3, 50, 100_000}) { // keys
            for (boolean fromLoad : new boolean[] {false, true}) {
                Random random = new Random(capacity * 31L + (fromLoad ? 1 : 0));
                Map<String, String> state = new TreeMap<>();
                ReferenceLocation location =
                        ReferenceLocation.replica(work.resolve("cache-" + capacity + "-" + fromLoad));
                List<ReferenceItem> loaded = new ArrayList<>();
                if (fromLoad) {
                    for (int k = 0; k < 40; k += 2) {
                        String key = String.format("k%03d", k);
                        state.put(key, "loaded-" + k);
                        loaded.add(new ReferenceItem(
                                key.getBytes(StandardCharsets.UTF_8),
                                ("loaded-" + k).getBytes(StandardCharsets.UTF_8),
                                1));
                    }
                }
                try (ReferenceState reference = ReferenceState.load(
                        location, partition, DigestAlgorithm.XXH128, 4, 1, loaded.iterator(), Optional.empty())) {
                    reference.useHashCache(capacity * ItemHashCache.cost(4)); // keys are 4 bytes long
                    long lsn = 1;
                    for (int batch = 0; batch < 60; batch++) {
                        List<WalRecord> records = new ArrayList<>();
                        for (int n = random.nextInt(20); n >= 0; n--) {
                            String key = String.format("k%03d", random.nextInt(60));
                            if (random.nextInt(4) == 0) {
                                records.add(WalRecord.delete(++lsn, 0, key.getBytes(StandardCharsets.UTF_8)));
                                state.remove(key);
                            } else {
                                String value = "v" + random.nextInt(1000);
                                records.add(put(++lsn, key, value));
                                state.put(key, value);
                            }
                        }
                        reference.applyAll(records);
                    }
                    DigestAccumulator expected = new DigestAccumulator(DigestAlgorithm.XXH128, 4);
                    state.forEach((k, v) ->
                            expected.add(k.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)));
                    assertThat(reference.digest())
                            .as("capacity %d, from a load: %s", capacity, fromLoad)
                            .isEqualTo(expected.snapshot());
                    reference.completeReplica();
                }
                try (Options options = new Options();
                        RocksDB db = RocksDB.openReadOnly(
                                options, location.database().toString());
                        RocksIterator it = db.newIterator()) {
                    Map<String, String> held = new TreeMap<>();
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        if (!StorageNodeContract.isAppliedLsnKey(it.key())) {
                            held.put(
                                    new String(it.key(), StandardCharsets.UTF_8),
                                    new String(it.value(), StandardCharsets.UTF_8));
                        }
                    }
                    assertThat(held)
                            .as("capacity %d, from a load: %s", capacity, fromLoad)
                            .isEqualTo(state);
                }
            }
        }
    }
    /**
     * Puts into the work directory's reference are staged in direct buffers that grow on demand, and items too large
     * for them take the array path: every item must read back with its exact key, value and LSN, whichever path it
     * took and whatever was staged before it.
     */
    @Test
    void itemsOfEverySizeReadBackExactlyWithTheirLsn() throws Exception {
        int[] valueSizes = { // the first four are one batch of more than 16 MiB, after which the batch is replaced
            0,
            100,
            WalFormat.MAX_VALUE_LENGTH,
            5_000,
            70_000,
            ReplayBatch.STAGED_LIMIT - Long.BYTES,
            ReplayBatch.STAGED_LIMIT - Long.BYTES + 1,
            3,
            4_096,
            100
        };
        int[] keySizes = {1, 16, 300, 5_000, 16, WalFormat.MAX_KEY_LENGTH, 2, 40, 7, 1_000};
        Random random = new Random(11);
        Map<String, ReferenceItem> expected = new TreeMap<>();
        DigestAccumulator digest = new DigestAccumulator(DigestAlgorithm.XXH128, 6);
        try (ReferenceState reference = ReferenceState.open(
                ReferenceLocation.workWithValues(work, partition),
                partition,
                DigestAlgorithm.XXH128,
                6,
                Optional.empty())) {
            List<WalRecord> records = new ArrayList<>();
            for (int i = 0; i < valueSizes.length; i++) {
                byte[] key = new byte[keySizes[i]];
                random.nextBytes(key);
                key[0] = (byte) i; // distinct keys
                byte[] value = new byte[valueSizes[i]];
                random.nextBytes(value);
                records.add(WalRecord.put(i + 1, 0, key, value));
                expected.put(HexFormat.of().formatHex(key), new ReferenceItem(key, value, i + 1));
                digest.add(key, value);
            }
            reference.applyAll(records.subList(0, 4));
            reference.applyAll(records.subList(4, records.size()));

            Map<String, ReferenceItem> held = new TreeMap<>();
            reference.forEachItem(item -> held.put(HexFormat.of().formatHex(item.key()), item));
            assertThat(held.keySet()).isEqualTo(expected.keySet());
            held.forEach((key, item) -> {
                ReferenceItem want = expected.get(key);
                assertThat(item.value()).as("value of %s", key).isEqualTo(want.value());
                assertThat(item.lsn()).as("LSN of %s", key).isEqualTo(want.lsn());
            });
            assertThat(reference.digest()).isEqualTo(digest.snapshot());
        }
    }
}
