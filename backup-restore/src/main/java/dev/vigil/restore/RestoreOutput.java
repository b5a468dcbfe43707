package dev.vigil.restore;

import dev.vigil.core.Keys;
import dev.vigil.core.PartitionId;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.replay.ReferenceBuilder;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a reference state in a {@link RestoreFormat} into an empty directory, and reads what was written back
 * into a digest, independently of the state it came from, so that a restore proves its output rather than its
 * intentions.
 */
abstract class RestoreOutput {

    static RestoreOutput of(RestoreFormat format) {
        return switch (format) {
            case ROCKSDB -> new RocksDbOutput();
            case PARQUET -> new ParquetOutput();
            case JSONL -> new JsonLinesOutput();
        };
    }

    /**
     * Opens the state the restore replays into, at the best starting point for {@code lsn}: by default a reference
     * with every value under {@code workDir}, which {@link #write} then turns into the format.
     */
    ReferenceState start(
            ReferenceBuilder builder,
            Path workDir,
            Path directory,
            PartitionId partition,
            DigestAlgorithm algorithm,
            int bucketBits,
            long lsn,
            int tableFormatVersion)
            throws IOException {
        return builder.openWithValues(workDir, partition, algorithm, bucketBits, lsn);
    }

    /** After the state it wrote is closed: makes {@code directory} what a reader of the format can open. */
    void finish(Path directory) throws IOException {}

    /**
     * Writes every item of {@code reference}, which {@link #start} opened and the restore brought to its LSN, into
     * {@code directory} (which exists).
     */
    abstract void write(ReferenceState reference, Path directory) throws IOException;

    /** The digest of what {@code directory} holds, read back from the files; checks the recorded LSN too. */
    abstract Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException;

    /** Refuses an item written after the restore's LSN, naming its key and the file it was read from. */
    static void checkLsn(ReferenceItem item, long lsn, Path file) throws IOException {
        if (item.lsn() > lsn) {
            throw new IOException(file + ": key " + Keys.printable(item.key()) + " was written at LSN " + item.lsn()
                    + ", after the restore's LSN " + lsn);
        }
    }
}
