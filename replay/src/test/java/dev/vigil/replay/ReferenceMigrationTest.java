package dev.vigil.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A work directory written by the version before hash-only references (every value behind its LSN, layout 2) keeps
 * working: the first open converts it once, in place, to item hashes, keeping its LSN, digest and sketch; one whose
 * items do not add up to its saved digest is discarded and rebuilt rather than trusted.
 */
class ReferenceMigrationTest {

    private static final PartitionId PARTITION = PartitionId.of("p-old");
    private static final SketchShape SHAPE = SketchShape.forCapacity(200);

    @TempDir
    Path work;

    private static List<WalRecord> records(int from, int to) {
        List<WalRecord> records = new ArrayList<>();
        for (int lsn = from; lsn <= to; lsn++) {
            byte[] key = ("key-" + (lsn % 600)).getBytes(StandardCharsets.UTF_8);
            records.add(lsn % 7 == 0 ? WalRecord.delete(lsn, 0, key) : WalRecord.put(lsn, 0, key, value(lsn)));
        }
        return records;
    }

    /** 1 to 1.5 KiB that do not compress. */
    private static byte[] value(int lsn) {
        byte[] value = new byte[1_024 + lsn % 512];
        new Random(lsn).nextBytes(value);
        return value;
    }

    /** A reference saved as the previous version saved it: values behind their LSN, layout 2. */
    private Digest saveOldReference(Path workDir, int lsn) throws Exception {
        try (ReferenceState old = ReferenceState.open(
                new ReferenceLocation.Work(
                        workDir.resolve("reference").resolve(PARTITION.value()),
                        ReferenceLocation.Layout.VALUES_WITH_LSN),
                PARTITION,
                DigestAlgorithm.XXH128,
                6,
                Optional.of(SHAPE))) {
            old.applyAll(records(1, lsn));
            old.save();
            return old.digest();
        }
    }

    @Test
    void aReferenceWithValuesIsConvertedOnceAndGoesOnAsAFreshReplayWould() throws Exception {
        Digest saved = saveOldReference(work, 1_000);
        Path database = ReferenceLocation.work(work, PARTITION).database();
        long before = directorySize(database);

        Digest continued;
        Optional<DifferenceSketch> sketch;
        try (ReferenceState converted =
                ReferenceState.open(work, PARTITION, DigestAlgorithm.XXH128, 6, Optional.of(SHAPE))) {
            assertThat(converted.lsn()).isEqualTo(1_000);
            assertThat(converted.digest()).isEqualTo(saved);
            assertThat(converted.diskBytes()).as("hashes take less than values").isLessThan(before);
            converted.applyAll(records(1_001, 1_400));
            continued = converted.digest();
            sketch = converted.sketch();
            converted.save();
        }
        try (ReferenceState fresh =
                ReferenceState.open(work.resolve("fresh"), PARTITION, DigestAlgorithm.XXH128, 6, Optional.of(SHAPE))) {
            fresh.applyAll(records(1, 1_400));
            assertThat(continued).isEqualTo(fresh.digest());
            assertThat(sketch).isEqualTo(fresh.sketch());
        }
        try (ReferenceState reopened = ReferenceState.open(work, PARTITION, DigestAlgorithm.XXH128, 6)) {
            assertThat(reopened.lsn())
                    .as("saved in the new layout, not converted again")
                    .isEqualTo(1_400);
            assertThat(reopened.digest()).isEqualTo(continued);
        }
    }

    @Test
    void aReferenceWhoseItemsDoNotAddUpToItsSavedDigestIsDiscardedAndRebuiltNotConverted() throws Exception {
        saveOldReference(work, 1_000);
        Path other = work.resolve("other");
        saveOldReference(other, 900);
        Path digestFile = ReferenceLocation.work(work, PARTITION).directory().resolve("reference.digest");
        Files.copy(
                ReferenceLocation.work(other, PARTITION).directory().resolve("reference.digest"),
                digestFile,
                StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> ReferenceState.open(work, PARTITION, DigestAlgorithm.XXH128, 6))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("could not be converted to item hashes")
                .hasMessageContaining("digest root");
        assertThat(ReferenceLocation.work(work, PARTITION).directory())
                .as("discarded, not left half converted")
                .doesNotExist();

        saveOldReference(work, 1_000);
        Files.copy(
                ReferenceLocation.work(other, PARTITION).directory().resolve("reference.digest"),
                digestFile,
                StandardCopyOption.REPLACE_EXISTING);
        List<String> rebuilt = new ArrayList<>();
        try (ObjectStore store = ObjectStores.localDirectory(work.resolve("repo"), Clock.systemUTC());
                ReferenceState reference = new ReferenceBuilder(new Repository(store))
                        .withRebuiltReferences((partition, directory, why) -> rebuilt.add(why))
                        .open(work, PARTITION, DigestAlgorithm.XXH128, 6, 1_000)) {
            assertThat(reference.lsn()).as("rebuilt from the start").isZero();
            assertThat(reference.digest().itemCount()).isZero();
        }
        assertThat(rebuilt)
                .as("the builder says so (REFERENCE_REBUILT)")
                .singleElement()
                .asString()
                .contains("could not be converted to item hashes");
    }

    private static long directorySize(Path directory) throws Exception {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
