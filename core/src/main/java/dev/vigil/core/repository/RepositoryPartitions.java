package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

/** The partitions a repository holds archived WAL for. */
public final class RepositoryPartitions {

    private RepositoryPartitions() {
    }

    /** Every partition with at least one archived segment, in order. Walks the keys under {@code partitions/}. */
    public static NavigableSet<PartitionId> withArchive(ObjectStore store) throws IOException {
        NavigableSet<PartitionId> partitions = new TreeSet<>();
        try {
            for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.PARTITIONS); it.hasNext(); ) {
                RepositoryLayout.parseWalKey(it.next().key()).ifPresent(k -> partitions.add(k.partition()));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return partitions;
    }
}
