package dev.vigil.restore;

import dev.vigil.core.PartitionId;
import dev.vigil.core.config.RetentionConfig;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.RestorableRange;
import dev.vigil.core.repository.VerificationState;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.replay.snapshot.Snapshots;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link RetentionPolicy} to every partition of the repository: deletes expired segments, expired
 * snapshots (manifest first, so a half-deleted snapshot is never mistaken for a committed one), and uncommitted
 * snapshot leftovers older than a day. With {@code retention.object-lock}, an object whose lock has not expired is
 * left alone and reported as locked (on a versioned bucket a delete would only hide it behind a delete marker
 * while the locked version stays billed); the next run after its date expires it. A delete the store refuses (a
 * permission) is reported and skipped, never retried in a loop; the next run tries again. Thread safe.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** Snapshot files without a manifest younger than this may belong to a snapshot being written. */
    static final Duration LEFTOVER_AGE = Duration.ofDays(1);

    private final ObjectStore store;
    private final Repository repository;
    private final Snapshots snapshots;
    private final RetentionConfig config;
    private final Clock clock;

    public Retention(Repository repository, Snapshots snapshots, RetentionConfig config, Clock clock) {
        this.store = repository.store();
        this.repository = repository;
        this.snapshots = snapshots;
        this.config = config;
        this.clock = clock;
    }

    /** An expired object kept because its Object Lock has not passed. */
    public record Locked(String key, Instant until) {
        @Override
        public String toString() {
            return key + ": locked until " + until;
        }
    }

    /**
     * What retention did (or would do, in a dry run) to one partition.
     *
     * @param restorable what stays restorable once the expired objects are gone
     * @param refused    deletes the store refused, each with the key and the store's reason
     * @param locked     expired objects kept because their Object Lock has not expired, each with its date
     */
    public record PartitionOutcome(
            String partition,
            List<String> expiredSegments,
            long expiredBytes,
            List<Long> expiredSnapshots,
            List<String> leftovers,
            Optional<Long> baseSnapshot,
            Optional<RestorableRange> restorable,
            List<String> refused,
            List<Locked> locked) {}

    /**
     * {@code segment} with the time its records first became safe, when it was stored again since (a repair, or a
     * rewrap under a new key): the age retention counts, so that storing an old segment again does not hold the
     * window open for another full period.
     */
    private static ArchivedSegment firstStored(ArchivedSegment segment, VerificationState verified) {
        return verified.entry(segment.key())
                .map(VerificationState.Entry::firstArchivedAt)
                .filter(first -> first.isBefore(segment.lastModified()))
                .map(first ->
                        new ArchivedSegment(segment.key(), segment.range(), segment.size(), first, segment.version()))
                .orElse(segment);
    }

    public List<PartitionOutcome> run(boolean dryRun) throws IOException {
        List<PartitionOutcome> outcomes = new ArrayList<>();
        for (PartitionId partition : repository.partitionsWithArchive()) {
            outcomes.add(run(partition, dryRun));
        }
        return outcomes;
    }

    public PartitionOutcome run(PartitionId partition, boolean dryRun) throws IOException {
        Instant now = clock.instant();
        VerificationState verified = repository.verificationState(partition);
        List<ArchivedSegment> archived = repository.archive(partition).segments().stream()
                .map(segment -> firstStored(segment, verified))
                .toList();
        Map<Long, List<ObjectSummary>> objects = snapshots.objectsByLsn(partition);
        Set<Long> committed = new HashSet<>();
        objects.forEach((lsn, summaries) -> {
            String manifest = RepositoryLayout.snapshotManifestKey(partition, lsn);
            if (summaries.stream().anyMatch(o -> o.key().equals(manifest))) {
                committed.add(lsn);
            }
        });
        RetentionPolicy.Plan plan =
                new RetentionPolicy(config.window(), config.keepSnapshots()).plan(archived, committed, now);
        List<String> refused = new ArrayList<>();
        List<Locked> locked = new ArrayList<>();
        Deleter deleter = new Deleter(now, refused, locked, dryRun);
        long bytes = 0;
        Set<String> expiredKeys = new LinkedHashSet<>();
        for (ArchivedSegment segment : plan.expiredSegments()) {
            if (deleter.delete(segment.key())) {
                expiredKeys.add(segment.key());
                bytes += segment.size();
            }
        }
        List<Long> expiredSnapshots = new ArrayList<>();
        for (long lsn : plan.expiredSnapshots()) {
            if (deleteSnapshot(partition, lsn, objects.getOrDefault(lsn, List.of()), deleter)) {
                expiredSnapshots.add(lsn);
            }
        }
        List<String> leftovers = new ArrayList<>();
        objects.forEach((lsn, summaries) -> {
            boolean uncommitted = !committed.contains(lsn);
            Instant newest = summaries.stream()
                    .map(ObjectSummary::lastModified)
                    .max(Comparator.naturalOrder())
                    .orElse(Instant.MIN);
            if (uncommitted && newest.isBefore(now.minus(LEFTOVER_AGE))) {
                summaries.stream().filter(s -> deleter.delete(s.key())).forEach(s -> leftovers.add(s.key()));
            }
        });
        List<ArchivedSegment> kept =
                archived.stream().filter(a -> !expiredKeys.contains(a.key())).toList();
        Set<Long> keptSnapshots = new HashSet<>(committed);
        expiredSnapshots.forEach(keptSnapshots::remove);
        Optional<RestorableRange> restorable = RestorableRange.of(kept, keptSnapshots);
        if (!dryRun && !(expiredKeys.isEmpty() && expiredSnapshots.isEmpty())) {
            LOG.info(
                    "retention of {}: {} segment(s) ({} bytes) and {} snapshot(s) expired, {} object(s) kept locked;"
                            + " restorable: {}",
                    partition,
                    expiredKeys.size(),
                    bytes,
                    expiredSnapshots.size(),
                    locked.size(),
                    restorable);
        }
        return new PartitionOutcome(
                partition.value(),
                List.copyOf(expiredKeys),
                bytes,
                List.copyOf(expiredSnapshots),
                leftovers,
                plan.baseSnapshot(),
                restorable,
                refused,
                locked);
    }

    /** Whether the snapshot went (or would go): its manifest first; while that stays, its files stay too. */
    private static boolean deleteSnapshot(
            PartitionId partition, long lsn, List<ObjectSummary> objects, Deleter deleter) {
        String manifest = RepositoryLayout.snapshotManifestKey(partition, lsn);
        if (!deleter.delete(manifest)) {
            return false; // still committed: keep its files
        }
        objects.stream()
                .map(ObjectSummary::key)
                .filter(k -> !k.equals(manifest))
                .forEach(deleter::delete);
        return true;
    }

    /**
     * Deletes one run's expired objects, keeping what is still locked and noting what the store refuses. In a dry run
     * it only checks the locks (a read), so that "would expire" counts what a real run would delete.
     */
    private final class Deleter {
        private final Instant now;
        private final List<String> refused;
        private final List<Locked> locked;
        private final boolean dryRun;

        Deleter(Instant now, List<String> refused, List<Locked> locked, boolean dryRun) {
            this.now = now;
            this.refused = refused;
            this.locked = locked;
            this.dryRun = dryRun;
        }

        /** Whether the object is gone (or, in a dry run, would go). */
        boolean delete(String key) {
            try {
                if (config.objectLock()) {
                    Optional<Instant> until = store.retainedUntil(key);
                    if (until.isPresent() && until.get().isAfter(now)) {
                        locked.add(new Locked(key, until.get()));
                        return false;
                    }
                }
                if (!dryRun) {
                    store.delete(key);
                }
                return true;
            } catch (ObjectNotFoundException goneAlready) {
                return true;
            } catch (IOException e) {
                refused.add(key + ": " + e.getMessage());
                LOG.warn("retention could not delete {} (not permitted?): {}", key, e.getMessage());
                return false;
            }
        }
    }
}
