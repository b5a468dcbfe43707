package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The objects of a partition's snapshots as the repository lists them ({@code partitions/<pid>/snapshots/<lsn>/…}),
 * without reading any: what retention, reports and status need to know which snapshots exist and which are committed
 * (their manifest, written last, is there). Reading and checking a snapshot is the reference builder's job.
 */
final class SnapshotObjects {

    private SnapshotObjects() {}

    /** Every object under the partition's snapshots, by snapshot LSN (ascending). */
    static Map<Long, List<ObjectSummary>> byLsn(ObjectStore store, PartitionId partition) throws IOException {
        Map<Long, List<ObjectSummary>> objects = new TreeMap<>();
        store.forEach(RepositoryLayout.snapshotsPrefix(partition), summary -> {
            RepositoryLayout.parseSnapshotLsn(partition, summary.key())
                    .ifPresent(lsn ->
                            objects.computeIfAbsent(lsn, l -> new ArrayList<>()).add(summary));
        });
        return objects;
    }

    /** The committed snapshots (those whose manifest is stored), by LSN, each with the time its manifest was stored. */
    static Map<Long, Instant> committed(ObjectStore store, PartitionId partition) throws IOException {
        Map<Long, Instant> committed = new TreeMap<>();
        for (Map.Entry<Long, List<ObjectSummary>> snapshot :
                byLsn(store, partition).entrySet()) {
            String manifest = RepositoryLayout.snapshotManifestKey(partition, snapshot.getKey());
            snapshot.getValue().stream()
                    .filter(o -> o.key().equals(manifest))
                    .findFirst()
                    .ifPresent(o -> committed.put(snapshot.getKey(), o.lastModified()));
        }
        return committed;
    }
}
