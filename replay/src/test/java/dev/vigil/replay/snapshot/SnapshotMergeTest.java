package dev.vigil.replay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.wal.WalRecord;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.replay.ArchivedPartition;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceState;
import dev.vigil.testkit.store.StoredBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a snapshot by merge does when its inputs are bad: a merged state that disagrees with the judged digest, a
 * previous snapshot whose part is damaged, a gap or a damaged segment in the WAL, a disk that refuses the spilled
 * changes. Nothing partial is ever published; each failure names the object, LSN or path.
 */
class SnapshotMergeTest {

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
        snapshots = new Snapshots(new Repository(store), dir.resolve("scratch"), clock, 2, 4_096);
    }

    @AfterEach
    void tearDown() throws Exception {
        archived.close();
    }

    private long archive(int records) throws Exception {
        return archived.archive(records);
    }

    /** The digest of the hash-only reference replayed to {@code lsn} from the archive. */
    private Digest judged(long lsn) throws Exception {
        Path work = dir.resolve("judge-" + lsn);
        ReferenceBuilder builder = new ReferenceBuilder(new Repository(store));
        try (ReferenceState reference = builder.open(work, group.partition(), DigestAlgorithm.XXH128, BITS, lsn)) {
            builder.advance(reference, lsn, new TreeSet<>(), (l, s) -> {});
            return reference.digest();
        } finally {
            DurableFiles.deleteRecursively(work);
        }
    }

    private SnapshotManifest publish(long lsn, Digest judged) throws IOException {
        return snapshots.publish(group.partition(), lsn, judged, 0, bad::add);
    }

    @Test
    void aMergedSnapshotEqualToTheJudgedStateIsPublishedAndLoadsBackToIt() throws Exception {
        long first = archive(600);
        publish(first, judged(first));
        long second = archive(900);
        Digest judged = judged(second);

        SnapshotManifest manifest = publish(second, judged);

        assertThat(manifest.digest().root()).isEqualTo(judged.rootHex());
        assertThat(manifest.items()).isEqualTo(judged.itemCount());
        try (ReferenceState loaded = snapshots.load(manifest, dir.resolve("load"), DigestAlgorithm.XXH128, BITS)) {
            assertThat(loaded.digest()).isEqualTo(judged);
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void aMergedSnapshotThatDisagreesWithTheJudgedStateIsNeverPublished() throws Exception {
        long first = archive(600);
        Digest other = judged(first - 1);

        assertThatThrownBy(() -> publish(first, other))
                .isInstanceOf(SnapshotMismatchException.class)
                .hasMessageContaining("at LSN " + first)
                .hasMessageContaining(judged(first).rootHex())
                .hasMessageContaining(other.rootHex())
                .hasMessageContaining("was not published");

        assertThat(snapshots.objectsByLsn(group.partition()))
                .as("not a file uploaded")
                .isEmpty();
        assertThat(dir.resolve("scratch")).isEmptyDirectory();
    }

    @Test
    void aDamagedPartOfThePreviousSnapshotIsNamedAndTheMergeStartsFromAnOlderOne() throws Exception {
        long first = archive(600);
        SnapshotManifest base = publish(first, judged(first));
        String part = RepositoryLayout.snapshotPrefix(group.partition(), first)
                + base.files().getFirst().name();
        StoredBytes.flip(dir.resolve("repo"), part, 100, 0x40);
        long second = archive(600);
        Digest judged = judged(second);

        SnapshotManifest merged = publish(second, judged);

        assertThat(merged.digest().root()).isEqualTo(judged.rootHex());
        assertThat(bad).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo(part);
            assertThat(e.getMessage()).contains(part);
        });
    }

    @Test
    void aGapInTheArchiveNamesTheLsnAndPublishesNothing() throws Exception {
        long last = archive(1_000);
        Digest judged = judged(last);
        ArchivedSegment middle =
                new Repository(store).archive(group.partition()).segments().get(2);
        store.delete(middle.key());

        assertThatThrownBy(() -> publish(last, judged))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("LSN " + middle.range().first() + " is not in the archive");
        assertThat(snapshots.objectsByLsn(group.partition())).isEmpty();
    }

    @Test
    void aDamagedSegmentIsNamedAndNothingIsPublished() throws Exception {
        long last = archive(1_000);
        Digest judged = judged(last);
        ArchivedSegment middle =
                new Repository(store).archive(group.partition()).segments().get(1);
        StoredBytes.flip(dir.resolve("repo"), middle.key(), middle.size() / 2, 0x40);

        assertThatThrownBy(() -> publish(last, judged))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(middle.key())
                .hasMessageContaining("unreadable or damaged");
        assertThat(snapshots.objectsByLsn(group.partition())).isEmpty();
    }

    @Test
    void changesThatCannotBeSpilledNameTheFile() throws Exception {
        Path changesDir = dir.resolve("changes");
        try (SortedChanges changes = new SortedChanges(changesDir, 1)) {
            // The run file's name is taken by a directory: as good as a full disk for the write.
            Files.createDirectories(changesDir.resolve("run-00000"));
            assertThatThrownBy(() -> changes.add(WalRecord.put(1, 0, new byte[] {1}, new byte[] {2})))
                    .isInstanceOf(SortedChanges.SpillFailed.class)
                    .hasMessageContaining(changesDir.resolve("run-00000").toString());
        }
        assertThat(changesDir).doesNotExist();
    }

    @Test
    void aSpilledRunCutShortIsAnErrorNotFewerChanges() throws Exception {
        Path changesDir = dir.resolve("changes");
        try (SortedChanges changes = new SortedChanges(changesDir, 1)) {
            changes.add(WalRecord.put(1, 0, new byte[] {1}, new byte[] {2}));
            changes.add(WalRecord.put(2, 0, new byte[] {3}, new byte[] {4}));
            assertThat(changes.spilledRuns()).isEqualTo(2);
            Path run = changesDir.resolve("run-00001");
            byte[] bytes = Files.readAllBytes(run);
            Files.write(run, Arrays.copyOf(bytes, bytes.length - 5));
            List<SortedChanges.Run> runs = changes.runs();
            assertThat(runs.get(0).next()).isNotNull();
            assertThat(runs.get(1).next()).as("the change before the cut").isNotNull();
            assertThatThrownBy(() -> runs.get(1).next())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(run.toString())
                    .hasMessageContaining("cut short");
            for (SortedChanges.Run open : runs) {
                open.close();
            }
        }
    }

    @Test
    void aBuildWritesSnapshotsByMergeOnItsScheduleAndEachProvesOut() throws Exception {
        long last = archive(2_000);
        long every = 3 * archived.firstSegmentBytes();
        ReferenceBuilder builder = new ReferenceBuilder(new Repository(store), Optional.of(snapshots), every, bad::add);
        try (ReferenceState reference =
                builder.open(dir.resolve("work"), group.partition(), DigestAlgorithm.XXH128, BITS, last)) {
            builder.advance(reference, last, new TreeSet<>(), (l, s) -> {});
        }
        List<Snapshots.SnapshotRef> written = snapshots.list(group.partition());
        assertThat(written)
                .as("the second and later merged from the one before")
                .hasSizeGreaterThanOrEqualTo(2);
        for (Snapshots.SnapshotRef ref : written) {
            SnapshotManifest manifest = snapshots.manifest(ref);
            assertThat(manifest.digest().root())
                    .as("snapshot at %d", ref.lsn())
                    .isEqualTo(judged(ref.lsn()).rootHex());
        }
        assertThat(bad).isEmpty();
    }

    @Test
    void whatAMergeKilledHalfWayLeftIsIgnoredAndClearedByTheNext() throws Exception {
        long last = archive(1_000);
        Digest judged = judged(last);
        // What a SIGKILL during a merge leaves: its scratch directory (a half-written part, a spilled run) and a part
        // uploaded without its manifest.
        Path scratch = dir.resolve("scratch").resolve("snapshot-" + group.partition() + "-" + last);
        Files.createDirectories(scratch.resolve("parts"));
        Files.createDirectories(scratch.resolve("changes"));
        Files.write(scratch.resolve("parts").resolve("part-00000.parquet"), new byte[] {'P', 'A', 'R'});
        Files.write(scratch.resolve("changes").resolve("run-00000"), new byte[] {0, 0, 0, 1});
        String orphan = RepositoryLayout.snapshotPrefix(group.partition(), last) + "part-00000.parquet";
        byte[] junk = "half a part".getBytes(StandardCharsets.UTF_8);
        store.put(PutRequest.overwrite(
                orphan, ObjectBody.ofBytes(junk), Checksum.of(ChecksumAlgorithm.SHA256, junk), Map.of()));
        assertThat(snapshots.list(group.partition()))
                .as("parts without a manifest are no snapshot")
                .isEmpty();

        SnapshotManifest manifest = publish(last, judged);

        assertThat(manifest.digest().root()).isEqualTo(judged.rootHex());
        try (ReferenceState loaded = snapshots.load(manifest, dir.resolve("load"), DigestAlgorithm.XXH128, BITS)) {
            assertThat(loaded.digest()).as("the orphan part was replaced").isEqualTo(judged);
        }
        assertThat(dir.resolve("scratch")).isEmptyDirectory();
    }

    @Test
    void spilledRunsAreMergedIntoOneWhenThereAreTooManyAndTheNewestChangeOfEachKeyWins() throws Exception {
        Path changesDir = dir.resolve("changes");
        try (SortedChanges changes = new SortedChanges(changesDir, 1, 3)) {
            // Every change spills (1 byte of memory): 12 runs, merged into one every third.
            for (int lsn = 1; lsn <= 12; lsn++) {
                byte[] key = {(byte) (lsn % 4)};
                changes.add(
                        lsn % 5 == 0
                                ? WalRecord.delete(lsn, 0, key)
                                : WalRecord.put(lsn, 0, key, new byte[] {(byte) lsn}));
                try (var files = Files.list(changesDir)) {
                    assertThat(files.count()).as("run files after LSN %d", lsn).isLessThan(3);
                }
            }
            List<SortedChanges.Run> runs = changes.runs();
            SortedChanges.Run merged = SortedChanges.newestWins(runs);
            List<String> seen = new ArrayList<>();
            for (SortedChanges.Change change; (change = merged.next()) != null; ) {
                seen.add(change.key()[0] + "@" + change.lsn() + (change.value() == null ? " deleted" : ""));
            }
            for (SortedChanges.Run run : runs) {
                run.close();
            }
            // Keys 0..3: the last changes are LSN 12 (key 0), 9 (key 1), 10 (key 2, a delete), 11 (key 3).
            assertThat(seen).containsExactly("0@12", "1@9", "2@10 deleted", "3@11");
        }
    }
}
