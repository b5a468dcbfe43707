package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.sketch.SketchShape;
import dev.vigil.core.summary.StateAccumulator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;

/**
 * Opens the reference saved in a work directory as {@link ReferenceState#open(ReferenceLocation.Work, PartitionId,
 * DigestAlgorithm, int, Optional)} describes: its saved state read (or discarded when incomplete or of another
 * shape), a reference saved with values by an earlier version converted to hashes once ({@link ReferenceMigration};
 * one that cannot be converted is discarded and the open fails, so that the caller rebuilds it and says so: {@link
 * ReferenceBuilder} raises {@code REFERENCE_REBUILT}), the state file removed before the first change, and the sketch
 * kept.
 */
final class ReferenceOpener {

    private ReferenceOpener() {}

    static ReferenceState open(
            ReferenceLocation.Work location,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            Optional<SketchShape> sketch)
            throws IOException {
        ReferenceFiles files = new ReferenceFiles(location);
        Optional<ReferenceFiles.Saved> saved = files.readOrDiscard(algorithm, bucketBits);
        if (saved.isPresent() && saved.get().format() != files.format()) {
            try {
                ReferenceMigration.toHashes(location, partition, saved.get());
            } catch (IOException | RuntimeException e) {
                if (e instanceof InterruptedIOException
                        || Thread.currentThread().isInterrupted()) {
                    throw e; // stopped, not unconvertible: the next open converts it (or rebuilds it, if half done)
                }
                location.discard();
                throw new IOException(
                        "the reference saved by an earlier version could not be converted to item hashes ("
                                + e.getMessage() + ")",
                        e);
            }
        }
        ReferenceDatabase db = ReferenceDatabase.open(location, partition, "cannot open the reference of " + partition);
        ReferenceState reference;
        try {
            files.markChanging();
            DigestAccumulator accumulator = saved.isPresent()
                    ? DigestAccumulator.resume(saved.get().digest())
                    : new DigestAccumulator(algorithm, bucketBits);
            reference = ReferenceState.loaded(
                    partition,
                    location,
                    db,
                    StateAccumulator.resume(accumulator, Optional.empty()),
                    saved.map(ReferenceFiles.Saved::lsn).orElse(0L));
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
        if (sketch.isPresent()) {
            try {
                reference.keepSketch(sketch.get());
            } catch (IOException | RuntimeException e) {
                reference.close();
                throw e;
            }
        }
        return reference;
    }
}
