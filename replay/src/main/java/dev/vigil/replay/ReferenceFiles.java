package dev.vigil.replay;

import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.sketch.SketchShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What persists a reference in the work directory between runs, beside its database: the digest, the sketch and a
 * small state file (format and LSN) written last. A reference without its state file was being changed when a run
 * stopped and is never trusted; {@link #markChanging()} removes the file before the first change.
 */
final class ReferenceFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceFiles.class);
    private static final String STATE = "reference.json";
    private static final String DIGEST = "reference.digest";
    private static final String SKETCH = "reference.sketch";
    /** Version of the local layout 2: values behind their LSN ({@link ReferenceLocation.Layout#VALUES_WITH_LSN}). */
    static final int VALUES_FORMAT = 2;
    /** Version of the local layout 3: item hashes behind their LSN ({@link ReferenceLocation.Layout#HASHES}). */
    static final int HASHES_FORMAT = 3;

    private final Path directory;
    private final int format;

    ReferenceFiles(ReferenceLocation.Work location) {
        this.directory = location.directory();
        this.format = location.layout() == ReferenceLocation.Layout.HASHES ? HASHES_FORMAT : VALUES_FORMAT;
    }

    /** The layout version this reference is saved in. */
    int format() {
        return format;
    }

    /**
     * A reference saved before: its LSN and digest, and the layout version it was saved in (a hash-only reference finds
     * one with values, saved by an earlier version of Vigil, and converts it once: {@link ReferenceMigration}).
     */
    record Saved(long lsn, Digest digest, int format) {}

    /**
     * The reference saved here, if it is complete, in this layout (or, for a hash-only reference, one with values it
     * converts) and of this digest shape; anything else that is here is deleted (the reference is rebuilt).
     */
    Optional<Saved> readOrDiscard(DigestAlgorithm algorithm, int bucketBits) throws IOException {
        Path state = directory.resolve(STATE);
        if (Files.exists(state)) {
            Map<?, ?> saved = RepositoryJson.MAPPER.readValue(state.toFile(), Map.class);
            Path digestFile = directory.resolve(DIGEST);
            Digest persisted = Digest.decode(Files.readAllBytes(digestFile), digestFile.toString());
            int savedFormat = saved.get("format") instanceof Number n ? n.intValue() : 0;
            boolean usable = savedFormat == format || (format == HASHES_FORMAT && savedFormat == VALUES_FORMAT);
            if (usable && persisted.algorithm() == algorithm && persisted.bucketBits() == bucketBits) {
                long lsn = saved.get("lsn") instanceof Number savedLsn ? savedLsn.longValue() : 0;
                return Optional.of(new Saved(lsn, persisted, savedFormat));
            }
        }
        DurableFiles.deleteRecursively(directory);
        return Optional.empty();
    }

    /** The reference is about to change: without a state file it is discarded if the run stops before saving. */
    void markChanging() throws IOException {
        Files.deleteIfExists(directory.resolve(STATE));
    }

    /** The sketch saved with the reference, when it is there, intact, and of this shape and algorithm. */
    Optional<DifferenceSketch> sketch(SketchShape shape, DigestAlgorithm algorithm) {
        Path file = directory.resolve(SKETCH);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            DifferenceSketch kept = DifferenceSketch.decode(Files.readAllBytes(file), file.toString());
            return kept.shape().equals(shape) && kept.algorithm() == algorithm ? Optional.of(kept) : Optional.empty();
        } catch (IOException damaged) {
            LOG.warn("{}; rebuilding the sketch from the reference", damaged.getMessage());
            return Optional.empty();
        }
    }

    /** Saves the digest and the sketch (or removes an old one), then the state file, last. */
    void save(PartitionId partition, long lsn, Digest digest, Optional<DifferenceSketch> sketch) throws IOException {
        DurableFiles.replace(directory.resolve(DIGEST), digest.encode());
        if (sketch.isPresent()) {
            DurableFiles.replace(directory.resolve(SKETCH), sketch.get().encode());
        } else {
            Files.deleteIfExists(directory.resolve(SKETCH));
        }
        commit(partition, lsn);
    }

    /** Writes the state file (format and LSN), which makes what is beside it the saved reference. */
    void commit(PartitionId partition, long lsn) throws IOException {
        DurableFiles.replace(
                directory.resolve(STATE),
                RepositoryJson.MAPPER.writeValueAsBytes(
                        Map.of("format", format, "partition", partition.value(), "lsn", lsn)));
    }
}
