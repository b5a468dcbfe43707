package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** The read-back of a restored RocksDB database, in several key ranges at once. */
class RocksDbReadBackTest {

    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;

    /** Six flushes of keys spread over the whole space, with overwrites and deletes: SST files that overlap. */
    private Map<String, byte[]> writeOverlappingFiles(Path db, long appliedLsn) throws Exception {
        Map<String, byte[]> state = new TreeMap<>();
        Random random = new Random(42);
        try (Options options = new Options().setCreateIfMissing(true).setDisableAutoCompactions(true);
                RocksDB rocks = RocksDB.open(options, db.toString());
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (int file = 0; file < 6; file++) {
                for (int i = 0; i < 2_000; i++) {
                    String key = String.format("key-%06d", random.nextInt(8_000));
                    if (random.nextInt(10) == 0) {
                        rocks.delete(key.getBytes(StandardCharsets.UTF_8));
                        state.remove(key);
                    } else {
                        byte[] value = new byte[1 + random.nextInt(300)];
                        random.nextBytes(value);
                        rocks.put(key.getBytes(StandardCharsets.UTF_8), value);
                        state.put(key, value);
                    }
                }
                rocks.flush(flush);
            }
            rocks.put(
                    StorageNodeContract.appliedLsnKey(),
                    ByteBuffer.allocate(Long.BYTES).putLong(appliedLsn).array());
            rocks.flush(flush);
            assertThat(rocks.getLiveFilesMetaData()).hasSizeGreaterThanOrEqualTo(6);
            assertThat(RocksDbOutput.splitKeys(rocks, 4))
                    .as("four ranges: a start, three split keys, an end")
                    .hasSize(5);
        }
        return state;
    }

    @Test
    void everyNumberOfRangesReadsBackExactlyTheDatabasesItems() throws Exception {
        Path db = dir.resolve("db");
        Digest expected = digestOf(writeOverlappingFiles(db, 77));

        for (int ranges : new int[] {1, 2, 3, 4, 16}) {
            Digest read = RocksDbOutput.readBack(db, 77, DigestAlgorithm.XXH128, 8, ranges);
            assertThat(read).as("%d ranges", ranges).isEqualTo(expected);
        }
    }

    @Test
    void aDatabaseRecordingAnotherAppliedLsnIsRefused() throws Exception {
        Path db = dir.resolve("db");
        writeOverlappingFiles(db, 76);
        assertThatThrownBy(() -> RocksDbOutput.readBack(db, 77, DigestAlgorithm.XXH128, 8, 3))
                .isInstanceOf(IOException.class)
                .hasMessage("the restored database in " + db + " records applied LSN [76], expected 77");
    }

    /**
     * The read-back uses direct I/O where RocksDB can open the database for it and buffered reads where it cannot:
     * both read back the same digest; a directory that opens neither way is the buffered open's failure.
     */
    @Test
    void directAndBufferedReadsBackTheSameDigest() throws Exception {
        Path db = dir.resolve("db");
        Digest expected = digestOf(writeOverlappingFiles(db, 5));

        for (boolean direct : new boolean[] {true, false}) {
            assertThat(RocksDbOutput.readBack(db, 5, DigestAlgorithm.XXH128, 8, 2, direct))
                    .as(direct ? "direct reads where they work" : "buffered reads")
                    .isEqualTo(expected);
        }
        String type = Files.getFileStore(db).type();
        try (Options options = new Options();
                RocksDB opened = RocksDbOutput.openForReadBack(options, db)) {
            assertThat(opened.getLatestSequenceNumber()).isPositive();
            if (type.equals("ext4") || type.equals("xfs")) {
                assertThat(options.useDirectReads()).as(type).isTrue();
            }
        }
        Path empty = Files.createDirectories(dir.resolve("not-a-database"));
        try (Options options = new Options()) {
            assertThatThrownBy(() -> RocksDbOutput.openForReadBack(options, empty))
                    .isInstanceOf(RocksDBException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
            assertThat(options.useDirectReads()).isFalse();
        }
    }

    private static Digest digestOf(Map<String, byte[]> state) {
        DigestAccumulator digest = new DigestAccumulator(DigestAlgorithm.XXH128, 8);
        state.forEach((k, v) -> digest.add(k.getBytes(StandardCharsets.UTF_8), v));
        return digest.snapshot();
    }
}
