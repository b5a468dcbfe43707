package dev.vigil.scrubber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.testkit.alert.RecordingAlerts;
import dev.vigil.testkit.time.MutableClock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Bit rot anywhere in an SST file, not only in the data blocks a scan reads: a byte flipped in an index, filter,
 * properties or meta-index block or in the footer is {@code REPLICA_BIT_ROT} for that replica, naming the node's own
 * file (not the checkpoint's hard link) and the kind of block.
 */
class SstBitRotTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingAlerts alerts = new RecordingAlerts();
    private final ScrubConfig config =
            new ScrubConfig(0, Optional.empty(), Optional.empty(), Duration.ofHours(24), DigestAlgorithm.XXH128, 8);
    private final PartitionId partition = PartitionId.of("p-0001");
    private final ReplicaId replica = ReplicaId.of("n1");
    private ObjectStore store;
    private Path root;
    private Path sst;

    @BeforeEach
    void setUp() throws Exception {
        store = ObjectStores.localDirectory(dir.resolve("repo"), clock);
        root = dir.resolve("node");
        Path replicaDir = Files.createDirectories(StorageNodeContract.replicaDir(root, partition));
        RocksDB.loadLibrary();
        // A Bloom filter, so that the table has a filter block (which no scan reads).
        try (BloomFilter filter = new BloomFilter(10, false);
                Options options = new Options()
                        .setCreateIfMissing(true)
                        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter));
                RocksDB db = RocksDB.open(options, replicaDir.toString());
                WriteOptions write = new WriteOptions()) {
            SplittableRandom random = new SplittableRandom(7);
            for (long lsn = 1; lsn <= 3_000; lsn++) {
                byte[] value = new byte[100];
                random.nextBytes(value);
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(("key-" + random.nextInt(100_000)).getBytes(StandardCharsets.UTF_8), value);
                    batch.put(
                            StorageNodeContract.appliedLsnKey(),
                            ByteBuffer.allocate(8).putLong(lsn).array());
                    db.write(write, batch);
                }
            }
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
        }
        try (Stream<Path> files = Files.list(replicaDir)) {
            sst = files.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
    }

    private ScrubOutcome scrub() throws IOException {
        Scrubber scrubber = new Scrubber(
                new Repository(store),
                new NodeConfig(replica, List.of(root)),
                config,
                new RocksDbReplicaSource(dir.resolve("work/scratch")),
                dir.resolve("work"),
                alerts,
                clock);
        List<ScrubOutcome> outcomes = scrubber.scrub(Optional.empty());
        assertThat(outcomes).hasSize(1);
        return outcomes.getFirst();
    }

    @Test
    void aFlippedByteAnywhereInAnSstIsBitRotNamingTheNodesFileAndTheBlock() throws Exception {
        assertThat(scrub().report()).as("the intact replica scrubs cleanly").isPresent();
        long length = Files.size(sst);
        // Offsets across the whole file, and densely over its tail, where index, filter, properties, meta-index and
        // footer live.
        TreeSet<Long> offsets = new TreeSet<>();
        for (long offset = 0; offset < length; offset += length / 24) {
            offsets.add(offset);
        }
        for (long offset = Math.max(0, length - 6_000); offset < length; offset += 97) {
            offsets.add(offset);
        }
        for (long offset = length - 60; offset < length; offset += 3) {
            offsets.add(offset);
        }
        TreeMap<String, Integer> kinds = new TreeMap<>();
        List<String> missed = new ArrayList<>();
        for (long offset : offsets) {
            flip(offset);
            try {
                int before = alerts.ofType(AlertType.REPLICA_BIT_ROT).size();
                ScrubOutcome outcome = scrub();
                if (outcome.finding().isEmpty()) {
                    missed.add(offset + ": " + outcome);
                    continue;
                }
                assertThat(outcome.report()).isEmpty();
                assertThat(outcome.error()).isEmpty();
                List<Alert> rot = alerts.ofType(AlertType.REPLICA_BIT_ROT);
                assertThat(rot).hasSize(before + 1);
                Alert alert = rot.getLast();
                assertThat(alert.replica()).contains(replica);
                assertThat(alert.partition()).contains(partition);
                assertThat(alert.details().get("file"))
                        .as("offset %d: %s", offset, alert.message())
                        .isEqualTo(sst.toString());
                assertThat(alert.message()).doesNotContain(dir.resolve("work").toString());
                kinds.merge(alert.details().get("block"), 1, Integer::sum);
            } finally {
                flip(offset);
            }
        }
        assertThat(missed).as("flipped bytes that no check noticed").isEmpty();
        assertThat(kinds.keySet())
                .as("block kinds named, with counts %s", kinds)
                .contains("Data", "Index", "Filter", "Properties", "MetaIndex", "footer")
                .doesNotContain("unknown");
        assertThat(scrub().report())
                .as("the repaired replica scrubs cleanly again")
                .isPresent();
        try (Stream<Path> left = Files.list(dir.resolve("work/checkpoints").resolve(partition.value()))) {
            assertThat(left.filter(p -> !Files.exists(p.resolve(Scrubber.PUBLISHED))))
                    .as("no checkpoint of a failed scrub")
                    .isEmpty();
        }
    }

    /**
     * When a scan meets a damaged data block, the key it names as the last one read intact is exactly the last key it
     * handed out, and nothing after the damage is handed out.
     */
    @Test
    void aScanStoppedByDamageNamesTheLastKeyItHandedOut() throws Exception {
        Path replicaDir = StorageNodeContract.replicaDir(root, partition);
        List<String> intact = new ArrayList<>();
        try (ReplicaView view = new RocksDbReplicaSource(dir.resolve("scratch")).open(replicaDir)) {
            view.scan(item -> intact.add(Keys.printable(item.key())));
        }
        flip(Files.size(sst) / 3); // inside a data block a third of the way through the keys
        List<String> visited = new ArrayList<>();
        try (ReplicaView view = new RocksDbReplicaSource(dir.resolve("scratch")).open(replicaDir)) {
            assertThatThrownBy(() -> view.scan(item -> visited.add(Keys.printable(item.key()))))
                    .isInstanceOfSatisfying(ReplicaCorruptException.class, e -> {
                        assertThat(visited).isNotEmpty().isEqualTo(intact.subList(0, visited.size()));
                        assertThat(visited.size()).isLessThan(intact.size());
                        assertThat(e.lastGoodKey()).isEqualTo(visited.getLast());
                    });
        } finally {
            flip(Files.size(sst) / 3);
        }
    }

    private void flip(long offset) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(sst.toFile(), "rw")) {
            raw.seek(offset);
            int b = raw.read();
            raw.seek(offset);
            raw.write(b ^ 0x10);
        }
    }
}
