package dev.vigil.archiver;

import dev.vigil.core.Durations;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
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

    private final ObjectStore store;
    private final NodeConfig node;
    private final ArchiveConfig settings;
    private final ArchiveAlerts archiveAlerts;
    private final Clock clock;
    private final SegmentShipper shipper;
    private final AdaptiveLimit limit;
    private final ThreadPoolExecutor uploads;
    private final ReentrantLock passLock = new ReentrantLock();
    private final ArchiverMetrics metrics;
    private final PartitionBackoff backoff;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Set<String> comparedOverlaps = ConcurrentHashMap.newKeySet();
    private final Map<PartitionId, Instant> lastContinuityCheck = new ConcurrentHashMap<>();
    private Instant lastStaleSweep = Instant.MIN;

    public Archiver(
            ObjectStore store,
            NodeConfig node,
            ArchiveConfig settings,
            AlertPublisher alerts,
            MeterRegistry registry,
            Clock clock,
            RandomGenerator random) {
        this.store = store;
        this.node = node;
        this.settings = settings;
        this.archiveAlerts = new ArchiveAlerts(alerts, settings);
        this.clock = clock;
        this.shipper = new SegmentShipper(store);
        this.limit = new AdaptiveLimit(settings.concurrency());
        this.uploads = new ThreadPoolExecutor(
                settings.concurrency(),
                settings.concurrency(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.concurrency()),
                Thread.ofPlatform()
                        .name("vigil-archive-" + node.replica() + "-", 0)
                        .factory());
        this.uploads.allowCoreThreadTimeOut(true);
        this.metrics = new ArchiverMetrics(registry, limit);
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
        List<LocalPartition> partitions;
        try {
            partitions = PartitionDiscovery.discover(node);
        } catch (IOException e) {
            archiveAlerts.nodeUnreadable(node.replica(), started, e);
            return new ArchiveReport(
                    started.toString(), 0, List.of(), List.of("cannot list partitions: " + e.getMessage()));
        }
        sweepStaleUploads(started, errors);

        AtomicBoolean storeDown = new AtomicBoolean();
        Map<LocalPartition, PartitionWork> work = new LinkedHashMap<>();
        for (LocalPartition partition : partitions) {
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
                    work.put(partition, waiting(partition, retry));
                } catch (IOException e) {
                    handleFailure(partition, e, storeDown, errors);
                }
                continue;
            }
            try {
                work.put(partition, plan(partition, started));
            } catch (IOException e) {
                handleFailure(partition, e, storeDown, errors);
            }
        }
        for (Map.Entry<LocalPartition, PartitionWork> entry : work.entrySet()) {
            submitUploads(entry.getKey(), entry.getValue(), storeDown);
        }
        List<PartitionReport> reports = new ArrayList<>();
        for (Map.Entry<LocalPartition, PartitionWork> entry : work.entrySet()) {
            reports.add(finish(entry.getKey(), entry.getValue(), storeDown, errors));
        }
        Duration took = Duration.between(started, clock.instant());
        metrics.pass(took);
        return new ArchiveReport(started.toString(), took.toMillis(), reports, errors);
    }

    /**
     * What to do for a partition: its local WAL, the repository's view, and the segments to ship or compare.
     * A node-side failure throws; a repository failure is kept in the plan, so the partition is still
     * reported (its pending segments are its lag) without deciding anything from a listing we do not have.
     */
    private PartitionWork plan(LocalPartition partition, Instant now) throws IOException {
        LocalWal local = LocalWal.read(partition.walDir());
        OptionalLong archivedLsn = ArchivedLsnFile.read(partition.walDir());
        List<LocalSegment> toShip = new ArrayList<>();
        for (LocalSegment segment : local.sealed()) {
            if (archivedLsn.isPresent() && segment.range().last() <= archivedLsn.getAsLong()) {
                continue;
            }
            if (!confirmed.contains(confirmationKey(partition, segment))) {
                toShip.add(segment);
            }
        }
        Instant lastCheck = lastContinuityCheck.getOrDefault(partition.partition(), Instant.MIN);
        boolean checkDue = lastCheck.equals(Instant.MIN)
                || Duration.between(lastCheck, now).compareTo(settings.continuityCheckInterval()) >= 0;
        if (toShip.isEmpty() && !checkDue) {
            // Nothing new on the node and the archive was checked recently: an idle pass costs no request.
            return PartitionWork.unlisted(local, archivedLsn, toShip, Optional.empty());
        }
        ArchivedRanges.Listing listing;
        Optional<IOException> listingFailure = Optional.empty();
        try {
            listing = new Repository(store).archive(partition.partition());
            lastContinuityCheck.put(partition.partition(), now);
        } catch (IOException e) {
            listing = new ArchivedRanges.Listing(List.of(), List.of());
            listingFailure = Optional.of(e);
        }
        Set<String> archivedKeys = new HashSet<>();
        listing.segments().forEach(s -> archivedKeys.add(s.key()));
        if (listingFailure.isEmpty()) {
            // A hole in the archive that this node can fill (an object was lost or deleted after it was archived,
            // for example a damaged one removed as ARCHIVE_CORRUPT advises) is filled, whatever archived.lsn says.
            List<LsnRange> coverage = Continuity.coverage(listing.segments());
            Set<LocalSegment> planned = new HashSet<>(toShip);
            for (LocalSegment segment : local.sealed()) {
                if (!Continuity.covers(coverage, segment.range()) && planned.add(segment)) {
                    LOG.info(
                            "partition {}: LSNs {} are missing from the archive; shipping {} again",
                            partition.partition(),
                            segment.range(),
                            segment.path().getFileName());
                    toShip.add(segment);
                }
            }
            toShip.sort(Comparator.comparing(LocalSegment::range));
        }
        return new PartitionWork(local, listing, listingFailure, true, archivedLsn, archivedKeys, toShip);
    }

    /** A partition backing off after failures: its pending segments from the node's side only, nothing shipped. */
    private PartitionWork waiting(LocalPartition partition, PartitionBackoff.RetryState retry) throws IOException {
        LocalWal local = LocalWal.read(partition.walDir());
        OptionalLong archivedLsn = ArchivedLsnFile.read(partition.walDir());
        List<LocalSegment> pending = new ArrayList<>();
        for (LocalSegment segment : local.sealed()) {
            if (archivedLsn.isEmpty() || segment.range().last() > archivedLsn.getAsLong()) {
                pending.add(segment);
            }
        }
        return PartitionWork.unlisted(local, archivedLsn, pending, Optional.of(retry));
    }

    private void submitUploads(LocalPartition partition, PartitionWork work, AtomicBoolean storeDown)
            throws InterruptedException {
        if (work.listingFailure().isPresent() || work.backingOff().isPresent()) {
            return;
        }
        for (LocalSegment segment : work.toShip()) {
            if (storeDown.get()) {
                return;
            }
            limit.acquire();
            try {
                work.futures().put(segment, uploads.submit(() -> shipOne(partition, segment, work)));
            } catch (RuntimeException e) {
                limit.release(false);
                throw e;
            }
        }
    }

    private ShipResult shipOne(LocalPartition partition, LocalSegment segment, PartitionWork work) throws IOException {
        boolean throttled = false;
        try {
            String key = RepositoryLayout.walKey(partition.partition(), segment.range());
            if (work.archivedKeys().contains(key)) {
                SegmentSummary summary;
                try {
                    summary = shipper.validate(partition, segment);
                } catch (SegmentCorruptException e) {
                    return new ShipResult.Corrupt(segment, e);
                }
                return shipper.compareWithExisting(
                        partition, segment, summary, key, SegmentShipper.metadata(partition.replica(), summary));
            }
            return shipper.ship(partition, segment);
        } catch (ObjectStoreException e) {
            throttled = e.throttled();
            throw e;
        } finally {
            limit.release(throttled);
        }
    }

    private PartitionReport finish(
            LocalPartition partition, PartitionWork work, AtomicBoolean storeDown, List<String> passErrors)
            throws InterruptedException {
        PartitionId id = partition.partition();
        Instant now = clock.instant();
        Tally tally = new Tally();
        List<ArchivedSegment> archived = new ArrayList<>(work.listing().segments());
        List<LocalSegment> waiting = new ArrayList<>();
        boolean failed = work.listingFailure().isPresent() || work.backingOff().isPresent();
        if (work.listingFailure().isPresent()) {
            IOException cause = work.listingFailure().get();
            tally.errors.add("cannot list the archive: " + cause.getMessage());
            handleFailure(partition, cause, storeDown, passErrors);
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
                record(partition, result, tally, archived, now);
            } catch (ExecutionException e) {
                IOException cause = e.getCause() instanceof IOException io
                        ? io
                        : new IOException(e.getCause().toString(), e.getCause());
                failed = true;
                tally.failed++;
                tally.errors.add(segment.path().getFileName() + ": " + cause.getMessage());
                waiting.add(segment);
                if (cause instanceof ObjectCorruptException corrupt) {
                    tally.findings.add("uploaded segment did not read back as written: " + corrupt.key());
                    archiveAlerts.uploadNotReadBack(id, partition.replica(), segment.range(), now, cause);
                }
                handleFailure(partition, cause, storeDown, passErrors);
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
            checkContinuity(partition, work.local(), archived, now, delayed, lost, tally);
            archivedLsn = updateArchivedLsn(partition, work, archived, tally);
        }
        long lagSeconds = 0;
        long lagBytes = 0;
        if (!waiting.isEmpty()) {
            LocalSegment oldest = waiting.getFirst();
            lagSeconds = Math.max(0, Duration.between(oldest.sealedAt(), now).toSeconds());
            lagBytes = waiting.stream().mapToLong(LocalSegment::size).sum();
            if (Duration.between(oldest.sealedAt(), now).compareTo(settings.rpo()) > 0) {
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
            LocalPartition partition, ShipResult result, Tally tally, List<ArchivedSegment> archived, Instant now) {
        PartitionId id = partition.partition();
        switch (result) {
            case ShipResult.Uploaded uploaded -> {
                tally.uploaded++;
                tally.bytes += uploaded.summary().byteSize();
                confirmed.add(confirmationKey(partition, uploaded.segment()));
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
                confirmed.add(confirmationKey(partition, already.segment()));
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

    private void checkContinuity(
            LocalPartition partition,
            LocalWal local,
            List<ArchivedSegment> archived,
            Instant now,
            List<String> delayed,
            List<String> lost,
            Tally tally) {
        PartitionId id = partition.partition();
        Continuity.Analysis analysis = Continuity.analyse(archived);
        for (Continuity.Gap gap : analysis.gaps()) {
            boolean pendingHere = local.mayStillHold(gap.missing());
            if (pendingHere || Duration.between(gap.since(), now).compareTo(settings.gapGrace()) <= 0) {
                delayed.add(gap.missing().toString());
                continue;
            }
            lost.add(gap.missing().toString());
            tally.findings.add("archive gap " + gap.missing());
            archiveAlerts.gap(id, partition.replica(), gap, now);
        }
        for (Continuity.Overlap overlap : analysis.overlaps()) {
            String pair = overlap.first().key() + "|" + overlap.second().key();
            if (!comparedOverlaps.add(pair)) {
                continue;
            }
            try {
                Optional<Long> difference = OverlapCheck.firstDifference(store, id, overlap.first(), overlap.second());
                if (difference.isPresent()) {
                    tally.findings.add("archived segments " + overlap.first().key() + " and "
                            + overlap.second().key() + " differ at LSN " + difference.get());
                    archiveAlerts.archivedCopiesDiverge(id, overlap, pair, difference.get(), now);
                }
            } catch (IOException e) {
                comparedOverlaps.remove(pair);
                tally.errors.add("cannot compare overlapping segments " + pair + ": " + e.getMessage());
            }
        }
    }

    private long updateArchivedLsn(
            LocalPartition partition, PartitionWork work, List<ArchivedSegment> archived, Tally tally) {
        if (archived.isEmpty()) {
            return work.archivedLsn().orElse(-1);
        }
        long from = archived.getFirst().range().first();
        Optional<Long> lowestLocal = work.local().lowestLsn();
        if (lowestLocal.isPresent()) {
            from = Math.min(from, lowestLocal.get());
        }
        if (work.archivedLsn().isPresent()) {
            from = Math.min(from, work.archivedLsn().getAsLong() + 1);
        }
        long end = Continuity.contiguousEnd(archived, from);
        long current = work.archivedLsn().orElse(-1);
        if (end > current && end >= from) {
            try {
                ArchivedLsnFile.write(partition.walDir(), end);
                return end;
            } catch (IOException e) {
                tally.errors.add("cannot write " + ArchivedLsnFile.in(partition.walDir()) + ": " + e.getMessage());
            }
        }
        return current;
    }

    private void handleFailure(
            LocalPartition partition, IOException failure, AtomicBoolean storeDown, List<String> errors) {
        Instant now = clock.instant();
        boolean permanent = failure instanceof ObjectStoreException s && !s.retryable();
        if (permanent) {
            if (storeDown.compareAndSet(false, true)) {
                errors.add(failure.getMessage());
                archiveAlerts.storeUnavailable(store.describe(), failure, now);
            }
            return;
        }
        PartitionBackoff.RetryState retry = backoff.failed(partition.partition(), failure.getMessage(), now);
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

    private static String confirmationKey(LocalPartition partition, LocalSegment segment) {
        return partition.partition() + "/" + segment.range() + "/" + segment.size();
    }

    /** Current concurrency limit (drops when the store throttles). */
    public int uploadLimit() {
        return limit.limit();
    }

    /**
     * Stops accepting work and waits up to {@code timeout} for uploads in flight; uploads still running then
     * are interrupted (an interrupted put leaves no visible object: see {@link ObjectStore}).
     */
    public void shutdown(Duration timeout) throws InterruptedException {
        uploads.shutdown();
        if (!uploads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("uploads still running after {}: interrupting them", timeout);
            uploads.shutdownNow();
            uploads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** {@link #shutdown} with 30 seconds; restores the interrupt flag if interrupted meanwhile. Idempotent. */
    @Override
    public void close() {
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

    /**
     * A partition's pass: {@code listed} is false when the repository was not consulted (idle partition);
     * {@code backingOff} is present when the partition was not attempted because it failed recently.
     */
    private record PartitionWork(
            LocalWal local,
            ArchivedRanges.Listing listing,
            Optional<IOException> listingFailure,
            boolean listed,
            OptionalLong archivedLsn,
            Set<String> archivedKeys,
            List<LocalSegment> toShip,
            Map<LocalSegment, Future<ShipResult>> futures,
            Optional<PartitionBackoff.RetryState> backingOff) {
        PartitionWork(
                LocalWal local,
                ArchivedRanges.Listing listing,
                Optional<IOException> listingFailure,
                boolean listed,
                OptionalLong archivedLsn,
                Set<String> archivedKeys,
                List<LocalSegment> toShip) {
            this(
                    local,
                    listing,
                    listingFailure,
                    listed,
                    archivedLsn,
                    archivedKeys,
                    toShip,
                    new LinkedHashMap<>(),
                    Optional.empty());
        }

        /** Work decided without consulting the repository: an idle partition, or one backing off. */
        static PartitionWork unlisted(
                LocalWal local,
                OptionalLong archivedLsn,
                List<LocalSegment> toShip,
                Optional<PartitionBackoff.RetryState> backingOff) {
            return new PartitionWork(
                    local,
                    new ArchivedRanges.Listing(List.of(), List.of()),
                    Optional.empty(),
                    false,
                    archivedLsn,
                    Set.of(),
                    toShip,
                    new LinkedHashMap<>(),
                    backingOff);
        }
    }

    /** Counts for one partition in one pass. */
    static final class Tally {
        int uploaded;
        int already;
        int diverged;
        int corrupt;
        int failed;
        long bytes;
        final List<String> findings = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
    }
}
