package dev.vigil.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.LsnRange;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.ParquetItems;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class RestoreTest {

    @TempDir
    Path dir;

    private ObjectStore store;
    private RestoreFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        store = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        fixture = new RestoreFixture(dir, store);
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
        store.close();
    }

    /** A restorer whose every format is written by {@code output}. */
    private Restorer restorerWriting(RestoreOutput output) {
        return new Restorer(
                new Repository(store),
                fixture.snapshots(),
                dir.resolve("work"),
                DigestAlgorithm.XXH128,
                RestoreFixture.BITS,
                e -> {},
                fixture.clock,
                new SplittableRandom(1),
                format -> output);
    }

    private RestoreResult restore(long lsn, RestoreFormat format, String target) throws Exception {
        return fixture.restorer()
                .restore(
                        new RestoreRequest(
                                fixture.group.partition(),
                                new RestoreTarget.ToLsn(lsn),
                                dir.resolve(target),
                                format,
                                false),
                        RestoreProgress.SILENT);
    }

    @Test
    void restoresAtManyLsnsEqualTheGroupsStateAtThoseLsns() throws Exception {
        long last = fixture.archive(15, 100);
        fixture.snapshotAt(700);
        for (long lsn : new long[] {1, 99, 100, 101, 450, 699, 700, 701, 1_234, last}) {
            RestoreResult result = restore(lsn, RestoreFormat.ROCKSDB, "db-" + lsn);
            long[] applied = {0};
            assertThat(RestoreFixture.readRocksDb(result.output(), applied))
                    .as("state at LSN %d", lsn)
                    .isEqualTo(fixture.expectedAt(lsn));
            assertThat(applied[0]).isEqualTo(lsn);
            assertThat(result.verified()).isTrue();
            assertThat(result.lsn()).isEqualTo(lsn);
            assertThat(result.snapshotLsn()).isEqualTo(lsn >= 700 ? Optional.of(700L) : Optional.empty());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("vigil-restore"));
        }
    }

    @Test
    void aRestoreAcrossASnapshotBoundaryEqualsOneFromScratch() throws Exception {
        fixture.archive(12, 100);
        RestoreResult fromScratch = restore(1_050, RestoreFormat.ROCKSDB, "scratch");
        fixture.snapshotAt(800);
        RestoreResult fromSnapshot = restore(1_050, RestoreFormat.ROCKSDB, "snap");
        assertThat(fromSnapshot.snapshotLsn()).contains(800L);
        assertThat(fromScratch.snapshotLsn()).isEmpty();
        assertThat(fromSnapshot.digestRoot()).isEqualTo(fromScratch.digestRoot());
        assertThat(fromSnapshot.replayedBytes()).isLessThan(fromScratch.replayedBytes());
        long[] applied = {0};
        assertThat(RestoreFixture.readRocksDb(fromSnapshot.output(), applied))
                .isEqualTo(RestoreFixture.readRocksDb(fromScratch.output(), applied));
    }

    @Test
    void parquetAndJsonLinesExportsHoldTheStateWithEachKeysLastLsn() throws Exception {
        fixture.archive(5, 100);
        long lsn = 333;
        Map<String, String> expected = fixture.expectedAt(lsn);
        Map<String, Long> lastWrite = new TreeMap<>();
        for (WalRecord record : fixture.group.history().subList(0, (int) lsn)) {
            lastWrite.put(new String(record.key(), StandardCharsets.UTF_8), record.lsn());
        }

        RestoreResult parquet = restore(lsn, RestoreFormat.PARQUET, "parquet");
        Map<String, String> fromParquet = new TreeMap<>();
        try (ParquetItems.ItemIterator items =
                ParquetItems.read(parquet.output().resolve("part-00000.parquet"))) {
            while (items.hasNext()) {
                ReferenceItem item = items.next();
                String key = new String(item.key(), StandardCharsets.UTF_8);
                fromParquet.put(key, RestoreFixture.text(item.value()));
                assertThat(item.lsn()).isEqualTo(lastWrite.get(key));
            }
        }
        assertThat(fromParquet).isEqualTo(expected);

        RestoreResult jsonl = restore(lsn, RestoreFormat.JSONL, "jsonl");
        Map<String, String> fromJson = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(jsonl.output().resolve("items.jsonl"))) {
            Map<?, ?> item = json.readValue(line, Map.class);
            String key = new String(Base64.getDecoder().decode((String) item.get("key")), StandardCharsets.UTF_8);
            fromJson.put(key, RestoreFixture.text(Base64.getDecoder().decode((String) item.get("value"))));
            assertThat(((Number) item.get("lsn")).longValue()).isEqualTo(lastWrite.get(key));
        }
        assertThat(fromJson).isEqualTo(expected);
        assertThat(parquet.digestRoot()).isEqualTo(jsonl.digestRoot());
    }

    @Test
    void toTimeRestoresTheLastLsnWrittenAtOrBeforeThatTime() throws Exception {
        fixture.archive(10, 100);
        Restorer restorer = fixture.restorer();
        List<WalRecord> history = fixture.group.history();
        for (Duration offset : List.of(
                Duration.ofSeconds(30),
                Duration.ofMinutes(3).plusSeconds(30),
                Duration.ofMinutes(9),
                Duration.ofHours(5))) {
            Instant time = RestoreFixture.START.plus(offset);
            long expected = history.stream()
                    .filter(r -> r.timestampMillis() <= time.toEpochMilli())
                    .mapToLong(WalRecord::lsn)
                    .max()
                    .orElseThrow();
            assertThat(restorer.resolve(fixture.group.partition(), new RestoreTarget.ToTime(time)))
                    .as("at %s", time)
                    .isEqualTo(expected);
        }
        RestoreResult result = restorer.restore(
                new RestoreRequest(
                        fixture.group.partition(),
                        new RestoreTarget.ToTime(RestoreFixture.START.plus(Duration.ofMinutes(4))),
                        dir.resolve("t4"),
                        RestoreFormat.ROCKSDB,
                        false),
                RestoreProgress.SILENT);
        long[] applied = {0};
        assertThat(RestoreFixture.readRocksDb(result.output(), applied)).isEqualTo(fixture.expectedAt(result.lsn()));
        assertThatThrownBy(() -> restorer.resolve(
                        fixture.group.partition(), new RestoreTarget.ToTime(RestoreFixture.START.minusSeconds(60))))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("before the first archived record");
    }

    @Test
    void aRestoreBeyondTheEndOfTheArchiveIsRefusedUpFrontNamingTheEnd() throws Exception {
        long end = fixture.archive(3, 100);
        Path target = dir.resolve("beyond");

        assertThatThrownBy(() -> fixture.restorer()
                        .restore(
                                new RestoreRequest(
                                        fixture.group.partition(),
                                        new RestoreTarget.ToLsn(end + 1),
                                        target,
                                        RestoreFormat.ROCKSDB,
                                        false),
                                RestoreProgress.SILENT))
                .isInstanceOfSatisfying(RestoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(RestoreException.Kind.USAGE);
                    assertThat(e.getMessage())
                            .contains("LSN " + (end + 1) + " is beyond the end of the archive")
                            .contains("ends at LSN " + end)
                            .contains("Restore to LSN " + end + " or earlier");
                });
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("work").resolve("restore"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void aTimeAfterTheNewestRecordRestoresToItWithAWarning() throws Exception {
        long end = fixture.archive(3, 100);
        WalRecord newest = fixture.group.history().getLast();
        Instant later = Instant.ofEpochMilli(newest.timestampMillis()).plus(Duration.ofDays(2));
        RecordingProgress progress = RecordingProgress.recording();

        RestoreResult result = fixture.restorer()
                .restore(
                        new RestoreRequest(
                                fixture.group.partition(),
                                new RestoreTarget.ToTime(later),
                                dir.resolve("later"),
                                RestoreFormat.ROCKSDB,
                                false),
                        progress);

        assertThat(result.verified()).isTrue();
        assertThat(result.lsn()).isEqualTo(end);
        String warning = "warning: --to-time " + later + " is after the newest archived record (LSN " + end
                + ", written " + Instant.ofEpochMilli(newest.timestampMillis()) + "): restoring to that record.";
        assertThat(result.checks()).anyMatch(c -> c.startsWith(warning));
        assertThat(progress.phases).anyMatch(p -> p.startsWith(warning));
        // A time inside the archive gets no warning.
        RestoreResult inside = fixture.restorer()
                .restore(
                        new RestoreRequest(
                                fixture.group.partition(),
                                new RestoreTarget.ToTime(RestoreFixture.START.plusSeconds(90)),
                                dir.resolve("inside"),
                                RestoreFormat.ROCKSDB,
                                false),
                        RestoreProgress.SILENT);
        assertThat(inside.checks()).noneMatch(c -> c.startsWith("warning"));
    }

    @Test
    void aCorruptArchivedSegmentFailsTheRestoreNamingTheObjectAndLeavesNothingBehind() throws Exception {
        fixture.archive(5, 100);
        ArchivedSegment victim = new Repository(store)
                .archive(fixture.group.partition())
                .segments()
                .get(2);
        Path file = dir.resolve("repo").resolve(victim.key());
        long payload = LocalObjectFile.readHeader(file, "test", victim.key()).payloadOffset();
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + 500);
            int b = raw.read();
            raw.seek(payload + 500);
            raw.write(b ^ 0x10);
        }
        assertThatThrownBy(() -> restore(450, RestoreFormat.ROCKSDB, "broken"))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining(victim.key())
                .hasMessageContaining("stopped at LSN 200")
                .hasMessageContaining("restore to LSN 200 or earlier");
        assertThat(dir.resolve("broken")).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("vigil-restore"));
        }
        assertThat(dir.resolve("work").resolve("restore")).isEmptyDirectory();
    }

    @Test
    void aMissingSegmentIsNamedAsAGap() throws Exception {
        fixture.archive(5, 100);
        store.delete(RepositoryLayout.walKey(fixture.group.partition(), new LsnRange(201, 300)));
        assertThatThrownBy(() -> restore(450, RestoreFormat.ROCKSDB, "gap"))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("LSNs [201..300] are not in the archive");
    }

    @Test
    void aSnapshotFileNameThatWouldEscapeTheDirectoryIsRejected() throws Exception {
        fixture.archive(5, 100);
        fixture.snapshotAt(300);
        String key = RepositoryLayout.snapshotManifestKey(fixture.group.partition(), 300);
        String manifest;
        try (ObjectStream in = store.get(key)) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] crafted = manifest.replace("part-00000.parquet", "../../../escaped.parquet")
                .getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(crafted), Checksum.of(ChecksumAlgorithm.SHA256, crafted), Map.of()));

        RestoreResult result = restore(400, RestoreFormat.ROCKSDB, "escape");
        assertThat(result.snapshotLsn()).as("the crafted snapshot is not used").isEmpty();
        assertThat(result.checks())
                .anySatisfy(c -> assertThat(c).contains("refusing the name '../../../escaped.parquet'"));
        assertThat(result.verified()).isTrue();
        assertThat(fixture.alerts.ofType(AlertType.SNAPSHOT_CORRUPT))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.details()).containsEntry("object", key);
                    assertThat(a.message()).contains("refusing the name '../../../escaped.parquet'");
                });
        // Where the name would land (three levels up from the download directory is the temporary directory's
        // parent), and anywhere in the test's own tree; not a walk of the shared parent, where other processes'
        // files come and go.
        assertThat(dir.getParent().resolve("escaped.parquet")).doesNotExist();
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("escaped.parquet")))
                    .isEmpty();
        }
    }

    @Test
    void aNonEmptyTargetIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
        fixture.archive(3, 100);
        Path target = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(target.resolve("precious.txt"), "do not lose me");
        assertThatThrownBy(() -> restore(250, RestoreFormat.ROCKSDB, "busy"))
                .isInstanceOf(RestoreException.class)
                .hasMessageContaining("is not empty")
                .hasMessageContaining("--force");
        assertThat(target.resolve("precious.txt")).hasContent("do not lose me");

        RestoreResult forced = fixture.restorer()
                .restore(
                        new RestoreRequest(
                                fixture.group.partition(),
                                new RestoreTarget.ToLsn(250),
                                target,
                                RestoreFormat.ROCKSDB,
                                true),
                        RestoreProgress.SILENT);
        assertThat(forced.verified()).isTrue();
        assertThat(target.resolve("precious.txt")).doesNotExist();
        long[] applied = {0};
        assertThat(RestoreFixture.readRocksDb(target, applied)).isEqualTo(fixture.expectedAt(250));
    }

    @Test
    void anOutputThatDoesNotMatchTheReferenceIsNotInstalledAndSaysSo() throws Exception {
        fixture.archive(3, 100);
        // Writes every item but the first: what a lost write between replay and disk would leave.
        RestoreOutput losing = new JsonLinesOutput() {
            @Override
            void write(ReferenceState reference, Path directory) throws IOException {
                super.write(reference, directory);
                Path file = directory.resolve(FILE);
                List<String> lines = Files.readAllLines(file);
                Files.write(file, lines.subList(1, lines.size()));
            }
        };
        Restorer restorer = restorerWriting(losing);

        RestoreResult result = restorer.restore(
                new RestoreRequest(
                        fixture.group.partition(),
                        new RestoreTarget.ToLsn(250),
                        dir.resolve("target"),
                        RestoreFormat.JSONL,
                        false),
                RestoreProgress.SILENT);

        assertThat(result.verified()).isFalse();
        assertThat(result.checks().getFirst())
                .startsWith("reference digest at LSN 250 (replayed from the archive): MISMATCH," + " the output holds "
                        + (fixture.expectedAt(250).size() - 1) + " items");
        assertThat(dir.resolve("target"))
                .as("an unverified restore never takes the target's name")
                .doesNotExist();
        assertThat(result.output().getFileName().toString()).startsWith("target.unverified-");
        assertThat(result.output().resolve("items.jsonl")).exists();
    }

    @Test
    void aSnapshotThatDoesNotProveOutIsDroppedFromTheOutputAndTheRestoreReplaysFromAnOlderStart() throws Exception {
        fixture.archive(5, 100);
        fixture.snapshotAt(200);
        fixture.snapshotAt(300);
        String key = RepositoryLayout.snapshotManifestKey(fixture.group.partition(), 300);
        String manifest;
        try (ObjectStream in = store.get(key)) {
            manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher root = Pattern.compile("\"root\"\\s*:\\s*\"([0-9a-f])").matcher(manifest);
        assertThat(root.find()).isTrue();
        char flipped = root.group(1).equals("0") ? '1' : '0';
        byte[] tampered = (manifest.substring(0, root.start(1)) + flipped + manifest.substring(root.end(1)))
                .getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(tampered), Checksum.of(ChecksumAlgorithm.SHA256, tampered), Map.of()));

        // The snapshot at 300 is loaded into the output database before its digest can be checked; it must leave
        // nothing there when the restore falls back to the snapshot at 200.
        RestoreResult result = restore(450, RestoreFormat.ROCKSDB, "fallback");

        assertThat(result.verified()).isTrue();
        assertThat(result.snapshotLsn()).contains(200L);
        assertThat(result.checks())
                .anySatisfy(c -> assertThat(c)
                        .startsWith("snapshot skipped: snapshot " + key)
                        .contains("does not prove out"));
        long[] applied = {0};
        assertThat(RestoreFixture.readRocksDb(result.output(), applied)).isEqualTo(fixture.expectedAt(450));
        assertThat(applied[0]).isEqualTo(450);
        try (Stream<Path> files = Files.list(result.output())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("ingest"));
        }
    }

    @Test
    void aRocksDbOutputDamagedBeforeItIsReadBackIsNotInstalled() throws Exception {
        fixture.archive(3, 100);
        fixture.snapshotAt(200);
        byte[] victim = fixture.expectedAt(250).keySet().iterator().next().getBytes(StandardCharsets.UTF_8);
        // Loses one key between writing the database and reading it back, as a bad disk or a bug in writing would.
        RestoreOutput losing = new RocksDbOutput() {
            @Override
            Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
                try (Options options = new Options();
                        RocksDB db = RocksDB.open(options, directory.toString())) {
                    db.delete(victim);
                } catch (RocksDBException e) {
                    throw new IOException(e);
                }
                return super.readBack(directory, lsn, algorithm, bucketBits);
            }
        };
        Restorer restorer = restorerWriting(losing);

        RestoreResult result = restorer.restore(
                new RestoreRequest(
                        fixture.group.partition(),
                        new RestoreTarget.ToLsn(250),
                        dir.resolve("target"),
                        RestoreFormat.ROCKSDB,
                        false),
                RestoreProgress.SILENT);

        assertThat(result.verified()).isFalse();
        assertThat(result.snapshotLsn()).contains(200L);
        assertThat(result.checks().getFirst())
                .startsWith("reference digest at LSN 250 (replayed from the archive): MISMATCH, the output holds "
                        + (fixture.expectedAt(250).size() - 1) + " items");
        assertThat(dir.resolve("target")).doesNotExist();
        assertThat(result.output().getFileName().toString()).startsWith("target.unverified-");
    }

    @Test
    void latestRestoresTheEndOfTheArchive() throws Exception {
        long last = fixture.archive(4, 100);
        assertThat(fixture.restorer().resolve(fixture.group.partition(), new RestoreTarget.Latest()))
                .isEqualTo(last);
    }
}
