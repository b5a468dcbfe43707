package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which partitions a repository holds something for. Each walks the keys under {@code partitions/} (a listing
 * with a delimiter would avoid that on repositories with very many partitions).
 */
final class RepositoryPartitions {

    private RepositoryPartitions() {}

    /** Every partition with at least one archived segment, in order. */
    static NavigableSet<PartitionId> withArchive(ObjectStore store) throws IOException {
        return matching(store, key -> RepositoryLayout.parseWalKey(key).map(RepositoryLayout.WalKey::partition));
    }

    /** Every partition with at least one scrub report object, in order. */
    static NavigableSet<PartitionId> withScrubReports(ObjectStore store) throws IOException {
        return matching(store, key -> RepositoryLayout.parseScrubKey(key).map(RepositoryLayout.ReportKey::partition));
    }

    /** Every partition with an archived segment or a scrub report (one walk of the keys). */
    static NavigableSet<PartitionId> withArchiveOrScrubReports(ObjectStore store) throws IOException {
        return matching(
                store,
                key -> RepositoryLayout.parseWalKey(key)
                        .map(RepositoryLayout.WalKey::partition)
                        .or(() -> RepositoryLayout.parseScrubKey(key).map(RepositoryLayout.ReportKey::partition)));
    }

    private static NavigableSet<PartitionId> matching(ObjectStore store, Function<String, Optional<PartitionId>> parse)
            throws IOException {
        NavigableSet<PartitionId> partitions = new TreeSet<>();
        store.forEach(RepositoryLayout.PARTITIONS, object -> {
            parse.apply(object.key()).ifPresent(partitions::add);
        });
        return partitions;
    }
}
