package dev.vigil.archiver;

import dev.vigil.core.Durations;
import dev.vigil.core.Errors;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships every sealed WAL segment of this node to the repository exactly once, verified, oldest first. One
 * {@link #runPass() pass} discovers the node's partitions, uploads what is missing with bounded, adaptive
 * concurrency, then per partition checks continuity (gaps, overlaps), measures the archive lag, writes
 * {@code archived.lsn} and raises alerts. It keeps no state that matters across restarts: everything is
 * rebuilt from the repository and the WAL directories, so a crash at any point loses nothing.
 *
 * <p>Passes never overlap (a second caller waits for the first to finish). Thread safe.
 */
public final class Archiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

    /** How long the repository may not answer at all before {@code STORE_UNAVAILABLE} fires. */
    static final Duration UNREACHABLE_ALERT_AFTER = Duration.ofMinutes(1);

    private final ObjectStore store;
    private final NodeConfig node;
    private final ArchiveConfig settings;
    private final ArchiveAlerts archiveAlerts;
    private final Clock clock;
    private final ArchivePlanner planner;
    private final UploadPool uploads;
    private final ArchiveContinuity continuity;
    private final ReentrantLock passLock = new ReentrantLock();
    private final ArchiverMetrics metrics;
    private final PartitionBackoff backoff;
    private Instant lastStaleSweep = Instant.MIN;
    /** Since when no pass reached the repository; only passes touch it (one at a time). */
    private @Nullable Instant unreachableSince;

    private final PassScope scope;

    public Archiver(
            Repository repository,
            NodeConfig node,
            ArchiveConfig settings,
            AlertPublisher alerts,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random) {
        this.store = repository.store();
        this.node = node;
        this.settings = settings;
        this.archiveAlerts = new ArchiveAlerts(alerts, settings);
        this.clock = clock;
        this.planner = new ArchivePlanner(repository, settings);
        this.scope = new PassScope(node, settings);
        this.uploads = new UploadPool(store, node.replica(), settings.concurrency());
        this.continuity = new ArchiveContinuity(store, settings, archiveAlerts);
        this.metrics = new ArchiverMetrics(registry, uploads.limit());
        this.backoff = new PartitionBackoff(settings, random);
    }

    /** One pass over every partition of the node. Never throws for store or node trouble: it reports it. */
    public ArchiveReport runPass() throws InterruptedException {
        passLock.lockInterruptibly();
        try {
            return pass();
        } finally {
            passLock.unlock();
        }
    }

    private ArchiveReport pass() throws InterruptedException {
        Instant started = clock.instant();
        List<String> errors = new ArrayList<>();
        PassScope.Scope passScope;
        try {
            passScope = scope.begin(started);
        } catch (IOException e) {
            archiveAlerts.nodeUnreadable(node.replica(), started, e);
            return new ArchiveReport(
                    started.toString(), 0, List.of(), List.of("cannot list partitions: " + e.getMessage()), null);
        }
        archiveAlerts.nodeReadable(node.replica(), started);
        sweepStaleUploads(started, errors);

        StoreContact contact = new StoreContact();
        AtomicBoolean storeDown = contact.down;
        Map<LocalPartition, PartitionWork> work = new LinkedHashMap<>();
        List<PartitionReport> unchanged = new ArrayList<>();
        for (LocalPartition partition : passScope.all()) {
            PartitionReport quiet = scope.quiet(partition.partition());
            if (quiet != null && !passScope.plans(partition.partition(), planner::continuityDue)) {
                unchanged.add(quiet); // nothing new in its WAL directory, nothing waiting: no file system call
                continue;
            }
            Optional<PartitionBackoff.RetryState> waiting = backoff.waiting(partition.partition(), started);
            if (waiting.isPresent()) {
                PartitionBackoff.RetryState retry = waiting.get();
                LOG.debug(
                        "partition {} waits until {} after {} failures",
                        partition.partition(),
                        retry.notBefore(),
                        retry.failures());
                // Not attempted is not archived: the partition is reported with its lag and as not done.
                try {
                    work.put(partition, planner.waiting(partition, retry));
                } catch (IOException e) {
                    handleFailure(partition, e, contact, errors);
                }
                continue;
            }
            try {
                work.put(partition, planner.plan(partition, started));
            } catch (IOException e) {
                handleFailure(partition, e, contact, errors);
            }
        }
        for (Map.Entry<LocalPartition, PartitionWork> entry : work.entrySet()) {
            uploads.submit(entry.getKey(), entry.getValue(), storeDown);
        }
        List<PartitionReport> reports = new ArrayList<>(unchanged);
        for (Map.Entry<LocalPartition, PartitionWork> entry : work.entrySet()) {
            PartitionReport report = finish(entry.getKey(), entry.getValue(), contact, errors);
            reports.add(report);
            scope.finished(entry.getKey().partition(), report);
        }
        storeReachability(contact, started);
        reports.sort(Comparator.comparing(PartitionReport::partition));
        Duration took = Duration.between(started, clock.instant());
        metrics.pass(took);
        IOException failure = contact.lastFailure;
        return new ArchiveReport(
                started.toString(),
                took.toMillis(),
                reports,
                errors,
                contact.answered || failure == null ? null : store.describe() + ": " + Errors.message(failure));
    }

    /**
     * From now on, learns of changes in the WAL directories from the file system and calls {@code onChange} (on the
     * watch's thread) when one arrives, so the caller can start a pass at once; passes then look only at changed
     * partitions, scanning all of them every {@code archive.rescan-interval}. Does nothing when that interval is zero.
     * A daemon calls it; a single pass ({@code vigil archive}) does not need it.
     *
     * @throws IOException when the file system offers no watch service at all
     */
    public void watch(Runnable onChange) throws IOException {
        scope.watch(onChange);
    }

    private PartitionReport finish(
            LocalPartition partition, PartitionWork work, StoreContact contact, List<String> passErrors)
            throws InterruptedException {
        PartitionId id = partition.partition();
        Instant now = clock.instant();
        PartitionTally tally = new PartitionTally();
        List<ArchivedSegment> archived = new ArrayList<>(work.listing().segments());
        List<LocalSegment> waiting = new ArrayList<>();
        boolean failed = work.listingFailure().isPresent() || work.backingOff().isPresent();
        if (work.listingFailure().isPresent()) {
            IOException cause = work.listingFailure().get();
            tally.errors.add("cannot list the archive: " + cause.getMessage());
            handleFailure(partition, cause, contact, passErrors);
        } else if (work.listed()) {
            contact.answered = true;
        }
        work.backingOff()
                .ifPresent(retry -> tally.errors.add("not archived: backing off after " + retry.failures()
                        + " failed attempt(s) since " + retry.since() + "; next attempt after " + retry.notBefore()
                        + "; last error: "
                        + retry.lastError()));
        for (LocalSegment segment : work.toShip()) {
            Future<ShipResult> future = work.futures().get(segment);
            if (future == null) {
                waiting.add(segment);
                continue;
            }
            try {
                ShipResult result = future.get();
                contact.answered = true;
                record(partition, result, tally, archived, now);
            } catch (ExecutionException e) {
                Throwable thrown = e.getCause() == null ? e : e.getCause();
                IOException cause = thrown instanceof IOException io ? io : new IOException(thrown.toString(), thrown);
                failed = true;
                tally.failed++;
                tally.errors.add(segment.path().getFileName() + ": " + cause.getMessage());
                waiting.add(segment);
                if (cause instanceof ObjectCorruptException corrupt) {
                    tally.findings.add("uploaded segment did not read back as written: " + corrupt.key());
                    archiveAlerts.uploadNotReadBack(id, partition.replica(), segment.range(), now, cause);
                }
                handleFailure(partition, cause, contact, passErrors);
            }
        }
        archived.sort(Comparator.comparing(ArchivedSegment::range));
        if (!failed) {
            backoff.succeeded(id);
        }

        List<String> delayed = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        long archivedLsn = work.archivedLsn().orElse(-1);
        if (work.listed() && work.listingFailure().isEmpty()) {
            continuity.check(partition, work.local(), archived, now, delayed, lost, tally);
            archivedLsn = continuity.advanceArchivedLsn(partition, work, archived, tally);
        }
        long lagSeconds = 0;
        long lagBytes = 0;
        boolean beyondRpo = false;
        if (!waiting.isEmpty()) {
            LocalSegment oldest = waiting.getFirst();
            lagSeconds = Math.max(0, Duration.between(oldest.sealedAt(), now).toSeconds());
            lagBytes = waiting.stream().mapToLong(LocalSegment::size).sum();
            beyondRpo = Duration.between(oldest.sealedAt(), now).compareTo(settings.rpo()) > 0;
            if (beyondRpo) {
                archiveAlerts.lag(
                        id,
                        partition.replica(),
                        new LsnRange(
                                oldest.range().first(),
                                waiting.getLast().range().last()),
                        waiting.size(),
                        lagBytes,
                        lagSeconds,
                        oldest.path(),
                        now);
                tally.findings.add("archive lag " + Durations.format(Duration.ofSeconds(lagSeconds))
                        + " exceeds the RPO " + Durations.format(settings.rpo()));
            }
        }
        if (!beyondRpo) {
            archiveAlerts.lagWithinRpo(id, partition.replica(), lagSeconds, now);
        }
        metrics.partition(id, lagSeconds, lagBytes, archivedLsn, tally);
        return new PartitionReport(
                id.value(),
                tally.uploaded,
                tally.already,
                tally.diverged,
                tally.corrupt,
                tally.failed,
                tally.bytes,
                archivedLsn,
                lagSeconds,
                lagBytes,
                delayed,
                lost,
                tally.findings,
                tally.errors);
    }

    private void record(
            LocalPartition partition,
            ShipResult result,
            PartitionTally tally,
            List<ArchivedSegment> archived,
            Instant now) {
        PartitionId id = partition.partition();
        switch (result) {
            case ShipResult.Uploaded uploaded -> {
                tally.uploaded++;
                tally.bytes += uploaded.summary().byteSize();
                planner.confirm(partition, uploaded.segment());
                archived.add(ArchivedSegment.justStored(
                        uploaded.key(),
                        uploaded.segment().range(),
                        uploaded.summary().byteSize(),
                        now));
                LOG.info(
                        "archived {} ({} records, {} bytes)",
                        uploaded.key(),
                        uploaded.summary().recordCount(),
                        uploaded.summary().byteSize());
            }
            case ShipResult.AlreadyArchived already -> {
                tally.already++;
                planner.confirm(partition, already.segment());
                boolean listed = archived.stream().anyMatch(a -> a.key().equals(already.key()));
                if (!listed) {
                    archived.add(ArchivedSegment.justStored(
                            already.key(),
                            already.segment().range(),
                            already.summary().byteSize(),
                            now));
                }
            }
            case ShipResult.Diverged diverged -> {
                tally.diverged++;
                String theirs = diverged.existing().metadata().getOrDefault("replica", "unknown");
                tally.findings.add("WAL divergence at LSN " + diverged.segment().range() + " with replica " + theirs);
                archiveAlerts.replicaDiverges(id, partition.replica(), diverged, theirs, now);
            }
            case ShipResult.Corrupt corrupt -> {
                tally.corrupt++;
                tally.findings.add(
                        "corrupt local segment " + corrupt.segment().path().getFileName() + " at offset "
                                + corrupt.corruption().offset());
                archiveAlerts.localSegmentCorrupt(id, partition.replica(), corrupt, now);
            }
        }
    }

    private void handleFailure(
            LocalPartition partition, IOException failure, StoreContact contact, List<String> errors) {
        Instant now = clock.instant();
        contact.lastFailure = failure;
        boolean permanent = failure instanceof ObjectStoreException s && !s.retryable();
        if (permanent) {
            contact.permanent = true;
            if (contact.down.compareAndSet(false, true)) {
                errors.add(failure.getMessage());
            }
            return;
        }
        PartitionBackoff.RetryState retry = backoff.failed(partition.partition(), Errors.message(failure), now);
        Duration delay = Duration.between(now, retry.notBefore());
        int failures = retry.failures();
        metrics.retry();
        LOG.warn(
                "partition {}: archiving failed ({}); retrying in {} (failure {})",
                partition.partition(),
                failure.getMessage(),
                Durations.format(delay),
                failures);
    }

    /**
     * After a pass: the repository answered (it is available again, if it was not), or every request of the pass
     * failed. A refusal (credentials, permissions, bucket) is an incident at once; a repository that does not answer
     * at all is one once it has not answered for {@link #UNREACHABLE_ALERT_AFTER} (a blip the SDK's retries and the
     * next pass ride out pages nobody). A pass that asked nothing (everything backing off or quiet) changes nothing.
     */
    private void storeReachability(StoreContact contact, Instant started) {
        Instant now = clock.instant();
        IOException failure = contact.lastFailure;
        if (contact.answered || failure == null) {
            if (contact.answered) {
                unreachableSince = null;
                archiveAlerts.storeAvailable(store.describe(), now);
            }
            return;
        }
        Instant since = unreachableSince == null ? started : unreachableSince;
        unreachableSince = since;
        if (contact.permanent || Duration.between(since, now).compareTo(UNREACHABLE_ALERT_AFTER) >= 0) {
            archiveAlerts.storeUnavailable(store.describe(), failure, contact.permanent ? now : since, now);
        }
    }

    /** What one pass learned of the repository: whether it answered, and its last failure. Used by one pass. */
    private static final class StoreContact {
        final AtomicBoolean down = new AtomicBoolean();
        volatile boolean answered;
        volatile boolean permanent;
        volatile @Nullable IOException lastFailure;
    }

    private void sweepStaleUploads(Instant now, List<String> errors) {
        if (Duration.between(lastStaleSweep, now)
                                .compareTo(settings.staleUploadAge().dividedBy(2))
                        < 0
                && !lastStaleSweep.equals(Instant.MIN)) {
            return;
        }
        lastStaleSweep = now;
        try {
            int aborted = store.abortIncompleteUploads("", now.minus(settings.staleUploadAge()));
            if (aborted > 0) {
                LOG.info(
                        "aborted {} incomplete upload(s) older than {} left by interrupted puts",
                        aborted,
                        Durations.format(settings.staleUploadAge()));
            }
        } catch (IOException e) {
            errors.add("cannot sweep incomplete uploads: " + e.getMessage());
        }
    }

    /** Current concurrency limit (drops when the store throttles). */
    public int uploadLimit() {
        return uploads.limit().limit();
    }

    /**
     * Stops accepting work and waits up to {@code timeout} for uploads in flight; uploads still running then
     * are interrupted (an interrupted put leaves no visible object: see {@link ObjectStore}).
     */
    public void shutdown(Duration timeout) throws InterruptedException {
        uploads.shutdown(timeout);
    }

    /** {@link #shutdown} with 30 seconds; restores the interrupt flag if interrupted meanwhile. Idempotent. */
    @Override
    public void close() {
        try {
            scope.close();
        } catch (IOException e) {
            LOG.warn("closing the WAL watch: {}", e.toString());
        }
        try {
            shutdown(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            uploads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The partitions that cannot archive now (backing off after failed attempts), each with why: what {@code /health}
     * reports as DEGRADED. Empty when every partition archives.
     */
    public Map<String, String> failingPartitions() {
        return backoff.failing();
    }
}
