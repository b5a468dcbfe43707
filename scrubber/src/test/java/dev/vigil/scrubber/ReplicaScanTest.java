package dev.vigil.scrubber;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.summary.StateAccumulator;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * The scan copies each key and value into one reused frame that grows on demand: every item must come out exactly as
 * the node wrote it, whatever its size (an empty key and value, a key and a value larger than the frame's first
 * capacity, a value of several MiB), and the digest and sketch of the scan must be those of the items themselves.
 */
class ReplicaScanTest {

    @TempDir
    Path dir;

    @Test
    void itemsOfEverySizeAreHandedOutExactlyAndHashedAsThemselves() throws Exception {
        Path replicaDir = Files.createDirectories(StorageNodeContract.replicaDir(dir, PartitionId.of("p-1")));
        SplittableRandom random = new SplittableRandom(11);
        Map<String, byte[]> written = new TreeMap<>();
        int[][] sizes = {{0, 0}, {1, 0}, {12, 100}, {70, 65_000}, {100_000, 10}, {16, 3 << 20}, {33, 70_000}, {9, 1}};
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true);
                RocksDB db = RocksDB.open(options, replicaDir.toString());
                WriteOptions write = new WriteOptions()) {
            for (int i = 0; i < sizes.length; i++) {
                byte[] key = new byte[sizes[i][0]];
                random.nextBytes(key);
                if (key.length > 0) {
                    key[0] = (byte) ('a' + i); // distinct keys, none the reserved one
                }
                byte[] value = new byte[sizes[i][1]];
                random.nextBytes(value);
                db.put(write, key, value);
                written.put(HexFormat.of().formatHex(key), value);
            }
            db.put(
                    write,
                    StorageNodeContract.appliedLsnKey(),
                    ByteBuffer.allocate(8).putLong(42).array());
        }

        Optional<SketchShape> shape = Optional.of(SketchShape.forCapacity(100));
        StateAccumulator scanned = StateAccumulator.create(DigestAlgorithm.XXH128, 8, shape);
        Map<String, byte[]> handedOut = new TreeMap<>();
        RocksDbReplicaSource source = new RocksDbReplicaSource(dir.resolve("scratch"));
        try (ReplicaView view = source.checkpoint(
                new LocalReplica(PartitionId.of("p-1"), ReplicaId.of("n1"), replicaDir), dir.resolve("checkpoint"))) {
            assertThat(view.appliedLsn()).hasValue(42);
            view.scan(item -> {
                scanned.add(item);
                handedOut.put(HexFormat.of().formatHex(item.key()), item.value());
            });
        }

        assertThat(handedOut.keySet()).isEqualTo(written.keySet());
        written.forEach((key, value) -> assertThat(Arrays.equals(handedOut.get(key), value))
                .as("value of key %s (%d bytes)", key, value.length)
                .isTrue());
        StateAccumulator expected = StateAccumulator.create(DigestAlgorithm.XXH128, 8, shape);
        written.forEach((key, value) -> expected.add(HexFormat.of().parseHex(key), value));
        assertThat(scanned.digest().snapshot()).isEqualTo(expected.digest().snapshot());
        assertThat(scanned.sketch()).isEqualTo(expected.sketch());
    }
}
