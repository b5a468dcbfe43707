package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.RepositoryPartitions;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.reference.snapshot.Snapshots;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link RetentionPolicy} to every partition of the repository: deletes expired segments, expired
 * snapshots (manifest first, so a half-deleted snapshot is never mistaken for a committed one), and uncommitted
 * snapshot leftovers older than a day. A delete the store refuses (an S3 Object Lock that has not expired, a
 * permission) is reported and skipped, never retried in a loop; the next run tries again. Thread safe.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Snapshot files without a manifest younger than this may belong to a snapshot being written. */
    static final Duration LEFTOVER_AGE = Duration.ofDays(1);

    private final ObjectStore store;
    private final Snapshots snapshots;
    private final RetentionConfig config;
    private final Clock clock;

    public Retention(ObjectStore store, Snapshots snapshots, RetentionConfig config, Clock clock) {
        this.store = store;
        this.snapshots = snapshots;
        this.config = config;
        this.clock = clock;
    }

    /** What retention did (or would do, in a dry run) to one partition. */
    public record PartitionOutcome(String partition, List<String> expiredSegments, long expiredBytes,
                                   List<Long> expiredSnapshots, List<String> leftovers, Optional<Long> baseSnapshot,
                                   long oldestRestorableLsn, List<String> refused) {
    }

    public List<PartitionOutcome> run(boolean dryRun) throws IOException {
        Set<PartitionId> partitions = new java.util.TreeSet<>(RepositoryPartitions.withArchive(store));
        List<PartitionOutcome> outcomes = new ArrayList<>();
        for (PartitionId partition : partitions) {
            outcomes.add(run(partition, dryRun));
        }
        return outcomes;
    }

    public PartitionOutcome run(PartitionId partition, boolean dryRun) throws IOException {
        Instant now = clock.instant();
        List<ArchivedSegment> archived = ArchivedRanges.list(store, partition).segments();
        List<RetentionPolicy.Segment> segments = archived.stream()
                .map(s -> new RetentionPolicy.Segment(s.key(), s.range(), s.lastModified())).toList();
        Set<Long> committed = new HashSet<>();
        snapshots.list(partition).forEach(r -> committed.add(r.lsn()));
        RetentionPolicy.Plan plan = new RetentionPolicy(config.window(), config.keepSnapshots())
                .plan(segments, committed, now);
        List<String> refused = new ArrayList<>();
        long bytes = 0;
        List<String> expiredKeys = new ArrayList<>();
        for (RetentionPolicy.Segment segment : plan.expiredSegments()) {
            expiredKeys.add(segment.key());
            bytes += archived.stream().filter(a -> a.key().equals(segment.key())).mapToLong(ArchivedSegment::size).sum();
            if (!dryRun) {
                delete(segment.key(), refused);
            }
        }
        Map<Long, List<ObjectSummary>> objects = snapshots.objectsByLsn(partition);
        for (long lsn : plan.expiredSnapshots()) {
            if (!dryRun) {
                deleteSnapshot(partition, lsn, objects.getOrDefault(lsn, List.of()), refused);
            }
        }
        List<String> leftovers = new ArrayList<>();
        objects.forEach((lsn, summaries) -> {
            boolean uncommitted = !committed.contains(lsn);
            Instant newest = summaries.stream().map(ObjectSummary::lastModified).max(Comparator.naturalOrder())
                    .orElse(Instant.MIN);
            if (uncommitted && newest.isBefore(now.minus(LEFTOVER_AGE))) {
                summaries.forEach(s -> leftovers.add(s.key()));
                if (!dryRun) {
                    summaries.forEach(s -> delete(s.key(), refused));
                }
            }
        });
        if (!dryRun && !(expiredKeys.isEmpty() && plan.expiredSnapshots().isEmpty())) {
            LOG.info("retention of {}: {} segment(s) ({} bytes) and {} snapshot(s) expired; restorable from LSN {}",
                    partition, expiredKeys.size(), bytes, plan.expiredSnapshots().size(), plan.oldestRestorableLsn());
        }
        return new PartitionOutcome(partition.value(), expiredKeys, bytes, plan.expiredSnapshots(), leftovers,
                plan.baseSnapshot(), plan.oldestRestorableLsn(), refused);
    }

    private void deleteSnapshot(PartitionId partition, long lsn, List<ObjectSummary> objects, List<String> refused) {
        String manifest = RepositoryLayout.snapshotManifestKey(partition, lsn);
        if (!delete(manifest, refused)) {
            return; // still committed: keep its files
        }
        objects.stream().map(ObjectSummary::key).filter(k -> !k.equals(manifest)).forEach(k -> delete(k, refused));
    }

    private boolean delete(String key, List<String> refused) {
        try {
            store.delete(key);
            return true;
        } catch (IOException e) {
            refused.add(key + ": " + e.getMessage());
            LOG.warn("retention could not delete {} (locked or not permitted?): {}", key, e.getMessage());
            return false;
        }
    }
}
