package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.summary.StateAccumulator;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a reference that an earlier version of Vigil saved with every value ({@link ReferenceFiles#VALUES_FORMAT})
 * into the hash-only layout the judge keeps now, once, in place: each item's hash is computed from its value into new
 * SST files, the old database is removed and the new one ingests them. The digest computed on the way must equal the
 * saved one, or the conversion fails (the caller discards the reference and rebuilds it from a snapshot or the
 * archive). The state file is removed before the old database is and written again after, so a conversion that stops
 * half way leaves a reference that is discarded, never trusted.
 */
final class ReferenceMigration {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceMigration.class);

    private ReferenceMigration() {}

    /** Converts the reference with values at {@code location} (closed) into item hashes; its saved state is kept. */
    static void toHashes(ReferenceLocation.Work location, PartitionId partition, ReferenceFiles.Saved saved)
            throws IOException {
        ReferenceLocation.Work withValues =
                new ReferenceLocation.Work(location.directory(), ReferenceLocation.Layout.VALUES_WITH_LSN);
        StateAccumulator digest = StateAccumulator.create(
                saved.digest().algorithm(), saved.digest().bucketBits(), Optional.empty());
        long before;
        try (SortedSstWriter sst = new SortedSstWriter(
                location.ingestStaging().resolve("migrate"), "the hash-only reference of " + partition)) {
            try (ReferenceDatabase old =
                    ReferenceDatabase.open(withValues, partition, "cannot open the reference of " + partition)) {
                before = old.diskBytes();
                long[] hash = new long[2];
                old.forEachStored((key, stored) -> {
                    digest.add(key, ItemHasher.keyHash(key), old.value(stored), hash);
                    sst.put(key, ReferenceDatabase.hashed(ReferenceDatabase.lsnOf(stored), hash));
                });
            }
            Digest computed = digest.digest().snapshot();
            if (!computed.rootHex().equals(saved.digest().rootHex())
                    || computed.itemCount() != saved.digest().itemCount()) {
                throw new IOException("the reference of " + partition + " in " + location.directory() + " holds "
                        + computed.itemCount() + " items with digest root " + computed.rootHex()
                        + " but was saved with " + saved.digest().itemCount() + " items and root "
                        + saved.digest().rootHex());
            }
            new ReferenceFiles(location).markChanging();
            DurableFiles.deleteRecursively(location.database());
            try (ReferenceDatabase converted = ReferenceDatabase.ingesting(location, partition, List.of(sst))) {
                // The digest and the sketch saved beside the database stay as they are: the items did not change.
                new ReferenceFiles(location).commit(partition, saved.lsn());
                LOG.info(
                        "converted the reference of {} at LSN {} to item hashes: {} items, {} bytes on disk (was {})",
                        partition,
                        saved.lsn(),
                        computed.itemCount(),
                        converted.diskBytes(),
                        before);
            }
        }
    }
}
