package dev.vigil.restore;

import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceState;
import dev.vigil.replay.snapshot.ParquetItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Parquet files with the snapshot schema. */
final class ParquetOutput extends RestoreOutput {
    @Override
    void write(ReferenceState reference, Path directory) throws IOException {
        ParquetItems.writeParts(reference.partition(), reference.lsn(), reference::forEachItem, directory);
    }

    @Override
    Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
        DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
        List<Path> parts;
        try (Stream<Path> listing = Files.list(directory)) {
            parts = listing.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        }
        try (ParquetItems.ItemStream items = ParquetItems.readAll(parts)) {
            while (items.hasNext()) {
                ReferenceItem item = items.next();
                RestoreOutput.checkLsn(item, lsn, directory);
                digest.add(item.key(), item.value());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return digest.snapshot();
    }
}
